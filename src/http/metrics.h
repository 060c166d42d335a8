// File: http/metrics.h
//
// In-process counters and histograms, rendered in the Prometheus text format at
// /metrics:
//
//   carepost_http_requests_total{method="GET",route="/healthz",status="200"} 3
//   carepost_http_request_duration_seconds_bucket{method=...,route=...,status=...,le="0.005"} 3
//   carepost_guard_texts_screened_total 12
//   carepost_guard_bytes_screened_total 3456
//   carepost_guard_screen_duration_seconds_sum 0.0123
//   carepost_db_operation_duration_seconds_bucket{operation="query",outcome="ok",le=...} 9
//
// Routes are the router's patterns ("/api/v1/posts/{id}") or "unmatched", never raw
// paths, so label cardinality stays bounded and ids (which may identify patients) never
// reach metrics.
//
// Thread safety: safe for concurrent use from many threads.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace carepost::http {

class Metrics {
 public:
  // Upper bounds of the latency histogram buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 11> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0};

  void ObserveRequest(std::string_view method, std::string_view route, int status,
                      double seconds);
  void ObserveScreen(size_t bytes, double seconds);
  // One database call (store/observed_database.h): "execute", "query" or "transaction".
  void ObserveDatabase(std::string_view operation, bool ok, double seconds);
  // The Prometheus text exposition (version 0.0.4).
  std::string Render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative counts
    uint64_t count = 0;
    double sum = 0;
  };
  using Key = std::tuple<std::string, std::string, int>;  // method, route, status
  static void AppendHistogram(std::string* out, std::string_view name,
                              const std::string& labels, const Histogram& h);

  mutable absl::Mutex mu_;
  std::map<Key, Histogram> requests_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, bool>, Histogram> database_ ABSL_GUARDED_BY(mu_);
  uint64_t screened_texts_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t screened_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  double screen_seconds_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace carepost::http
