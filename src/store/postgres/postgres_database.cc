// PostgreSQL backend: libpq behind internal::Connection.
#include "store/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "store/internal/connection.h"
#include "store/open.h"

namespace carepost::store {

namespace {

using internal::SqlForMessage;

// Type OIDs from the server's catalog/pg_type.h (stable across releases).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// The canonical code for a SQLSTATE.
absl::StatusCode CodeFor(std::string_view state) {
  if (state == "23505") return absl::StatusCode::kAlreadyExists;
  if (state == "57014") return absl::StatusCode::kDeadlineExceeded;  // statement_timeout
  if (state == "42501") return absl::StatusCode::kPermissionDenied;
  // Protocol violation: the parameters do not match the statement's placeholders.
  if (state == "08P01") return absl::StatusCode::kInvalidArgument;
  if (state == "57P01" || state == "57P02" || state == "57P03" || state == "53300") {
    return absl::StatusCode::kUnavailable;  // server shutting down, starting, or full
  }
  const std::string_view cls = state.substr(0, 2);
  if (cls == "23" || cls == "25") return absl::StatusCode::kFailedPrecondition;
  if (cls == "42" || cls == "22" || cls == "0A" || cls == "26" || cls == "34" || cls == "3F" ||
      cls == "2F") {
    return absl::StatusCode::kInvalidArgument;
  }
  if (cls == "08") return absl::StatusCode::kUnavailable;
  if (cls == "40") return absl::StatusCode::kAborted;
  if (cls == "53") return absl::StatusCode::kResourceExhausted;
  if (cls == "28") return absl::StatusCode::kPermissionDenied;
  return absl::StatusCode::kInternal;
}

// Whether the server's primary message for this SQLSTATE class never quotes a value.
// Syntax and integrity messages name relations, columns and constraints (their DETAIL,
// which we never read, holds the row); data exceptions (class 22), RAISE (P0) and
// others may quote the offending value, so they are replaced by a generic text.
bool MessageIsValueFree(std::string_view state) {
  const std::string_view cls = state.substr(0, 2);
  return cls == "42" || cls == "23" || cls == "08" || cls == "57" || cls == "53" || cls == "40" ||
         cls == "25" || cls == "0A" || cls == "28" || cls == "3F";
}

std::string TrimMessage(const char* msg) {
  std::string s = msg == nullptr ? "" : msg;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  // libpq prefixes "ERROR:  " in PQresultErrorMessage but not in the primary field.
  return s;
}

absl::Status ErrorFromResult(const PGresult* res, std::string_view sql) {
  const char* state_c = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const std::string state = state_c == nullptr ? "XX000" : state_c;
  std::string text = "postgres: ";
  if (MessageIsValueFree(state)) {
    text += TrimMessage(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
  } else {
    text += "the statement was rejected";
    if (state.substr(0, 2) == "22") text = "postgres: a value is invalid for its column type";
    if (const char* column = PQresultErrorField(res, PG_DIAG_COLUMN_NAME)) {
      core::Append(&text, " (column ", column, ")");
    }
  }
  core::Append(&text, " (SQLSTATE ", state, ")");
  if (!sql.empty()) core::Append(&text, " [", SqlForMessage(sql), "]");
  return absl::Status(CodeFor(state), text);
}

void IgnoreNotice(void*, const char*) {}

// A double in the text form float8in reads back exactly.
std::string DoubleText(double v) {
  if (v == std::numeric_limits<double>::infinity()) return "Infinity";
  if (v == -std::numeric_limits<double>::infinity()) return "-Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string HexBytea(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 + 2 * bytes.size());
  out += "\\x";
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

Value CellValue(const PGresult* res, int row, int col, Oid type) {
  if (PQgetisnull(res, row, col) != 0) return Value();
  const char* p = PQgetvalue(res, row, col);
  const auto n = static_cast<size_t>(PQgetlength(res, row, col));
  std::string_view text(p, n);
  switch (type) {
    case kBoolOid:
      return Value(int64_t{text == "t" ? 1 : 0});
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && ptr == text.data() + text.size()) return Value(v);
      return Value(std::string(text));
    }
    case kNumericOid: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && ptr == text.data() + text.size()) return Value(v);
      return Value(std::strtod(p, nullptr));
    }
    case kFloat4Oid:
    case kFloat8Oid:
      return Value(std::strtod(p, nullptr));  // also reads Infinity and NaN
    case kByteaOid: {
      size_t len = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(p), &len);
      if (bytes == nullptr) return Value(Blob{});
      Value v(Blob{std::string(reinterpret_cast<const char*>(bytes), len)});
      PQfreemem(bytes);
      return v;
    }
    default:
      return Value(std::string(text));
  }
}

class PostgresConnection final : public internal::Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  absl::StatusOr<int64_t> Run(std::string_view sql, Params params, Rows* rows) override {
    // Text-format parameters; ints, doubles and blobs are converted into `storage`.
    std::vector<Oid> types(params.size(), 0);
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<std::string> storage(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      switch (v.type()) {
        case Value::Type::kNull:
          break;
        case Value::Type::kInt64:
          types[i] = kInt8Oid;
          storage[i] = core::Cat(v.int64_value());
          values[i] = storage[i].c_str();
          break;
        case Value::Type::kDouble:
          types[i] = kFloat8Oid;
          storage[i] = DoubleText(v.double_value());
          values[i] = storage[i].c_str();
          break;
        case Value::Type::kText:
          values[i] = v.text_value().c_str();  // ValidateParams: no NUL inside
          break;
        case Value::Type::kBlob:
          types[i] = kByteaOid;
          storage[i] = HexBytea(v.blob_value());
          values[i] = storage[i].c_str();
          break;
      }
    }
    const std::string sql_z(sql);
    Result res(PQexecParams(conn_, sql_z.c_str(), static_cast<int>(params.size()), types.data(),
                            values.data(), nullptr, nullptr, /*resultFormat=*/0));
    absl::StatusOr<int64_t> n = Collect(res.get(), sql, rows);
    if (n.ok() && !in_transaction_ && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      // BEGIN through Execute() would leave a transaction open on a pooled connection.
      Result rollback(PQexec(conn_, "ROLLBACK"));
      return absl::FailedPreconditionError(
          core::Cat("transaction control statements are not allowed here; use "
                    "Database::WithTransaction [",
                    SqlForMessage(sql), "]"));
    }
    return n;
  }

  absl::Status Begin() override {
    absl::Status s = Simple("BEGIN");
    in_transaction_ = s.ok();
    return s;
  }

  absl::Status Commit() override {
    in_transaction_ = false;
    Result res(PQexec(conn_, "COMMIT"));
    absl::StatusOr<int64_t> n = Collect(res.get(), "COMMIT", nullptr);
    if (!n.ok()) return n.status();
    // A COMMIT of a transaction the server already aborted answers "ROLLBACK".
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
      return absl::AbortedError("postgres: the server rolled the transaction back");
    }
    return absl::OkStatus();
  }

  absl::Status Rollback() override {
    in_transaction_ = false;
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return absl::OkStatus();
    absl::Status s = Simple("ROLLBACK");
    if (!s.ok()) broken_ = true;  // unknown state: close rather than reuse
    return s;
  }

  bool healthy() const override { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

 private:
  absl::Status Simple(const char* sql) {
    Result res(PQexec(conn_, sql));
    return Collect(res.get(), sql, nullptr).status();
  }

  // Turns a result into rows and a count, or into an error.
  absl::StatusOr<int64_t> Collect(PGresult* res, std::string_view sql, Rows* rows) {
    const ExecStatusType status = res == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(res);
    if (PQstatus(conn_) == CONNECTION_BAD) {
      broken_ = true;
      return absl::UnavailableError(
          core::Cat("postgres: the connection to the server was lost; the statement may or may not "
                    "have run [",
                    SqlForMessage(sql), "]"));
    }
    switch (status) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
        break;
      case PGRES_EMPTY_QUERY:
        return absl::InvalidArgumentError("postgres: the SQL holds no statement");
      case PGRES_FATAL_ERROR:
      case PGRES_NONFATAL_ERROR:
        if (res == nullptr) {
          return absl::UnavailableError(
              core::Cat("postgres: no result from the server [", SqlForMessage(sql), "]"));
        }
        return ErrorFromResult(res, sql);
      default:
        // COPY and other protocol modes are not used by carepost.
        return absl::InvalidArgumentError(core::Cat("postgres: unsupported statement (",
                                                    PQresStatus(status), ") [", SqlForMessage(sql),
                                                    "]"));
    }
    const int nrows = PQntuples(res);
    if (rows != nullptr) {
      const int ncols = PQnfields(res);
      std::vector<std::string> names;
      std::vector<Oid> types;
      names.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        names.emplace_back(PQfname(res, c));
        types.push_back(PQftype(res, c));
      }
      *rows = Rows(std::move(names));
      for (int r = 0; r < nrows; ++r) {
        std::vector<Value> values;
        values.reserve(ncols);
        for (int c = 0; c < ncols; ++c) values.push_back(CellValue(res, r, c, types[c]));
        rows->Add(std::move(values));
      }
    }
    std::string_view affected(PQcmdTuples(res));
    int64_t n = 0;
    if (!affected.empty()) {
      std::from_chars(affected.data(), affected.data() + affected.size(), n);
    } else if (status == PGRES_TUPLES_OK) {
      n = nrows;
    }
    return n;
  }

  PGconn* conn_;
  bool in_transaction_ = false;
  bool broken_ = false;
};

absl::StatusOr<std::unique_ptr<internal::Connection>> Connect(const PostgresOptions& options) {
  const std::string timeout = core::Cat(std::max<int64_t>(
      1, absl::ToInt64Seconds(options.connect_timeout + absl::Milliseconds(999))));
  std::string server_options;
  if (options.statement_timeout > absl::ZeroDuration()) {
    server_options =
        core::Cat("-c statement_timeout=", absl::ToInt64Milliseconds(options.statement_timeout));
  }
  // Entries before "dbname" may be overridden by the URL; client_encoding after it may not.
  const char* keys[] = {"connect_timeout", "application_name", "options",
                        "dbname",          "client_encoding",  nullptr};
  const char* values[] = {timeout.c_str(),
                          options.application_name.c_str(),
                          server_options.c_str(),
                          options.url.c_str(),
                          "UTF8",
                          nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return absl::ResourceExhaustedError("postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = TrimMessage(PQerrorMessage(conn));
    PQfinish(conn);
    return absl::UnavailableError(
        core::Cat("postgres: cannot connect to ", RedactDatabaseUrl(options.url), ": ", why));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<internal::Connection>(std::make_unique<PostgresConnection>(conn));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(options.url.c_str(), &error);
  if (parsed == nullptr) {
    std::string why = error != nullptr ? TrimMessage(error) : "out of memory";
    PQfreemem(error);
    return absl::InvalidArgumentError(
        core::Cat("postgres: invalid connection URL ", RedactDatabaseUrl(options.url), ": ", why));
  }
  PQconninfoFree(parsed);
  absl::StatusOr<std::unique_ptr<internal::Connection>> first = Connect(options);
  if (!first.ok()) return first.status();
  internal::ConnectionFactory factory = [options]() { return Connect(options); };
  return internal::NewPooledDatabase(
      Dialect::kPostgres, {.size = options.pool_size, .acquire_timeout = options.acquire_timeout},
      std::move(factory), std::move(*first));
}

}  // namespace carepost::store
