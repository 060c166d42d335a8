// SQLite backend: libsqlite3 behind internal::Connection.
#include "store/sqlite/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "store/internal/connection.h"

namespace carepost::store {

namespace {

using internal::SqlForMessage;

// The canonical code for a SQLite (extended) result code.
absl::StatusCode CodeFor(int extended) {
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return absl::StatusCode::kAlreadyExists;
    default:
      break;
  }
  switch (extended & 0xff) {
    case SQLITE_CONSTRAINT:
      return absl::StatusCode::kFailedPrecondition;
    case SQLITE_ERROR:  // syntax errors, unknown tables and columns
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return absl::StatusCode::kInvalidArgument;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PROTOCOL:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::StatusCode::kPermissionDenied;
    case SQLITE_INTERRUPT:
      return absl::StatusCode::kCancelled;
    default:
      return absl::StatusCode::kInternal;
  }
}

// SQLite's messages name tables, columns and constraints, never bound values.
absl::Status SqliteError(sqlite3* db, int rc, std::string_view what, std::string_view sql) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  const char* msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string text = core::Cat("sqlite: ", what, ": ", msg);
  if (!sql.empty()) core::Append(&text, " [", SqlForMessage(sql), "]");
  return absl::Status(CodeFor(extended), text);
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ';') return false;
  }
  return true;
}

// Parses the name SQLite reports for a placeholder: "$N" with N >= 1, else 0.
size_t PlaceholderNumber(const char* name) {
  if (name == nullptr || name[0] != '$' || name[1] == '\0' || name[1] == '0') return 0;
  std::string_view digits(name + 1);
  size_t n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return 0;
  return n;
}

class SqliteConnection final : public internal::Connection {
 public:
  SqliteConnection(sqlite3* db, int cache_size) : db_(db), cache_size_(cache_size) {}
  ~SqliteConnection() override {
    for (auto& [sql, prepared] : cache_) sqlite3_finalize(prepared.stmt);
    sqlite3_close_v2(db_);
  }

  absl::StatusOr<int64_t> Run(std::string_view sql, Params params, Rows* rows) override {
    const Statement* statement = nullptr;
    absl::Status prepared = Prepare(sql, &statement);
    if (!prepared.ok()) return prepared;
    sqlite3_stmt* stmt = statement->stmt;
    // Resets the statement and drops the bindings (which point into `params`) on exit.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};

    absl::Status bound = Bind(*statement, sql, params);
    if (!bound.ok()) return bound;

    const int columns = sqlite3_column_count(stmt);
    if (rows != nullptr) {
      std::vector<std::string> names;
      names.reserve(columns);
      for (int i = 0; i < columns; ++i) names.emplace_back(sqlite3_column_name(stmt, i));
      *rows = Rows(std::move(names));
    }
    const int64_t total_before = sqlite3_total_changes64(db_);
    int64_t returned = 0;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, rc, "running a statement", sql);
      ++returned;
      if (rows == nullptr) continue;
      std::vector<Value> values;
      values.reserve(columns);
      for (int i = 0; i < columns; ++i) values.push_back(ColumnValue(stmt, i));
      rows->Add(std::move(values));
    }
    if (!in_transaction_ && sqlite3_get_autocommit(db_) == 0) {
      // BEGIN through Execute() would leave a transaction open on a pooled connection.
      (void)Exec("ROLLBACK");
      return absl::FailedPreconditionError(
          core::Cat("transaction control statements are not allowed here; use "
                    "Database::WithTransaction [",
                    SqlForMessage(sql), "]"));
    }
    if (sqlite3_stmt_readonly(stmt) != 0) return returned;
    if (sqlite3_total_changes64(db_) == total_before) return 0;  // DDL
    return sqlite3_changes64(db_);
  }

  absl::Status Begin() override {
    absl::Status s = Exec("BEGIN IMMEDIATE");
    in_transaction_ = s.ok();
    return s;
  }

  absl::Status Commit() override {
    absl::Status s = Exec("COMMIT");
    if (s.ok() || sqlite3_get_autocommit(db_) != 0) in_transaction_ = false;
    return s;
  }

  absl::Status Rollback() override {
    in_transaction_ = false;
    if (sqlite3_get_autocommit(db_) != 0) return absl::OkStatus();  // already rolled back
    return Exec("ROLLBACK");
  }

  bool healthy() const override { return true; }

  // Runs a parameterless statement (pragmas, transaction control).
  absl::Status Exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "running a statement", sql);
    return absl::OkStatus();
  }

  // Runs a pragma and returns its first result as text ("" when none).
  absl::StatusOr<std::string> Pragma(std::string_view sql) {
    Rows rows;
    absl::StatusOr<int64_t> n = Run(sql, {}, &rows);
    if (!n.ok()) return n.status();
    if (rows.empty() || rows[0].size() == 0) return std::string();
    const Value& v = rows[0][0];
    if (v.type() == Value::Type::kText) return v.text_value();
    if (v.type() == Value::Type::kInt64) return core::Cat(v.int64_value());
    return std::string();
  }

 private:
  // A prepared statement and the number N of each of its placeholders "$N", in order.
  // sqlite3_bind_parameter_name is linear in the number of placeholders, so asking it
  // on every run made a statement with a long IN list quadratic; it is asked once here.
  struct Statement {
    sqlite3_stmt* stmt = nullptr;
    std::vector<size_t> numbers;
  };

  absl::Status Prepare(std::string_view sql, const Statement** out) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) {
      *out = &it->second;
      return absl::OkStatus();
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "preparing a statement", sql);
    if (stmt == nullptr) {
      return absl::InvalidArgumentError(
          core::Cat("sqlite: the SQL holds no statement [", SqlForMessage(sql), "]"));
    }
    // Anything after the first statement must be blank or a comment.
    std::string_view rest(tail, static_cast<size_t>(sql.data() + sql.size() - tail));
    if (!IsBlank(rest)) {
      sqlite3_stmt* next = nullptr;
      rc = sqlite3_prepare_v2(db_, rest.data(), static_cast<int>(rest.size()), &next, nullptr);
      const bool more = rc != SQLITE_OK || next != nullptr;
      sqlite3_finalize(next);
      if (more) {
        sqlite3_finalize(stmt);
        return absl::InvalidArgumentError(
            core::Cat("sqlite: the SQL holds more than one statement; run one at a time [",
                      SqlForMessage(sql), "]"));
      }
    }
    Statement prepared{.stmt = stmt};
    const int count = sqlite3_bind_parameter_count(stmt);
    prepared.numbers.reserve(static_cast<size_t>(count));
    for (int i = 1; i <= count; ++i) {
      const char* name = sqlite3_bind_parameter_name(stmt, i);
      const size_t n = PlaceholderNumber(name);
      if (n == 0) {
        sqlite3_finalize(stmt);
        return absl::InvalidArgumentError(
            core::Cat("sqlite: placeholder '", name == nullptr ? "?" : name,
                      "' is not of the form $1, $2, ... [", SqlForMessage(sql), "]"));
      }
      prepared.numbers.push_back(n);
    }
    if (static_cast<int>(cache_.size()) >= cache_size_) {
      for (auto& [k, cached] : cache_) sqlite3_finalize(cached.stmt);
      cache_.clear();
    }
    *out = &cache_.emplace(std::move(key), std::move(prepared)).first->second;
    return absl::OkStatus();
  }

  // Binds params[N-1] to every placeholder $N; every parameter must be used.
  absl::Status Bind(const Statement& statement, std::string_view sql, Params params) {
    sqlite3_stmt* stmt = statement.stmt;
    std::vector<bool> used(params.size(), false);
    for (size_t k = 0; k < statement.numbers.size(); ++k) {
      const int i = static_cast<int>(k) + 1;
      const size_t n = statement.numbers[k];
      if (n > params.size()) {
        return absl::InvalidArgumentError(core::Cat("sqlite: placeholder $", n,
                                                    " has no parameter (", params.size(),
                                                    " given) [", SqlForMessage(sql), "]"));
      }
      used[n - 1] = true;
      const Value& v = params[n - 1];
      int rc = SQLITE_OK;
      switch (v.type()) {
        case Value::Type::kNull:
          rc = sqlite3_bind_null(stmt, i);
          break;
        case Value::Type::kInt64:
          rc = sqlite3_bind_int64(stmt, i, v.int64_value());
          break;
        case Value::Type::kDouble:
          rc = sqlite3_bind_double(stmt, i, v.double_value());
          break;
        case Value::Type::kText:
          rc = sqlite3_bind_text64(stmt, i, v.text_value().data(), v.text_value().size(),
                                   SQLITE_STATIC, SQLITE_UTF8);
          break;
        case Value::Type::kBlob:
          // A zero-length blob still needs a non-null pointer, or SQLite binds NULL.
          rc = sqlite3_bind_blob64(stmt, i, v.blob_value().data(), v.blob_value().size(),
                                   SQLITE_STATIC);
          break;
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, core::Cat("binding $", n), sql);
    }
    for (size_t i = 0; i < used.size(); ++i) {
      if (!used[i]) {
        return absl::InvalidArgumentError(core::Cat("sqlite: parameter $", i + 1,
                                                    " is not used by the statement [",
                                                    SqlForMessage(sql), "]"));
      }
    }
    return absl::OkStatus();
  }

  static Value ColumnValue(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return Value(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
      case SQLITE_FLOAT:
        return Value(sqlite3_column_double(stmt, i));
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return Value(std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        const auto n = static_cast<size_t>(sqlite3_column_bytes(stmt, i));
        return Value(Blob{p == nullptr ? std::string() : std::string(p, n)});
      }
      default:
        return Value();
    }
  }

  sqlite3* db_;
  const int cache_size_;
  std::unordered_map<std::string, Statement> cache_;
  bool in_transaction_ = false;
};

absl::StatusOr<std::unique_ptr<SqliteConnection>> Connect(const SqliteOptions& options) {
  const bool memory = options.path == ":memory:";
  if (!memory) {
    // The file holds password hashes and encrypted secrets: owner-only from the start
    // (SQLite would create it 0644; its -wal and -shm files copy the file's mode).
    const int fd = ::open(options.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return absl::UnavailableError(
          core::Cat("sqlite: cannot open or create the database file ", options.path));
    }
    ::close(fd);
  }
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(options.path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = SqliteError(db, rc, core::Cat("opening ", options.path), "");
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
  auto conn = std::make_unique<SqliteConnection>(db, std::max(options.statement_cache_size, 1));

  // journal_mode also proves the file is a database: a foreign file fails here.
  absl::StatusOr<std::string> mode = conn->Pragma("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.status();
  if (!memory && *mode != "wal") {
    return absl::FailedPreconditionError(core::Cat("sqlite: cannot switch ", options.path,
                                                   " to WAL mode (journal mode is ", *mode, ")"));
  }
  for (const char* pragma : {"PRAGMA foreign_keys = ON", "PRAGMA trusted_schema = OFF"}) {
    absl::Status s = conn->Exec(pragma);
    if (!s.ok()) return s;
  }
  absl::Status s =
      conn->Exec(options.synchronous == SqliteOptions::Sync::kFull ? "PRAGMA synchronous = FULL"
                                                                   : "PRAGMA synchronous = NORMAL");
  if (!s.ok()) return s;
  return conn;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options) {
  absl::StatusOr<std::unique_ptr<SqliteConnection>> first = Connect(options);
  if (!first.ok()) return first.status();
  // One connection, so the pool is a mutex: SQLite has one writer, and a ":memory:"
  // database exists only on the connection that made it.
  internal::ConnectionFactory factory =
      [options]() -> absl::StatusOr<std::unique_ptr<internal::Connection>> {
    absl::StatusOr<std::unique_ptr<SqliteConnection>> conn = Connect(options);
    if (!conn.ok()) return conn.status();
    return std::unique_ptr<internal::Connection>(std::move(*conn));
  };
  return internal::NewPooledDatabase(Dialect::kSqlite,
                                     {.size = 1, .acquire_timeout = absl::InfiniteDuration()},
                                     std::move(factory), std::move(*first));
}

}  // namespace carepost::store
