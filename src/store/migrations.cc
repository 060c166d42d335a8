#include "store/migrations.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/status_macros.h"
#include "core/strings.h"

namespace carepost::store {

namespace {

// pg_advisory_xact_lock key that serializes migrations across nodes ("carepost" in hex).
constexpr int64_t kMigrationLockKey = 0x63617265706f7374;

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

// Makes concurrent migrators (other processes) wait for this transaction.
absl::Status LockMigrations(Tx& tx) {
  if (tx.dialect() != Dialect::kPostgres) return absl::OkStatus();  // BEGIN IMMEDIATE did
  return tx.Execute("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}).status();
}

absl::Status WithMigration(const Migration& m, absl::Status s) {
  if (s.ok()) return s;
  return absl::Status(
      s.code(), core::Cat("migration ", m.version, " (", m.name, "): ", std::string(s.message())));
}

}  // namespace

const std::string& MigrationStatement::For(Dialect dialect) const {
  if (dialect == Dialect::kSqlite && !sqlite.empty()) return sqlite;
  if (dialect == Dialect::kPostgres && !postgres.empty()) return postgres;
  return sql;
}

absl::StatusOr<int64_t> SchemaVersion(Executor& db) {
  const char* exists_sql =
      db.dialect() == Dialect::kSqlite
          ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND "
            "name = 'schema_migrations'"
          : "SELECT COUNT(*) AS n FROM information_schema.tables WHERE "
            "table_schema = current_schema() AND table_name = 'schema_migrations'";
  ASSIGN_OR_RETURN(Row exists, db.QueryRow(exists_sql));
  ASSIGN_OR_RETURN(int64_t n, exists.GetInt64("n"));
  if (n == 0) return 0;
  ASSIGN_OR_RETURN(Row row, db.QueryRow("SELECT COALESCE(MAX(version), 0) AS v FROM "
                                        "schema_migrations"));
  return row.GetInt64("v");
}

absl::StatusOr<int> Migrate(Database& db, absl::Span<const Migration> migrations,
                            const MigrateOptions& options) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int64_t>(i + 1) || migrations[i].name.empty()) {
      return absl::InvalidArgumentError(
          core::Cat("migrations must be numbered 1, 2, 3, ... and named; entry ", i + 1,
                    " is version ", migrations[i].version, " named '", migrations[i].name, "'"));
    }
  }
  const int64_t last =
      options.target_version > 0
          ? std::min<int64_t>(options.target_version, static_cast<int64_t>(migrations.size()))
          : static_cast<int64_t>(migrations.size());

  // Create the bookkeeping table and check that this list matches what was applied.
  RETURN_IF_ERROR(db.WithTransaction([&](Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(LockMigrations(tx));
    RETURN_IF_ERROR(tx.Execute(kCreateTable).status());
    ASSIGN_OR_RETURN(Rows applied,
                     tx.Query("SELECT version, name FROM schema_migrations ORDER BY version"));
    for (const Row& row : applied) {
      ASSIGN_OR_RETURN(int64_t version, row.GetInt64("version"));
      ASSIGN_OR_RETURN(std::string name, row.GetText("name"));
      if (version < 1 || version > static_cast<int64_t>(migrations.size())) {
        return absl::FailedPreconditionError(
            core::Cat("the database is at schema version ", version, " (", name,
                      "), which this carepost does not know (it knows up to ", migrations.size(),
                      "); run the newer carepost that migrated it"));
      }
      if (migrations[version - 1].name != name) {
        return absl::FailedPreconditionError(core::Cat("schema version ", version,
                                                       " was recorded as '", name,
                                                       "' but this carepost "
                                                       "calls it '",
                                                       migrations[version - 1].name, "'"));
      }
    }
    return absl::OkStatus();
  }));

  int applied = 0;
  for (int64_t v = 1; v <= last; ++v) {
    const Migration& m = migrations[v - 1];
    bool ran = false;
    absl::Status s = db.WithTransaction([&](Tx& tx) -> absl::Status {
      RETURN_IF_ERROR(LockMigrations(tx));
      ASSIGN_OR_RETURN(Rows done, tx.Query("SELECT version FROM schema_migrations "
                                           "WHERE version = $1",
                                           {m.version}));
      if (!done.empty()) return absl::OkStatus();  // applied earlier, or by another node
      for (const MigrationStatement& statement : m.statements) {
        RETURN_IF_ERROR(tx.Execute(statement.For(tx.dialect())).status());
      }
      const int64_t now =
          options.now_micros != 0 ? options.now_micros : absl::ToUnixMicros(absl::Now());
      RETURN_IF_ERROR(tx.Execute("INSERT INTO schema_migrations (version, name, applied_at) "
                                 "VALUES ($1, $2, $3)",
                                 {m.version, m.name, now})
                          .status());
      ran = true;
      return absl::OkStatus();
    });
    RETURN_IF_ERROR(WithMigration(m, s));
    if (ran) ++applied;
  }
  return applied;
}

}  // namespace carepost::store
