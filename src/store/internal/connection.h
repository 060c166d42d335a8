// File: store/internal/connection.h
//
// What a backend provides: one open connection (Connection), and how to open another
// (ConnectionFactory). NewPooledDatabase() turns those into a thread-safe Database with
// the transaction rules of store/database.h, so each backend only speaks its C API.
// Private to store/.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/database.h"

namespace carepost::store::internal {

// One open connection. Not thread-safe: the pool hands it to one thread at a time.
class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one statement. `params` have passed ValidateParams(). When `rows` is not null,
  // it is replaced by the statement's result. Returns the count Executor::Execute()
  // documents.
  virtual absl::StatusOr<int64_t> Run(std::string_view sql, Params params, Rows* rows) = 0;

  // Transaction control for WithTransaction().
  virtual absl::Status Begin() = 0;
  virtual absl::Status Commit() = 0;
  virtual absl::Status Rollback() = 0;

  // False once the connection is known to be unusable (the server went away); the pool
  // then closes it instead of reusing it.
  virtual bool healthy() const = 0;
};

// Opens a new connection; Unavailable (or another specific code) when it cannot.
using ConnectionFactory = std::function<absl::StatusOr<std::unique_ptr<Connection>>()>;

struct PoolOptions {
  // Most connections open at once. 1 makes the Database a mutex-guarded connection.
  int size = 1;
  // How long a statement waits for a free connection before DeadlineExceeded.
  absl::Duration acquire_timeout = absl::Seconds(30);
};

// A Database over a pool of connections made by `factory`. `first` (already open, so a
// wrong address fails at start-up) is the pool's first connection.
std::unique_ptr<Database> NewPooledDatabase(Dialect dialect, PoolOptions options,
                                            ConnectionFactory factory,
                                            std::unique_ptr<Connection> first);

// InvalidArgument unless every backend can bind every parameter: text must be valid
// UTF-8 without NUL bytes (PostgreSQL stores neither), doubles must not be NaN (SQLite
// stores NaN as NULL). The message names the parameter ($N), never its value.
absl::Status ValidateParams(Params params);

// The start of `sql` on one line, for error messages (SQL never holds values).
std::string SqlForMessage(std::string_view sql);

}  // namespace carepost::store::internal
