// File: cli/user_cmd.h
//
// The administrator's way in when the web app is out of reach (the first admin, a
// forgotten password, a leaver to lock out):
//
//   carepost user add --email E --role R [--brand B] [--password-file F]
//       creates a user (and, on a fresh installation, the organization) and grants a
//       role, for one brand or organization-wide
//   carepost user list [--org SLUG]             email, id, state and roles, one per line
//   carepost user set-password --email E [--password-file F]
//       replaces the password and ends the user's sessions
//   carepost user disable --email E / user enable --email E
//       disable also ends the user's sessions
//
// Passwords are read from --password-file or standard input (prompted twice, without
// echo, on a terminal), never from the command line. Every change is audited with the
// actor "cli". Exit status: 0 done, 1 failed, 2 usage error.
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

// Options of list, set-password, disable and enable.
struct UserManageOptions {
  DomainFlags flags;
  std::string email;          // set-password, disable, enable
  std::string organization = "default";  // list
  std::string password_file;  // set-password; empty: standard input
};

struct UserCommand {
  CLI::App* user = nullptr;
  CLI::App* add = nullptr;
  CLI::App* list = nullptr;
  CLI::App* set_password = nullptr;
  CLI::App* disable = nullptr;
  CLI::App* enable = nullptr;
  UserAddOptions add_options;
  UserManageOptions manage_options;
};

// Registers `user` and its subcommands on `app`.
void AddUserCommand(CLI::App& app, UserCommand* command);
// Runs the parsed `user` subcommand; returns the exit status.
int RunUserCommand(const UserCommand& command);

}  // namespace carepost::cli
