#include "core/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace carepost::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(ConfigTest, DefaultsWhenNothingIsGiven) {
  auto loaded = LoadConfig({});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->config.listen, "127.0.0.1:8080");
  EXPECT_EQ(loaded->config.data_dir, "carepost-data");
  EXPECT_EQ(loaded->config.db, "");
  EXPECT_FALSE(loaded->config.dev);
  EXPECT_TRUE(loaded->config.trusted_proxies.empty());
  EXPECT_EQ(loaded->config.log_level, "info");
  EXPECT_EQ(loaded->origins.at("listen").source, SettingSource::kDefault);
  EXPECT_EQ(loaded->origins.size(), Settings().size());
}

TEST(ConfigTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  ConfigSources s;
  s.file_path = "carepost.toml";
  s.file_text =
      "listen = \"127.0.0.1:1001\"\n"
      "data_dir = \"/from/file\"\n"
      "log_level = \"warn\"\n"
      "trusted_proxies = [\"10.0.0.1\", \"192.168.0.0/16\"]\n";
  s.environment = {{"CAREPOST_LISTEN", "127.0.0.1:1002"},
                   {"CAREPOST_DATA_DIR", "/from/env"},
                   {"HOME", "/root"}};
  s.flags = {{"listen", "127.0.0.1:1003"}};
  auto loaded = LoadConfig(s);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->config.listen, "127.0.0.1:1003");
  EXPECT_EQ(loaded->origins.at("listen").where, "--listen");
  EXPECT_EQ(loaded->config.data_dir, "/from/env");
  EXPECT_EQ(loaded->origins.at("data_dir").where, "CAREPOST_DATA_DIR");
  EXPECT_EQ(loaded->config.log_level, "warn");
  EXPECT_EQ(loaded->origins.at("log_level").where, "carepost.toml:3");
  EXPECT_EQ(loaded->origins.at("log_level").source, SettingSource::kFile);
  EXPECT_THAT(loaded->config.trusted_proxies,
              ::testing::ElementsAre("10.0.0.1", "192.168.0.0/16"));
  EXPECT_EQ(loaded->config.secret_key_file, "");
  EXPECT_EQ(loaded->origins.at("secret_key_file").source, SettingSource::kDefault);
}

TEST(ConfigTest, BoolsAndListsFromEnvironmentAndFlags) {
  ConfigSources s;
  s.environment = {{"CAREPOST_TRUSTED_PROXIES", "10.0.0.1, ::1"}};
  s.flags = {{"dev", "true"}};
  auto loaded = LoadConfig(s);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(loaded->config.dev);
  EXPECT_THAT(loaded->config.trusted_proxies, ::testing::ElementsAre("10.0.0.1", "::1"));
}

TEST(ConfigTest, UnknownFileKeyNamesKeyAndLine) {
  ConfigSources s;
  s.file_path = "carepost.toml";
  s.file_text = "listen = \"127.0.0.1:1\"\n\nlisen = \"x\"\n";
  auto loaded = LoadConfig(s);
  ASSERT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(loaded.status()), HasSubstr("carepost.toml:3: unknown setting 'lisen'"));
}

TEST(ConfigTest, WrongTypeInFileNamesKeyAndLine) {
  ConfigSources s;
  s.file_path = "c.toml";
  s.file_text = "dev = \"yes\"\n";
  auto loaded = LoadConfig(s);
  ASSERT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(loaded.status()), HasSubstr("c.toml:1: setting 'dev' must be true or false"));
}

TEST(ConfigTest, TomlSyntaxErrorNamesLine) {
  ConfigSources s;
  s.file_path = "c.toml";
  s.file_text = "listen = \"127.0.0.1:1\"\nlog_level = \n";
  auto loaded = LoadConfig(s);
  ASSERT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(loaded.status()), HasSubstr("c.toml:2"));
}

TEST(ConfigTest, InvalidValuesAreRejectedWithTheirSource) {
  struct Case {
    std::map<std::string, std::string> env, flags;
    std::string expected;
  };
  const Case cases[] = {
      {{}, {{"listen", "localhost"}}, "--listen: setting 'listen' must be HOST:PORT"},
      {{}, {{"listen", "127.0.0.1:70000"}}, "port number"},
      {{{"CAREPOST_LOG_LEVEL", "loud"}}, {}, "CAREPOST_LOG_LEVEL: setting 'log_level' must be"},
      {{{"CAREPOST_TRUSTED_PROXIES", "10.0.0.0/33"}}, {}, "not an IP address or CIDR"},
      {{{"CAREPOST_TRUSTED_PROXIES", "proxy.local"}}, {}, "'proxy.local'"},
      {{}, {{"public_url", "carepost.example.org"}}, "http:// or https://"},
      {{}, {{"dev", "maybe"}}, "--dev: setting 'dev' must be true or false"},
      {{{"CAREPOST_LISTN", "x"}}, {}, "environment variable CAREPOST_LISTN: unknown setting"},
  };
  for (const Case& c : cases) {
    ConfigSources s;
    s.environment = c.env;
    s.flags = c.flags;
    auto loaded = LoadConfig(s);
    ASSERT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument) << c.expected;
    EXPECT_THAT(Message(loaded.status()), HasSubstr(c.expected));
  }
}

TEST(ConfigTest, ShowMasksSecretsAndSaysWhereValuesCameFrom) {
  ConfigSources s;
  s.environment = {{"CAREPOST_DB", "postgres://carepost:hunter2@db/carepost"}};
  s.flags = {{"listen", "127.0.0.1:9"}};
  auto loaded = LoadConfig(s);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const std::string shown = ShowConfig(*loaded);
  EXPECT_THAT(shown, ::testing::Not(HasSubstr("hunter2")));
  EXPECT_THAT(shown, HasSubstr("db = \"********\"  # CAREPOST_DB"));
  EXPECT_THAT(shown, HasSubstr("listen = \"127.0.0.1:9\"  # --listen"));
  EXPECT_THAT(shown, HasSubstr("dev = false  # default"));
  const std::string custom = ShowConfig(
      *loaded, [](std::string_view, std::string_view) { return std::string("postgres://x"); });
  EXPECT_THAT(custom, HasSubstr("db = \"postgres://x\""));
  // What ShowConfig prints is itself a valid configuration file.
  ConfigSources again;
  again.file_path = "shown.toml";
  again.file_text = shown;
  auto reloaded = LoadConfig(again);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->config.listen, "127.0.0.1:9");
}

TEST(ConfigTest, KeyMaterialHasNoFlagAndIsMasked) {
  ConfigSources s;
  s.flags = {{"secret_key", "00"}};
  EXPECT_EQ(LoadConfig(s).status().code(), absl::StatusCode::kInvalidArgument);
  ConfigSources env;
  env.environment = {{"CAREPOST_SECRET_KEY", std::string(64, 'a')}};
  auto loaded = LoadConfig(env);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->config.secret_key, std::string(64, 'a'));
  EXPECT_THAT(ShowConfig(*loaded), Not(HasSubstr("aaaa")));
}

TEST(ConfigTest, NamesAreDerivedFromTheTable) {
  EXPECT_EQ(EnvironmentVariableName("data_dir"), "CAREPOST_DATA_DIR");
  EXPECT_EQ(FlagName("secret_key_file"), "--secret-key-file");
}

TEST(ConfigTest, MissingFileIsNotFoundNamingThePath) {
  auto text = ReadConfigFile("/nonexistent/carepost.toml");
  ASSERT_EQ(text.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(Message(text.status()), HasSubstr("/nonexistent/carepost.toml"));
}

// docs/configuration.md documents every setting: its key, variable and flag.
TEST(ConfigTest, EverySettingIsDocumented) {
  std::ifstream in("docs/configuration.md");
  ASSERT_TRUE(in) << "run from the project root";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const SettingSpec& spec : Settings()) {
    EXPECT_THAT(doc, HasSubstr(std::string("`") + std::string(spec.name) + "`")) << spec.name;
    EXPECT_THAT(doc, HasSubstr(EnvironmentVariableName(spec.name))) << spec.name;
    if (spec.has_flag) {
      EXPECT_THAT(doc, HasSubstr(FlagName(spec.name))) << spec.name;
    }
    EXPECT_THAT(doc, HasSubstr(std::string(spec.description))) << spec.name;
  }
}

}  // namespace
}  // namespace carepost::core
