#include "http/json_body.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/session_auth.h"

namespace carepost::http {
namespace {

TEST(QueryParamTest, FindsAndDecodes) {
  EXPECT_EQ(QueryParam("a=1&actor=ann%40example.org&b=x+y", "actor"), "ann@example.org");
  EXPECT_EQ(QueryParam("a=1&b=x+y", "b"), "x y");
  EXPECT_EQ(QueryParam("flag&a=1", "flag"), "");
  EXPECT_EQ(QueryParam("a=1", "b"), std::nullopt);
  EXPECT_EQ(QueryParam("", "b"), std::nullopt);
  // A truncated escape is kept as typed.
  EXPECT_EQ(QueryParam("a=50%", "a"), "50%");
  EXPECT_EQ(QueryParam("a=%4", "a"), "%4");
}

TEST(Rfc3339Test, RoundTripsAndAcceptsDates) {
  const absl::Time t = absl::FromUnixMillis(1'780'000'000'123);
  EXPECT_EQ(Rfc3339(t), "2026-05-28T20:26:40.123Z");
  EXPECT_EQ(ParseRfc3339(Rfc3339(t)), t);
  EXPECT_EQ(ParseRfc3339("2026-12-04"), absl::FromCivil(absl::CivilDay(2026, 12, 4),
                                                         absl::UTCTimeZone()));
  EXPECT_EQ(ParseRfc3339("2026-12-04T10:00:00+01:00"),
            absl::FromCivil(absl::CivilSecond(2026, 12, 4, 9, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(ParseRfc3339("yesterday"), std::nullopt);
  EXPECT_EQ(ParseRfc3339(std::string(100, '2')), std::nullopt);
}

TEST(ParseJsonObjectTest, NamesWhatIsWrong) {
  Request r;
  r.headers["content-type"] = "application/json; charset=utf-8";
  nlohmann::json out;
  r.body = R"({"a":1})";
  EXPECT_FALSE(ParseJsonObject(r, {"a", "b"}, &out).has_value());
  r.body = R"({"c":1})";
  auto refused = ParseJsonObject(r, {"a", "b"}, &out);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 422);
  EXPECT_EQ(nlohmann::json::parse(refused->body)["field"], "c");
  r.body = "[]";
  EXPECT_EQ(ParseJsonObject(r, {"a"}, &out)->status, 400);
  r.headers["content-type"] = "text/plain";
  EXPECT_EQ(ParseJsonObject(r, {"a"}, &out)->status, 415);
}

TEST(ProblemFromStatusTest, MapsCodesAndHidesInternalMessages) {
  EXPECT_EQ(ProblemFromStatus(absl::InvalidArgumentError("x must be y"), "x").status, 422);
  EXPECT_EQ(ProblemFromStatus(absl::NotFoundError("no user")).status, 404);
  EXPECT_EQ(ProblemFromStatus(absl::AlreadyExistsError("exists")).status, 409);
  EXPECT_EQ(ProblemFromStatus(absl::ResourceExhaustedError("slow down")).status, 429);
  const Response r = ProblemFromStatus(absl::InternalError("SELECT secret FROM t"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("SELECT"), std::string::npos);
}

TEST(CookieTest, ValueAndSetCookie) {
  EXPECT_EQ(CookieValue("a=1; carepost_session=tok; b=2", "carepost_session"), "tok");
  EXPECT_EQ(CookieValue("carepost_session_x=1", "carepost_session"), "");
  EXPECT_EQ(CookieValue("", "carepost_session"), "");
  const std::string set = SessionCookie("tok", absl::FromUnixSeconds(0), true);
  EXPECT_EQ(set,
            "carepost_session=tok; Path=/; HttpOnly; SameSite=Strict; Expires=Thu, 01 Jan 1970 "
            "00:00:00 GMT; Secure");
  EXPECT_EQ(SessionCookie("", absl::InfinitePast(), false),
            "carepost_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

}  // namespace
}  // namespace carepost::http
