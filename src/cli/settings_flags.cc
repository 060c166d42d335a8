#include "cli/settings_flags.h"

#include "core/status_macros.h"

namespace carepost::cli {

void AddSettingFlags(CLI::App* cmd, SettingFlags* flags) {
  cmd->add_option("--config", flags->config_file, "configuration file (TOML)");
  for (const core::SettingSpec& spec : core::Settings()) {
    if (!spec.has_flag) continue;
    const std::string name(spec.name);
    const std::string help(spec.description);
    if (spec.type == core::SettingType::kBool) {
      flags->options[name] = cmd->add_flag(core::FlagName(name), flags->bools[name], help);
    } else {
      flags->options[name] = cmd->add_option(core::FlagName(name), flags->values[name], help);
    }
  }
}

absl::StatusOr<core::LoadedConfig> LoadSettings(const SettingFlags& flags) {
  core::ConfigSources sources;
  if (!flags.config_file.empty()) {
    sources.file_path = flags.config_file;
    ASSIGN_OR_RETURN(sources.file_text, core::ReadConfigFile(flags.config_file));
  }
  sources.environment = core::ProcessEnvironment();
  for (const auto& [name, option] : flags.options) {
    if (option->count() == 0) continue;
    if (auto b = flags.bools.find(name); b != flags.bools.end()) {
      sources.flags[name] = b->second ? "true" : "false";
    } else {
      sources.flags[name] = flags.values.at(name);
    }
  }
  return core::LoadConfig(sources);
}

}  // namespace carepost::cli
