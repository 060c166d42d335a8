// File: store/sqlite/sqlite_database.h
//
// The SQLite backend (libsqlite3): the zero-setup default, one file per installation
// (`carepost.db` in the data directory). Opened in WAL mode with foreign keys on and a
// busy timeout. The Database holds ONE connection behind a mutex: statements and
// transactions from different threads run one after the other, which is what SQLite's
// single writer allows anyway. For several nodes, use PostgreSQL.
//
//   ASSIGN_OR_RETURN(auto db, OpenSqlite({.path = data_dir + "/carepost.db"}));
//   ASSIGN_OR_RETURN(auto test_db, OpenSqlite({.path = ":memory:"}));
//
// When carepost is built with CAREPOST_WITH_SQLITE=OFF, OpenSqlite() fails with
// Unimplemented.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/database.h"

namespace carepost::store {

struct SqliteOptions {
  // The database file, created (readable by its owner only) when missing; ":memory:"
  // for a private in-memory database that disappears when the Database is destroyed.
  std::string path = ":memory:";

  // How long a statement waits for a lock that another process (another carepost
  // process on the same file) holds before failing with Unavailable.
  absl::Duration busy_timeout = absl::Seconds(5);

  // PRAGMA synchronous. kNormal (default): in WAL mode a power cut may lose the last
  // commits but never corrupts the file; commits do not wait for the disk. kFull: every
  // commit waits for fsync (durable, slower on spinning or network disks).
  enum class Sync { kNormal, kFull };
  Sync synchronous = Sync::kNormal;

  // Prepared statements kept per connection for reuse (SQL texts in the code are few).
  int statement_cache_size = 128;
};

// Opens (creating if needed) the SQLite database at options.path.
// Errors: Unavailable when the file cannot be opened, DataLoss when it is not a SQLite
// database or is corrupt, Unimplemented when SQLite support is compiled out.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options);

}  // namespace carepost::store
