#include "http/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace carepost::http {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, RendersCountersAndCumulativeHistograms) {
  Metrics m;
  m.ObserveRequest("GET", "/api/v1/posts/{id}", 200, 0.0007);
  m.ObserveRequest("GET", "/api/v1/posts/{id}", 200, 0.02);
  m.ObserveRequest("GET", "/api/v1/posts/{id}", 200, 3.0);
  m.ObserveRequest("GET", "unmatched", 404, 0.0001);
  m.ObserveScreen(100, 0.5);
  m.ObserveScreen(50, 0.25);
  const std::string text = m.Render();
  const std::string labels = R"(method="GET",route="/api/v1/posts/{id}",status="200")";
  EXPECT_THAT(text, HasSubstr("# TYPE carepost_http_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("carepost_http_requests_total{" + labels + "} 3\n"));
  EXPECT_THAT(text, HasSubstr(
      R"(carepost_http_requests_total{method="GET",route="unmatched",status="404"} 1)"));
  EXPECT_THAT(text, HasSubstr("# TYPE carepost_http_request_duration_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{" + labels + ",le=\"0.0005\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{" + labels + ",le=\"0.001\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{" + labels + ",le=\"0.025\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{" + labels + ",le=\"1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{" + labels + ",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("_sum{" + labels + "} 3.0207\n"));
  EXPECT_THAT(text, HasSubstr("_count{" + labels + "} 3\n"));
  EXPECT_THAT(text, HasSubstr("carepost_guard_texts_screened_total 2\n"));
  EXPECT_THAT(text, HasSubstr("carepost_guard_bytes_screened_total 150\n"));
  EXPECT_THAT(text, HasSubstr("carepost_guard_screen_seconds_total 0.75\n"));
}

TEST(MetricsTest, DatabaseTimingsByOperationAndOutcome) {
  Metrics m;
  m.ObserveDatabase("query", true, 0.0004);
  m.ObserveDatabase("query", true, 0.003);
  m.ObserveDatabase("transaction", false, 0.2);
  const std::string text = m.Render();
  const std::string q = R"(carepost_db_operation_duration_seconds_bucket{operation="query",outcome="ok",)";
  EXPECT_THAT(text, HasSubstr(q + "le=\"0.0005\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(q + "le=\"0.005\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(
      R"(carepost_db_operation_duration_seconds_count{operation="transaction",outcome="error"} 1)"));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics m;
  m.ObserveRequest("GET", "a\"b\\c\nd", 200, 0.1);
  EXPECT_THAT(m.Render(), HasSubstr(R"(route="a\"b\\c\nd")"));
}

}  // namespace
}  // namespace carepost::http
