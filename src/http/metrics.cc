#include "http/metrics.h"

#include <cstdio>

#include "core/strings.h"

namespace carepost::http {
namespace {

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// Escapes a label value (backslash, quote, newline).
std::string Label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void Observe(uint64_t* buckets, size_t n, const double* bounds, double seconds) {
  for (size_t i = 0; i < n; ++i) {
    if (seconds <= bounds[i]) {
      ++buckets[i];
      break;
    }
  }
}

}  // namespace

void Metrics::AppendHistogram(std::string* out, std::string_view name,
                              const std::string& labels, const Histogram& h) {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += h.buckets[i];
    core::Append(out, name, "_bucket{", labels, ",le=\"", Number(kBuckets[i]), "\"} ",
                 cumulative, "\n");
  }
  core::Append(out, name, "_bucket{", labels, ",le=\"+Inf\"} ", h.count, "\n");
  core::Append(out, name, "_sum{", labels, "} ", Number(h.sum), "\n");
  core::Append(out, name, "_count{", labels, "} ", h.count, "\n");
}

void Metrics::ObserveDatabase(std::string_view operation, bool ok, double seconds) {
  absl::MutexLock lock(&mu_);
  Histogram& h = database_[{std::string(operation), ok}];
  ++h.count;
  h.sum += seconds;
  Observe(h.buckets.data(), kBuckets.size(), kBuckets.data(), seconds);
}

void Metrics::ObserveRequest(std::string_view method, std::string_view route, int status,
                             double seconds) {
  absl::MutexLock lock(&mu_);
  Histogram& h = requests_[Key(std::string(method), std::string(route), status)];
  ++h.count;
  h.sum += seconds;
  Observe(h.buckets.data(), kBuckets.size(), kBuckets.data(), seconds);
}

void Metrics::ObserveScreen(size_t bytes, double seconds) {
  absl::MutexLock lock(&mu_);
  ++screened_texts_;
  screened_bytes_ += bytes;
  screen_seconds_ += seconds;
}

std::string Metrics::Render() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  out +=
      "# HELP carepost_http_requests_total HTTP requests answered, by route template and "
      "status.\n# TYPE carepost_http_requests_total counter\n";
  for (const auto& [key, h] : requests_) {
    const auto& [method, route, status] = key;
    core::Append(&out, "carepost_http_requests_total{method=\"", Label(method), "\",route=\"",
                 Label(route), "\",status=\"", status, "\"} ", h.count, "\n");
  }
  out +=
      "# HELP carepost_http_request_duration_seconds Time from reading a request to having "
      "its response, by route template and status.\n"
      "# TYPE carepost_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : requests_) {
    const auto& [method, route, status] = key;
    const std::string labels = core::Cat("method=\"", Label(method), "\",route=\"", Label(route),
                                         "\",status=\"", status, "\"");
    AppendHistogram(&out, "carepost_http_request_duration_seconds", labels, h);
  }
  out +=
      "# HELP carepost_db_operation_duration_seconds Time of database calls, by operation "
      "(execute, query, transaction) and outcome.\n"
      "# TYPE carepost_db_operation_duration_seconds histogram\n";
  for (const auto& [key, h] : database_) {
    const auto& [operation, ok] = key;
    AppendHistogram(&out, "carepost_db_operation_duration_seconds",
                    core::Cat("operation=\"", Label(operation), "\",outcome=\"",
                              ok ? "ok" : "error", "\""),
                    h);
  }
  core::Append(&out,
               "# HELP carepost_guard_texts_screened_total Texts screened by the guard.\n"
               "# TYPE carepost_guard_texts_screened_total counter\n"
               "carepost_guard_texts_screened_total ",
               screened_texts_, "\n",
               "# HELP carepost_guard_bytes_screened_total Bytes of text screened by the guard.\n"
               "# TYPE carepost_guard_bytes_screened_total counter\n"
               "carepost_guard_bytes_screened_total ",
               screened_bytes_, "\n",
               "# HELP carepost_guard_screen_seconds_total Time spent screening.\n"
               "# TYPE carepost_guard_screen_seconds_total counter\n"
               "carepost_guard_screen_seconds_total ",
               Number(screen_seconds_), "\n");
  return out;
}

}  // namespace carepost::http
