// File: cli/migrate_cmd.h
//
// `carepost migrate [--db URL] [--data-dir DIR]`: applies the schema migrations the
// database lacks and prints its version. Exit status: 0 done, 1 failed.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/domain_env.h"

namespace carepost::cli {

struct MigrateCommand {
  CLI::App* migrate = nullptr;
  DomainFlags flags;
};

void AddMigrateCommand(CLI::App& app, MigrateCommand* command);
int RunMigrateCommand(const MigrateCommand& command);

}  // namespace carepost::cli
