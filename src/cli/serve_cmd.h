// File: cli/serve_cmd.h
//
// `carepost serve [--config FILE] [--listen HOST:PORT] [--data-dir DIR] [--db URL]
// [--secret-key-file FILE] [--public-url URL] [--dev] ...`: loads the configuration
// (docs/configuration.md), the server key, opens and migrates the database, and serves
// HTTP (http/app.h) until SIGTERM or SIGINT, then drains in-flight requests and exits 0.
//
// Production (no --dev) refuses to start without a secret key. --dev creates
// data_dir/dev-secret.key (mode 0600) when no key is configured, and enables
// POST /api/v1/screen, which has no sign-in yet.
//
// Exit status: 0 stopped cleanly, 1 failed at start-up (database, key, address), 2 a
// setting is wrong.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/settings_flags.h"

namespace carepost::cli {

struct ServeCommand {
  CLI::App* serve = nullptr;
  SettingFlags flags;
};

void AddServeCommand(CLI::App& app, ServeCommand* command);
int RunServeCommand(const ServeCommand& command);

}  // namespace carepost::cli
