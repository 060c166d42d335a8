// File: cli/settings_flags.h
//
// Command-line flags generated from the settings table (core/config.h), shared by
// `carepost serve` and `carepost config show`, and the merge of flags, environment and
// --config file into the effective configuration.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "core/config.h"

namespace carepost::cli {

struct SettingFlags {
  std::string config_file;                       // --config FILE
  std::map<std::string, std::string> values;     // setting name -> flag value as typed
  std::map<std::string, CLI::Option*> options;   // setting name -> its flag
  std::map<std::string, bool> bools;             // boolean flags' storage
};

// Adds --config and one flag per setting that has one.
void AddSettingFlags(CLI::App* cmd, SettingFlags* flags);

// Reads the --config file (if any) and the process environment, takes the flags that
// were given, and merges them (core::LoadConfig).
[[nodiscard]] absl::StatusOr<core::LoadedConfig> LoadSettings(const SettingFlags& flags);

}  // namespace carepost::cli
