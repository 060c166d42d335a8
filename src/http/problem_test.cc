#include "http/problem.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace carepost::http {
namespace {

TEST(ProblemTest, IsRfc9457JsonWithStableType) {
  const Response r = Problem(422, ProblemType::kInvalidField, "field 'context' must be ...",
                             "context");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/problem+json");
  const auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["type"], "urn:carepost:problem:invalid-field");
  EXPECT_EQ(j["status"], 422);
  EXPECT_EQ(j["title"], "A request field is missing or invalid");
  EXPECT_EQ(j["detail"], "field 'context' must be ...");
  EXPECT_EQ(j["field"], "context");
}

TEST(ProblemTest, FieldIsOmittedWhenEmpty) {
  const auto j = nlohmann::json::parse(Problem(404, ProblemType::kNotFound, "x").body);
  EXPECT_FALSE(j.contains("field"));
  EXPECT_EQ(j["type"], ProblemTypeUri(ProblemType::kNotFound));
}

TEST(ProblemTest, SecurityHeaders) {
  Response r;
  AddSecurityHeaders(&r);
  AddSecurityHeaders(&r);  // idempotent
  std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
  EXPECT_EQ(h.size(), r.headers.size());
  EXPECT_EQ(h["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(h["X-Frame-Options"], "DENY");
  EXPECT_NE(h["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(h["Content-Security-Policy"].find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(h["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(h["Cache-Control"], "no-store");
}

TEST(ProblemTest, SecurityHeadersKeepACacheControlTheHandlerChose) {
  Response r;
  r.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  AddSecurityHeaders(&r);
  int count = 0;
  for (const auto& [name, value] : r.headers) {
    if (name == "Cache-Control") {
      ++count;
      EXPECT_EQ(value, "public, max-age=31536000, immutable");
    }
  }
  EXPECT_EQ(count, 1);
}

}  // namespace
}  // namespace carepost::http
