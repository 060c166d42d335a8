#include "core/log.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "core/strings.h"

namespace carepost::core {
namespace {

class Identity final : public Redactor {
 public:
  std::string Redact(std::string_view text) const override { return std::string(text); }
};

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

spdlog::level::level_enum SpdLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return spdlog::level::trace;
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

class SpdLogger final : public Logger {
 public:
  SpdLogger(spdlog::sink_ptr sink, const LoggerOptions& options)
      : logger_("carepost", std::move(sink)),
        redactor_(options.redactor != nullptr ? options.redactor : &NoRedaction()),
        clock_(options.clock != nullptr ? options.clock : &SystemClock::Get()) {
    logger_.set_pattern("%v");  // the line is formatted by FormatLogLine
    logger_.set_level(SpdLevel(options.level));
    logger_.flush_on(spdlog::level::trace);
  }

  void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) override {
    if (level == LogLevel::kOff || !logger_.should_log(SpdLevel(level))) return;
    const std::string line = FormatLogLine(clock_->Now(), level, msg, fields, *redactor_);
    logger_.log(SpdLevel(level), spdlog::string_view_t(line.data(), line.size()));
  }

  void Flush() override { logger_.flush(); }

 private:
  spdlog::logger logger_;
  const Redactor* redactor_;
  const Clock* clock_;
};

}  // namespace

const Redactor& NoRedaction() {
  static const Identity* r = new Identity();
  return *r;
}

absl::StatusOr<LogLevel> ParseLogLevel(std::string_view name) {
  for (LogLevel l : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                     LogLevel::kError, LogLevel::kOff}) {
    if (LevelName(l) == name) return l;
  }
  return absl::InvalidArgumentError(
      Cat("log level '", name, "' is not one of trace, debug, info, warn, error, off"));
}

std::string FormatLogLine(absl::Time ts, LogLevel level, std::string_view msg,
                          std::initializer_list<LogField> fields, const Redactor& redactor) {
  nlohmann::ordered_json j;
  j["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", ts, absl::UTCTimeZone());
  j["level"] = std::string(LevelName(level));
  j["msg"] = redactor.Redact(msg);
  for (const LogField& f : fields) {
    const std::string key(f.key);
    if (const auto* s = std::get_if<std::string_view>(&f.value)) {
      j[key] = redactor.Redact(*s);
    } else if (const auto* i = std::get_if<int64_t>(&f.value)) {
      j[key] = *i;
    } else if (const auto* d = std::get_if<double>(&f.value)) {
      j[key] = *d;
    } else if (const auto* b = std::get_if<bool>(&f.value)) {
      j[key] = *b;
    }
  }
  // Invalid UTF-8 from outside is replaced rather than aborting the log call.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::unique_ptr<Logger> NewStderrLogger(const LoggerOptions& options) {
  return std::make_unique<SpdLogger>(std::make_shared<spdlog::sinks::stderr_sink_mt>(), options);
}

std::unique_ptr<Logger> NewStreamLogger(std::ostream* out, const LoggerOptions& options) {
  return std::make_unique<SpdLogger>(std::make_shared<spdlog::sinks::ostream_sink_mt>(*out, true),
                                     options);
}

}  // namespace carepost::core
