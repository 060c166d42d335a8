// File: core/log.h
//
// Structured logging: one JSON object per line (spdlog underneath), e.g.
//
//   {"ts":"2026-11-25T16:00:00.123Z","level":"info","msg":"request",
//    "request_id":"9f2c...","route":"/api/v1/screen","status":200}
//
// Every string that reaches the log (the message and every string field) passes through
// the Logger's Redactor first, so PHI that found its way into a message is replaced
// before it is written. core cannot depend on the guard; the carepost binary plugs the
// guard's PHI redactor in (http/phi_redactor.h).
//
//   auto log = core::NewStreamLogger(&std::cerr, {.level = "info", .redactor = &phi});
//   log->Info("request", {{"request_id", id}, {"status", int64_t{200}}});
//
// Thread safety: a Logger is safe for concurrent use from many threads. The Redactor
// must be too, and must outlive the Logger.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>

#include "absl/status/statusor.h"
#include "core/clock.h"

namespace carepost::core {

// Rewrites text before it is logged (replaces PHI).
class Redactor {
 public:
  virtual ~Redactor() = default;
  virtual std::string Redact(std::string_view text) const = 0;
};

// A Redactor that changes nothing: for tools and tests that log no outside text.
const Redactor& NoRedaction();

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };
// "info" -> kInfo; InvalidArgument for anything else.
[[nodiscard]] absl::StatusOr<LogLevel> ParseLogLevel(std::string_view name);

// One key/value of a log line. Keys are fixed in code and never redacted; string values
// always are.
struct LogField {
  std::string_view key;
  std::variant<std::string_view, int64_t, double, bool> value;
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, int64_t v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
};

struct LoggerOptions {
  // Lines below this level are dropped.
  LogLevel level = LogLevel::kInfo;
  // Applied to every string before it is written. Required; must outlive the Logger.
  const Redactor* redactor = nullptr;
  // Time stamps come from here (nullptr: SystemClock::Get()).
  const Clock* clock = nullptr;
};

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Log(LogLevel level, std::string_view msg,
                   std::initializer_list<LogField> fields = {}) = 0;
  void Debug(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kDebug, msg, fields);
  }
  void Info(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kInfo, msg, fields);
  }
  void Warn(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kWarn, msg, fields);
  }
  void Error(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kError, msg, fields);
  }
  // Writes buffered lines out.
  virtual void Flush() = 0;
};

// A logger writing JSON lines to standard error.
std::unique_ptr<Logger> NewStderrLogger(const LoggerOptions& options);
// A logger writing JSON lines to `out` (which must outlive it): for tests.
std::unique_ptr<Logger> NewStreamLogger(std::ostream* out, const LoggerOptions& options);

// The JSON line (without newline) for one record. Exposed for tests.
std::string FormatLogLine(absl::Time ts, LogLevel level, std::string_view msg,
                          std::initializer_list<LogField> fields, const Redactor& redactor);

}  // namespace carepost::core
