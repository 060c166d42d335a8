// File: store/migrations.h
//
// Versioned, forward-only schema migrations. Each migration runs in its own
// transaction and is recorded in `schema_migrations(version, name, applied_at)` in the
// same transaction, so a database is always at exactly one version: a migration that
// fails leaves the database at the version before it, and the error names the
// migration. Applying migrations again is a no-op. Several processes may migrate at
// once (PostgreSQL: an advisory lock; SQLite: the write lock of BEGIN IMMEDIATE); each
// migration is applied once.
//
//   ASSIGN_OR_RETURN(int applied, Migrate(*db, CarepostMigrations()));
//
// Migrations are never edited or removed once released: fix forward with a new one.
// DDL is written once where both dialects accept it; where types differ (BLOB vs
// BYTEA, INTEGER PRIMARY KEY AUTOINCREMENT vs GENERATED ALWAYS AS IDENTITY) a statement
// gives one text per dialect.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "store/database.h"

namespace carepost::store {

// One statement of a migration. `sql` is used on every backend unless the backend's own
// text is given.
struct MigrationStatement {
  std::string sql;
  std::string sqlite;    // replaces `sql` on SQLite when not empty
  std::string postgres;  // replaces `sql` on PostgreSQL when not empty

  // The text to run on `dialect`.
  const std::string& For(Dialect dialect) const;
};

struct Migration {
  int64_t version = 0;  // 1, 2, 3, ... in order, no gaps
  std::string name;     // short snake_case description, recorded with the version
  std::vector<MigrationStatement> statements;  // run in order, one transaction
};

struct MigrateOptions {
  // Stop after this version (0: apply all). For tests and staged upgrades.
  int64_t target_version = 0;
  // What `applied_at` records, in microseconds since the Unix epoch, UTC (0: now).
  int64_t now_micros = 0;
};

// Applies, in order, every migration in `migrations` newer than the database's version;
// returns how many were applied.
// Errors: InvalidArgument when `migrations` is not numbered 1, 2, 3, ...;
// FailedPrecondition when the database was migrated by a newer carepost (a version this
// list does not have) or a recorded name differs from this list's; otherwise the
// failing statement's error (same code) prefixed with "migration N (name)".
[[nodiscard]] absl::StatusOr<int> Migrate(Database& db, absl::Span<const Migration> migrations,
                                          const MigrateOptions& options = {});

// The highest applied version, 0 for a database never migrated.
[[nodiscard]] absl::StatusOr<int64_t> SchemaVersion(Executor& db);

// carepost's own migrations (store/schema.cc), oldest first.
const std::vector<Migration>& CarepostMigrations();

}  // namespace carepost::store
