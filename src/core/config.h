// File: core/config.h
//
// carepost's settings. ONE table (Settings()) declares every setting: its name, type,
// default and description, and whether its value may hold a credential. That table is
// the single source for the TOML file keys (`listen = "..."`), the environment
// variables (`CAREPOST_LISTEN`) and the command-line flags (`--listen`), and
// docs/configuration.md is checked against it by a test.
//
// Precedence, highest first: flag, environment, file, default.
//
//   core::ConfigSources sources;
//   sources.file_path = "carepost.toml";
//   ASSIGN_OR_RETURN(sources.file_text, core::ReadConfigFile(sources.file_path));
//   sources.environment = core::ProcessEnvironment();
//   sources.flags["listen"] = "0.0.0.0:8080";          // only flags the user gave
//   ASSIGN_OR_RETURN(core::LoadedConfig loaded, core::LoadConfig(sources));
//   Serve(loaded.config);
//
// A wrong or unknown setting is an InvalidArgument error whose message names the key
// and, for the file, the line ("carepost.toml:3: unknown setting 'lisen' ...").
// Messages never include a value of a secret setting.
//
// Thread safety: everything here is a pure function of its arguments, except
// ProcessEnvironment() and ReadConfigFile(), which read the process state and a file.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace carepost::core {

enum class SettingType { kString, kBool, kStringList };

// One row of the settings table.
struct SettingSpec {
  std::string_view name;           // TOML key; flag is --name with '_' as '-'
  SettingType type;                // how the value is written and checked
  std::string_view default_value;  // as it would be written in the environment
  std::string_view description;    // one sentence for docs and --help
  bool secret = false;             // the value may hold a credential: masked when shown
  bool has_flag = true;            // false: file and environment only (e.g. key material,
                                   // which must not appear in `ps` output)
};

// Every setting, in the order they are documented.
const std::vector<SettingSpec>& Settings();

// "CAREPOST_LISTEN" for "listen".
std::string EnvironmentVariableName(std::string_view setting);
// "--data-dir" for "data_dir".
std::string FlagName(std::string_view setting);

// The effective configuration.
struct Config {
  // HOST:PORT the HTTP server listens on.
  std::string listen = "127.0.0.1:8080";
  // Directory for the SQLite database, the development key and other local state.
  std::string data_dir = "carepost-data";
  // Database URL; empty means SQLite in data_dir (see store/open.h).
  std::string db;
  // File holding the server's secret key; required unless dev or secret_key is set.
  std::string secret_key_file;
  // The server key itself as 64 hex digits (environment or file only, never a flag).
  std::string secret_key;
  // The URL users reach the server at (for links and cookies); empty: derived from listen.
  std::string public_url;
  // Development mode: generates a local key, loads the demo organization, allows
  // session cookies over plain http.
  bool dev = false;
  // Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed.
  std::vector<std::string> trusted_proxies;
  // Minimum log level: trace, debug, info, warn, error or off.
  std::string log_level = "info";
  // Bearer token GET /metrics requires; empty: /metrics answers loopback clients only.
  std::string metrics_token;
  // Largest media upload accepted, in decimal megabytes (1 to 10000).
  int64_t max_upload_mb = 100;
};

// Where an effective value came from.
enum class SettingSource { kDefault, kFile, kEnvironment, kFlag };
std::string_view SettingSourceName(SettingSource source);  // "default", "file", ...

struct SettingOrigin {
  SettingSource source = SettingSource::kDefault;
  // Human-readable: "default", "carepost.toml:4", "CAREPOST_DB", "--listen".
  std::string where;
};

// The inputs LoadConfig() merges. Tests fill these directly.
struct ConfigSources {
  // Name of the configuration file, for messages; empty when there is no file.
  std::string file_path;
  // Its contents (TOML).
  std::string file_text;
  // Environment variables (name -> value); only CAREPOST_* names are looked at.
  std::map<std::string, std::string> environment;
  // Flags the user gave, by setting name ("data_dir" -> "/var/lib/carepost"); lists
  // are comma-separated, booleans "true"/"false".
  std::map<std::string, std::string> flags;
};

struct LoadedConfig {
  Config config;
  // Setting name -> where its effective value came from; one entry per setting.
  std::map<std::string, SettingOrigin> origins;
};

// Merges `sources` over the defaults and checks every value.
[[nodiscard]] absl::StatusOr<LoadedConfig> LoadConfig(const ConfigSources& sources);

// The process environment's CAREPOST_* variables.
std::map<std::string, std::string> ProcessEnvironment();

// Reads a configuration file; NotFound / PermissionDenied naming the path on failure.
[[nodiscard]] absl::StatusOr<std::string> ReadConfigFile(const std::string& path);

// Shows a secret value: receives the setting name and value, returns what may be shown.
using SecretMasker = std::function<std::string(std::string_view name, std::string_view value)>;

// The effective configuration as TOML, one setting per line, each followed by a comment
// saying where it came from. Secret values pass through `mask` (default: "********"
// for any non-empty value).
std::string ShowConfig(const LoadedConfig& loaded, const SecretMasker& mask = nullptr);

// The effective value of `name` written as in the environment (lists comma-separated).
std::string SettingValueText(const Config& config, std::string_view name);

}  // namespace carepost::core
