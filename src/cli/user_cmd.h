// File: cli/user_cmd.h
//
// `carepost user add --email E --role R [--brand B] [--password-file F]`: creates a user
// (and, on a fresh installation, the organization) and grants a role, for one brand or
// organization-wide. Without --password-file the password is read from standard input
// (prompted twice, without echo, on a terminal). Exit status: 0 done, 1 failed,
// 2 usage error.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/domain_env.h"

namespace carepost::cli {

struct UserAddOptions {
  DomainFlags flags;
  std::string email;
  std::string display_name;
  std::string role;
  std::string brand;          // brand slug; empty: organization-wide
  std::string organization = "default";     // organization slug (created when missing)
  std::string organization_name = "My organization";  // its name, when created
  std::string password_file;  // empty: standard input
};

struct UserCommand {
  CLI::App* user = nullptr;
  CLI::App* add = nullptr;
  UserAddOptions add_options;
};

// Registers `user` and its subcommands on `app`.
void AddUserCommand(CLI::App& app, UserCommand* command);
// Runs the parsed `user` subcommand; returns the exit status.
int RunUserCommand(const UserCommand& command);

}  // namespace carepost::cli
