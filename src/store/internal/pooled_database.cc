// The Database every backend shares: a pool of backend connections plus the rules of
// store/database.h (parameter checks, one connection per statement or transaction,
// commit/rollback, no nesting).
#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "core/strings.h"
#include "core/utf8.h"
#include "store/internal/connection.h"

namespace carepost::store::internal {

namespace {

// The databases the current thread is running a transaction on.
thread_local std::vector<const Database*> tls_open_transactions;

bool InTransactionOnThisThread(const Database* db) {
  return std::find(tls_open_transactions.begin(), tls_open_transactions.end(), db) !=
         tls_open_transactions.end();
}

class PooledDatabase;

// A borrowed connection, returned to the pool when the lease ends.
class Lease {
 public:
  Lease(PooledDatabase* pool, std::unique_ptr<Connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&&) = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }

 private:
  PooledDatabase* pool_;
  std::unique_ptr<Connection> conn_;
};

class TxImpl final : public Tx {
 public:
  TxImpl(Connection* conn, Dialect dialect) : conn_(conn), dialect_(dialect) {}

  absl::StatusOr<int64_t> Execute(std::string_view sql, Params params) override {
    return Run(sql, params, nullptr);
  }
  absl::StatusOr<Rows> Query(std::string_view sql, Params params) override {
    Rows rows;
    absl::StatusOr<int64_t> n = Run(sql, params, &rows);
    if (!n.ok()) return n.status();
    return rows;
  }
  Dialect dialect() const override { return dialect_; }

  // OK, or the first error a statement of this transaction returned.
  const absl::Status& first_error() const { return first_error_; }

 private:
  absl::StatusOr<int64_t> Run(std::string_view sql, Params params, Rows* rows) {
    if (!first_error_.ok()) {
      return absl::FailedPreconditionError(core::Cat(
          "an earlier statement of this transaction failed (",
          absl::StatusCodeToString(first_error_.code()), "); the transaction will be rolled back"));
    }
    absl::Status valid = ValidateParams(params);
    if (!valid.ok()) return valid;  // nothing was sent: the transaction is still good
    absl::StatusOr<int64_t> n = conn_->Run(sql, params, rows);
    if (!n.ok()) first_error_ = n.status();
    return n;
  }

  Connection* conn_;
  Dialect dialect_;
  absl::Status first_error_;
};

class PooledDatabase final : public Database {
 public:
  PooledDatabase(Dialect dialect, PoolOptions options, ConnectionFactory factory,
                 std::unique_ptr<Connection> first)
      : dialect_(dialect), options_(options), factory_(std::move(factory)) {
    options_.size = std::max(options_.size, 1);
    if (first != nullptr) {
      idle_.push_back(std::move(first));
      open_ = 1;
    }
  }

  ~PooledDatabase() override {
    absl::MutexLock lock(&mu_);
    idle_.clear();
  }

  Dialect dialect() const override { return dialect_; }

  absl::StatusOr<int64_t> Execute(std::string_view sql, Params params) override {
    return RunOne(sql, params, nullptr);
  }

  absl::StatusOr<Rows> Query(std::string_view sql, Params params) override {
    Rows rows;
    absl::StatusOr<int64_t> n = RunOne(sql, params, &rows);
    if (!n.ok()) return n.status();
    return rows;
  }

  absl::Status WithTransaction(const std::function<absl::Status(Tx&)>& fn) override {
    if (InTransactionOnThisThread(this)) {
      return absl::FailedPreconditionError(
          "WithTransaction called inside a transaction on the same database: nested "
          "transactions are not supported; run the statements on the enclosing Tx");
    }
    absl::StatusOr<Lease> lease = Acquire();
    if (!lease.ok()) return lease.status();
    Connection& conn = **lease;
    absl::Status begun = conn.Begin();
    if (!begun.ok()) return begun;

    TxImpl tx(&conn, dialect_);
    absl::Status result;
    tls_open_transactions.push_back(this);
    try {
      result = fn(tx);
    } catch (...) {
      // The exception's text is not repeated: it may quote data.
      result = absl::InternalError(
          "an exception escaped the transaction function; the transaction was rolled back");
    }
    tls_open_transactions.erase(
        std::find(tls_open_transactions.begin(), tls_open_transactions.end(), this));

    if (result.ok() && !tx.first_error().ok()) result = tx.first_error();
    if (!result.ok()) {
      // A failed rollback leaves the connection in an unknown state; the backend marks it
      // unhealthy so the pool closes it (which rolls back on the server side).
      (void)conn.Rollback();
      return result;
    }
    absl::Status committed = conn.Commit();
    if (!committed.ok()) (void)conn.Rollback();
    return committed;
  }

  // Returns a connection to the pool (or closes it when it is broken).
  void Release(std::unique_ptr<Connection> conn) {
    std::unique_ptr<Connection> to_close;
    {
      absl::MutexLock lock(&mu_);
      if (conn->healthy()) {
        idle_.push_back(std::move(conn));
      } else {
        to_close = std::move(conn);
        --open_;
      }
    }
  }

 private:
  absl::StatusOr<int64_t> RunOne(std::string_view sql, Params params, Rows* rows) {
    if (InTransactionOnThisThread(this)) {
      return absl::FailedPreconditionError(
          "a statement was run on the Database from inside one of its transactions; run "
          "it on the Tx instead");
    }
    absl::Status valid = ValidateParams(params);
    if (!valid.ok()) return valid;
    absl::StatusOr<Lease> lease = Acquire();
    if (!lease.ok()) return lease.status();
    return (*lease)->Run(sql, params, rows);
  }

  absl::StatusOr<Lease> Acquire() {
    {
      absl::MutexLock lock(&mu_);
      auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < options_.size;
      };
      if (!mu_.AwaitWithTimeout(absl::Condition(&available), options_.acquire_timeout)) {
        return absl::DeadlineExceededError(
            core::Cat("no database connection became free within ",
                      absl::ToInt64Milliseconds(options_.acquire_timeout), " ms (pool of ",
                      options_.size, ")"));
      }
      if (!idle_.empty()) {
        std::unique_ptr<Connection> conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(conn));
      }
      ++open_;  // reserve the slot, then connect without holding the lock
    }
    absl::StatusOr<std::unique_ptr<Connection>> conn = factory_();
    if (!conn.ok()) {
      absl::MutexLock lock(&mu_);
      --open_;
      return conn.status();
    }
    return Lease(this, *std::move(conn));
  }

  const Dialect dialect_;
  PoolOptions options_;
  const ConnectionFactory factory_;

  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle plus leased connections
};

Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

}  // namespace

std::unique_ptr<Database> NewPooledDatabase(Dialect dialect, PoolOptions options,
                                            ConnectionFactory factory,
                                            std::unique_ptr<Connection> first) {
  return std::make_unique<PooledDatabase>(dialect, options, std::move(factory), std::move(first));
}

absl::Status ValidateParams(Params params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (v.type() == Value::Type::kText) {
      const std::string& s = v.text_value();
      core::Utf8Check check = core::ValidateUtf8(s);
      if (!check.ok) {
        return absl::InvalidArgumentError(core::Cat("parameter $", i + 1,
                                                    " is text that is not valid UTF-8 (at byte ",
                                                    check.error_offset, "); bind bytes as a Blob"));
      }
      if (s.find('\0') != std::string::npos) {
        return absl::InvalidArgumentError(
            core::Cat("parameter $", i + 1,
                      " is text with a NUL byte, which PostgreSQL cannot "
                      "store; bind bytes as a Blob"));
      }
    } else if (v.type() == Value::Type::kDouble && std::isnan(v.double_value())) {
      return absl::InvalidArgumentError(
          core::Cat("parameter $", i + 1, " is NaN, which SQLite cannot store"));
    }
  }
  return absl::OkStatus();
}

std::string SqlForMessage(std::string_view sql) {
  constexpr size_t kMax = 160;
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= kMax) {
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace carepost::store::internal
