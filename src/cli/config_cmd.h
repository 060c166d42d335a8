// File: cli/config_cmd.h
//
// `carepost config show [--config FILE] [setting flags]`: prints the effective
// configuration as TOML with secrets masked and where each value came from.
// Exit status: 0 shown, 2 a setting is wrong.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/settings_flags.h"

namespace carepost::cli {

struct ConfigCommand {
  CLI::App* config = nullptr;
  CLI::App* show = nullptr;
  SettingFlags flags;
};

void AddConfigCommand(CLI::App& app, ConfigCommand* command);
int RunConfigCommand(const ConfigCommand& command);

}  // namespace carepost::cli
