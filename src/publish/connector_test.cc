#include "publish/connector.h"

#include "gtest/gtest.h"

namespace carepost::publish {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'760'000'000);

HttpResponse Res(int status, std::vector<std::pair<std::string, std::string>> headers = {}) {
  return HttpResponse{status, std::move(headers), ""};
}

TEST(ConnectorTest, FailureKindsSurviveAsStatuses) {
  EXPECT_EQ(FailureKindOf(absl::OkStatus()), FailureKind::kNone);
  EXPECT_EQ(FailureKindOf(TransientError("x")), FailureKind::kTransient);
  EXPECT_EQ(FailureKindOf(PermanentError("x")), FailureKind::kPermanent);
  EXPECT_EQ(FailureKindOf(AuthError("x")), FailureKind::kAuth);
  EXPECT_EQ(FailureKindOf(OutcomeUnknownError("x")), FailureKind::kOutcomeUnknown);
  EXPECT_EQ(FailureKindOf(absl::UnauthenticatedError("x")), FailureKind::kAuth);
  EXPECT_EQ(FailureKindOf(absl::DeadlineExceededError("x")), FailureKind::kTransient);
  EXPECT_EQ(FailureKindOf(absl::InvalidArgumentError("x")), FailureKind::kPermanent);
  EXPECT_EQ(RetryAfterOf(TransientError("x", absl::Seconds(7))), absl::Seconds(7));
  EXPECT_EQ(RetryAfterOf(TransientError("x")), std::nullopt);
}

TEST(ConnectorTest, ParsesRetryAfter) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), absl::Seconds(120));
  EXPECT_EQ(ParseRetryAfter(absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", kNow + absl::Seconds(30),
                                             absl::UTCTimeZone()),
                            kNow),
            absl::Seconds(30));
  EXPECT_EQ(ParseRetryAfter("soon", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", kNow), std::nullopt);
}

TEST(ConnectorTest, ClassifiesHttpErrors) {
  absl::Status s =
      ClassifyHttpError(Res(429, {{"retry-after", "9"}}), "X: publishing", "slow down", kNow);
  EXPECT_EQ(FailureKindOf(s), FailureKind::kTransient);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfterOf(s), absl::Seconds(9));
  EXPECT_NE(s.message().find("slow down"), absl::string_view::npos);

  // Bluesky's RateLimit-Reset is an epoch; Mastodon's X-RateLimit-Reset an ISO time.
  s = ClassifyHttpError(
      Res(429, {{"ratelimit-reset", std::to_string(absl::ToUnixSeconds(kNow) + 60)}}), "B", "",
      kNow);
  EXPECT_EQ(RetryAfterOf(s), absl::Seconds(60));
  s = ClassifyHttpError(Res(429, {{"x-ratelimit-reset", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ",
                                                                         kNow + absl::Seconds(40),
                                                                         absl::UTCTimeZone())}}),
                        "M", "", kNow);
  EXPECT_EQ(RetryAfterOf(s), absl::Seconds(40));

  EXPECT_EQ(FailureKindOf(ClassifyHttpError(Res(503), "X", "", kNow)), FailureKind::kTransient);
  EXPECT_EQ(FailureKindOf(ClassifyHttpError(Res(401), "X", "", kNow)), FailureKind::kAuth);
  EXPECT_EQ(FailureKindOf(ClassifyHttpError(Res(422), "X", "", kNow)), FailureKind::kPermanent);
  EXPECT_EQ(FailureKindOf(ClassifyHttpError(Res(404), "X", "", kNow)), FailureKind::kPermanent);
}

TEST(ConnectorTest, TransportErrorsOfAPostAreOutcomeUnknownOnlyWhenSent) {
  absl::Status not_sent = absl::UnavailableError("connect failed");
  EXPECT_EQ(FailureKindOf(FromTransportError(not_sent, "M", true)), FailureKind::kTransient);
}

}  // namespace
}  // namespace carepost::publish
