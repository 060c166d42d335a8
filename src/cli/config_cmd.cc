#include "cli/config_cmd.h"

#include <cstdio>

#include "store/open.h"

namespace carepost::cli {

void AddConfigCommand(CLI::App& app, ConfigCommand* command) {
  command->config = app.add_subcommand("config", "Inspect carepost's configuration");
  command->config->require_subcommand(1);
  command->show = command->config->add_subcommand(
      "show", "Print the effective configuration (secrets masked) and where each value came from");
  AddSettingFlags(command->show, &command->flags);
}

int RunConfigCommand(const ConfigCommand& command) {
  auto loaded = LoadSettings(command.flags);
  if (!loaded.ok()) {
    std::fprintf(stderr, "carepost config: %s\n", std::string(loaded.status().message()).c_str());
    return 2;
  }
  const std::string shown =
      core::ShowConfig(*loaded, [](std::string_view name, std::string_view value) {
        // A database URL is useful to see; only its password is secret.
        if (name == "db") return store::RedactDatabaseUrl(value);
        return std::string("********");
      });
  std::fputs(shown.c_str(), stdout);
  return 0;
}

}  // namespace carepost::cli
