// File: store/database.h
//
// The one interface in front of SQL. Every table the product keeps is reached through a
// Database; the backends (store/sqlite/, store/postgres/) are chosen once, at start-up,
// by OpenDatabase() in store/open.h.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Database> db, OpenDatabase({.url = flags.db}));
//   RETURN_IF_ERROR(Migrate(*db, CarepostMigrations()).status());
//   ASSIGN_OR_RETURN(Rows rows, db->Query("SELECT id, email FROM users WHERE email = $1",
//                                         {email}));
//   for (const Row& row : rows) { ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id")); ... }
//
//   RETURN_IF_ERROR(db->WithTransaction([&](Tx& tx) -> absl::Status {
//     ASSIGN_OR_RETURN(Row org, tx.QueryRow(
//         "INSERT INTO organizations (name, slug, created_at) VALUES ($1, $2, $3) "
//         "RETURNING id", {name, slug, now}));
//     ...
//     return absl::OkStatus();   // commits; an error (or an exception) rolls back
//   }));
//
// SQL dialect. SQL is written once, in PostgreSQL style, with numbered placeholders $1,
// $2, ... A placeholder may be used several times and in any order; the SQLite backend
// binds them by name. Keep to the common subset of SQLite 3.40 and PostgreSQL 15
// (RETURNING, ON CONFLICT ... DO NOTHING/UPDATE, CAST, || and COALESCE all work in both);
// where the two must differ (DDL types), branch on dialect(). One call runs ONE statement.
// Every parameter must be used by a placeholder (SQLite refuses an unused one; PostgreSQL
// ignores an unused one of known type, so code that passes on SQLite is right for both).
// Never build SQL out of values: every value is a bound parameter. Parameter values
// never appear in an error message either (they may be PHI); the SQL text may.
//
// Types. Parameters: int64 binds as BIGINT, double as DOUBLE PRECISION, text as text
// whose PostgreSQL type is inferred from where it is used (write CAST($1 AS TEXT) where
// nothing says), blobs as BYTEA, NULL as an untyped NULL. Results: integer and boolean
// columns read as int64, floating-point as double, BYTEA/BLOB as blob, NUMERIC as int64
// when it holds an integer that fits (SUM(bigint) in PostgreSQL) and double otherwise,
// and every other PostgreSQL type as its text form. Timestamps are stored as int64
// microseconds since the Unix epoch, UTC, in both dialects.
//
// Errors carry the most specific canonical code:
//   AlreadyExists      a unique or primary-key constraint was violated
//   FailedPrecondition another constraint (foreign key, NOT NULL, CHECK) was violated,
//                      a transaction was nested, or a transaction already failed
//   InvalidArgument    the SQL is wrong (syntax, unknown table/column, type mismatch),
//                      a placeholder has no parameter, a parameter is unusable (text
//                      that is not UTF-8 or holds NUL, NaN), or a value read as the
//                      wrong type
//   NotFound           QueryRow() found no row
//   Unavailable        the database cannot be reached or the connection was lost
//                      (the statement may or may not have run), or it stayed locked
//   Aborted            a serialization failure or deadlock: retry the transaction
//   DeadlineExceeded   a statement or pool timeout
//   Internal           anything else
//
// Thread safety: a Database is safe for concurrent use from many threads without
// external synchronization. Each backend keeps a pool of connections (SQLite: exactly
// one connection, so statements from different threads run one after the other;
// PostgreSQL: up to PostgresOptions::pool_size connections); a statement or transaction
// borrows one connection for its duration. A Tx belongs to the thread that runs the
// transaction function and is valid only inside it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "store/value.h"

namespace carepost::store {

// Which SQL dialect a backend speaks.
enum class Dialect { kSqlite, kPostgres };
std::string_view DialectName(Dialect dialect);  // "sqlite" or "postgres"

// Bound parameters: params[0] is $1, params[1] is $2, ...
using Params = absl::Span<const Value>;

// One row of a result. Cells are addressed by position or by column name.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  // REQUIRES: i < size().
  const Value& operator[](size_t i) const { return values_[i]; }
  const std::vector<Value>& values() const { return values_; }
  const std::vector<std::string>& columns() const { return *columns_; }

  // The cell of the named column; InvalidArgument when the result has no such column.
  absl::StatusOr<const Value*> Get(std::string_view column) const;

  // Typed reads by column name (see Value::AsInt64() and friends).
  absl::StatusOr<int64_t> GetInt64(std::string_view column) const;
  absl::StatusOr<double> GetDouble(std::string_view column) const;
  absl::StatusOr<std::string> GetText(std::string_view column) const;
  absl::StatusOr<std::string> GetBlob(std::string_view column) const;
  // True when the named column is NULL.
  absl::StatusOr<bool> IsNull(std::string_view column) const;

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

// The rows a query returned, in order, with the result's column names.
class Rows {
 public:
  Rows() : columns_(std::make_shared<std::vector<std::string>>()) {}
  explicit Rows(std::vector<std::string> columns)
      : columns_(std::make_shared<std::vector<std::string>>(std::move(columns))) {}

  const std::vector<std::string>& columns() const { return *columns_; }
  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](size_t i) const { return rows_[i]; }
  std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const { return rows_.end(); }

  // Appends a row. REQUIRES: values.size() == columns().size(). For backends.
  void Add(std::vector<Value> values) { rows_.emplace_back(columns_, std::move(values)); }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Row> rows_;
};

// What runs statements: a Database (each statement on its own, auto-committed) or a Tx
// (inside one transaction). Code that should work either way takes an Executor&.
class Executor {
 public:
  virtual ~Executor() = default;

  // Runs one statement and returns the number of rows it inserted, updated or deleted
  // (for a statement that only reads: the number of rows it returned; for DDL: 0).
  [[nodiscard]] virtual absl::StatusOr<int64_t> Execute(std::string_view sql,
                                                        Params params = {}) = 0;

  // Runs one statement and returns every row it produced (none for a statement that
  // produces no rows).
  [[nodiscard]] virtual absl::StatusOr<Rows> Query(std::string_view sql, Params params = {}) = 0;

  // Runs a query that must produce exactly one row: NotFound when it produces none,
  // FailedPrecondition when it produces more than one.
  [[nodiscard]] absl::StatusOr<Row> QueryRow(std::string_view sql, Params params = {});

  // The dialect of the backend the statements go to.
  virtual Dialect dialect() const = 0;
};

// A transaction in progress, handed to the function given to WithTransaction(). Once a
// statement in it fails, the transaction is doomed: later statements fail with
// FailedPrecondition and WithTransaction() rolls back and returns the first error, even
// when the function returned OK (PostgreSQL cannot go on after an error; SQLite is made
// to behave the same). To tolerate an expected conflict, say so in SQL (ON CONFLICT).
class Tx : public Executor {};

// A database: see the file comment for the contract every backend keeps.
class Database : public Executor {
 public:
  // Runs `fn` inside one transaction on one connection. Commits when `fn` returns OK and
  // returns the commit's status; rolls back when `fn` returns an error (which is
  // returned) or throws (Internal is returned; the exception does not propagate).
  // SQLite transactions take the write lock at BEGIN (BEGIN IMMEDIATE); PostgreSQL ones
  // run at READ COMMITTED.
  // Calling WithTransaction(), Execute() or Query() on this Database from inside `fn`
  // (on the same thread) fails with FailedPrecondition: use the Tx.
  [[nodiscard]] virtual absl::Status WithTransaction(
      const std::function<absl::Status(Tx&)>& fn) = 0;
};

}  // namespace carepost::store
