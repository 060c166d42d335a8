#include "core/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace carepost::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class Upper final : public Redactor {
 public:
  std::string Redact(std::string_view text) const override {
    std::string out(text);
    for (size_t p = out.find("secret"); p != std::string::npos; p = out.find("secret", p)) {
      out.replace(p, 6, "[X]");
    }
    return out;
  }
};

TEST(LogTest, WritesOneJsonObjectPerLineWithFields) {
  std::ostringstream out;
  SimulatedClock clock(absl::FromUnixSeconds(1'700'000'000));
  auto log = NewStreamLogger(&out, {.level = LogLevel::kInfo, .redactor = &NoRedaction(),
                                    .clock = &clock});
  log->Info("request", {{"request_id", "abc"}, {"status", 200}, {"ok", true}});
  log->Debug("dropped");
  log->Warn("second \"quoted\"\nline");
  log->Flush();
  std::istringstream lines(out.str());
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["msg"], "request");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["request_id"], "abc");
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["ts"], "2023-11-14T22:13:20.000Z");
  ASSERT_TRUE(std::getline(lines, line));
  EXPECT_EQ(nlohmann::json::parse(line)["msg"], "second \"quoted\"\nline");
  EXPECT_FALSE(std::getline(lines, line)) << "debug line should be dropped";
}

TEST(LogTest, EveryStringPassesThroughTheRedactor) {
  std::ostringstream out;
  Upper redactor;
  auto log = NewStreamLogger(&out, {.level = LogLevel::kTrace, .redactor = &redactor});
  std::string field = "a secret field";
  log->Error("msg with secret", {{"path", field}, {"view", std::string_view("secret view")}});
  log->Flush();
  EXPECT_THAT(out.str(), Not(HasSubstr("secret")));
  EXPECT_THAT(out.str(), HasSubstr("a [X] field"));
}

TEST(LogTest, InvalidUtf8DoesNotThrow) {
  const std::string line =
      FormatLogLine(absl::UnixEpoch(), LogLevel::kInfo, "bad \xff byte", {}, NoRedaction());
  EXPECT_NO_THROW(nlohmann::json::parse(line));
}

TEST(LogTest, ParseLogLevel) {
  EXPECT_EQ(*ParseLogLevel("warn"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("loud").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carepost::core
