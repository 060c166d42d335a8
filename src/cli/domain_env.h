// File: cli/domain_env.h
//
// What the people/audit subcommands (`user`, `audit`, `migrate`) share: the --db,
// --data-dir and --secret-key-file flags, and opening the database (migrated), the
// server key, the audit log and the user service from them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "absl/status/statusor.h"
#include "domain/audit.h"
#include "domain/secrets.h"
#include "domain/users.h"
#include "store/database.h"

namespace carepost::cli {

struct DomainFlags {
  std::string db;                        // database URL; empty: SQLite in data_dir
  std::string data_dir = "carepost-data";  // SQLite file and audit checkpoint file
  std::string secret_key_file;           // else CAREPOST_SECRET_KEY_FILE / CAREPOST_SECRET_KEY
};

// Adds --db, --data-dir and (when with_key) --secret-key-file to `cmd`.
void AddDomainFlags(CLI::App* cmd, DomainFlags* flags, bool with_key);

// The file audit checkpoints are appended to, inside the data directory.
std::string CheckpointFile(const std::string& data_dir);

// An open, migrated database with the services on top. Members are declared in the
// order they depend on each other.
struct DomainEnv {
  std::unique_ptr<store::Database> db;
  std::optional<domain::SecretKey> key;
  std::unique_ptr<domain::AuditLog> audit;
  std::unique_ptr<domain::UserService> users;
};

// Opens the database (creating the data directory, owner-only, when missing), applies
// migrations and loads the key; builds the audit log and user service.
[[nodiscard]] absl::StatusOr<DomainEnv> OpenDomainEnv(const DomainFlags& flags);

// Prints "carepost: <message>" to standard error.
void PrintError(const absl::Status& status);

}  // namespace carepost::cli
