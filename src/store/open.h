// File: store/open.h
//
// Opens the Database a URL names. This is the only place that chooses a backend:
//
//   ""                          SQLite, file carepost.db in options.data_dir
//   "sqlite:PATH", "PATH"       SQLite, the file PATH (or PATH/carepost.db when PATH is
//                               a directory); "sqlite::memory:" or ":memory:" in memory
//   "postgres://..."            PostgreSQL (also "postgresql://...")
//
// Anything else ("mysql://...", "postgres:db", "sqlite:") fails with InvalidArgument
// naming the forms that work. Errors and logs show URLs through RedactDatabaseUrl(),
// never with the password.
//
//   ASSIGN_OR_RETURN(auto db, OpenDatabase({.url = config.db, .data_dir = config.data_dir}));
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "store/database.h"
#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"

namespace carepost::store {

struct DatabaseOptions {
  // Which database: see the file comment. Empty means SQLite in data_dir.
  std::string url;

  // Where the default SQLite file lives; created (owner-only) when missing. Used only
  // when `url` is empty.
  std::string data_dir = "carepost-data";

  // Backend settings. The path of `sqlite` and the URL of `postgres` are taken from
  // `url`/`data_dir`; the other fields apply as given.
  SqliteOptions sqlite;
  PostgresOptions postgres;
};

// The file name of the SQLite database inside a data directory.
inline constexpr std::string_view kSqliteFileName = "carepost.db";

// Opens the database `options` describe (see the file comment).
[[nodiscard]] absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(
    const DatabaseOptions& options);

// `url` with any password replaced by "***" (in user:password@ and in ?password=), fit
// for messages, logs and `carepost config show`.
std::string RedactDatabaseUrl(std::string_view url);

}  // namespace carepost::store
