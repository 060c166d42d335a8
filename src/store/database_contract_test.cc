// The store contract: one suite, run against every backend. SQLite runs in memory and
// in a file (WAL); PostgreSQL runs against the server named by CAREPOST_TEST_POSTGRES_URL
// (tests/pg/with-postgres.sh starts one; `make test` uses it). The PostgreSQL instances
// FAIL when the variable is unset: a backend that was not tested must not look green.
//
// WARNING: the PostgreSQL instance drops and recreates the `public` schema of that
// database before every test. Point it at a throw-away database only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <cfloat>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/database.h"
#include "store/migrations.h"
#include "store/open.h"

namespace carepost::store {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPostgresUrlVariable[] = "CAREPOST_TEST_POSTGRES_URL";
constexpr char kHowToRunPostgres[] =
    "CAREPOST_TEST_POSTGRES_URL is not set, so the PostgreSQL half of the store contract "
    "suite cannot run (and does not pass by skipping). Run `make test`, which starts a "
    "throw-away PostgreSQL 15 and sets it, or run this binary under "
    "`tests/pg/with-postgres.sh`, e.g. tests/pg/with-postgres.sh "
    "build/asan/src/store/store_test";

enum class Backend { kSqliteMemory, kSqliteFile, kPostgres };

void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kPostgres ? "postgres" : "sqlite");
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::kSqliteMemory:
      return "SqliteMemory";
    case Backend::kSqliteFile:
      return "SqliteFile";
    case Backend::kPostgres:
      return "Postgres";
  }
  return "Unknown";
}

// A value that stands for PHI: it must never show up in an error message.
constexpr char kPhi[] = "Jane Q. Patient, MRN 00412345, DOB 1961-02-03";

const char* PostgresUrl() {
  const char* url = std::getenv(kPostgresUrlVariable);
  return url != nullptr && url[0] != '\0' ? url : nullptr;
}

// Opens a PostgreSQL database on an empty public schema.
absl::StatusOr<std::unique_ptr<Database>> OpenCleanPostgres(const std::string& url,
                                                            PostgresOptions options = {}) {
  options.url = url;
  absl::StatusOr<std::unique_ptr<Database>> db = OpenPostgres(options);
  if (!db.ok()) return db;
  absl::Status s = (*db)->Execute("DROP SCHEMA IF EXISTS public CASCADE").status();
  if (s.ok()) s = (*db)->Execute("CREATE SCHEMA public").status();
  if (!s.ok()) return s;
  return db;
}

class DatabaseContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Backend::kSqliteMemory: {
        absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase({.url = ":memory:"});
        ASSERT_TRUE(db.ok()) << db.status();
        db_ = *std::move(db);
        break;
      }
      case Backend::kSqliteFile: {
        std::string tmpl = (fs::temp_directory_path() / "carepost-contract-XXXXXX").string();
        ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase({.data_dir = dir_});
        ASSERT_TRUE(db.ok()) << db.status();
        db_ = *std::move(db);
        break;
      }
      case Backend::kPostgres: {
        const char* url = PostgresUrl();
        ASSERT_NE(url, nullptr) << kHowToRunPostgres;
        url_ = url;
        absl::StatusOr<std::unique_ptr<Database>> db = OpenCleanPostgres(url_);
        ASSERT_TRUE(db.ok()) << db.status();
        db_ = *std::move(db);
        break;
      }
    }
  }

  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  Database& db() { return *db_; }
  bool postgres() const { return GetParam() == Backend::kPostgres; }

  // A second Database on the same data (not possible for an in-memory SQLite database).
  absl::StatusOr<std::unique_ptr<Database>> OpenAgain() {
    if (GetParam() == Backend::kPostgres) return OpenPostgres({.url = url_});
    return OpenDatabase({.data_dir = dir_});
  }

  // DDL with {id} and {blob} spelled for the backend under test.
  std::string Ddl(std::string sql) {
    auto replace = [&](const std::string& from, const std::string& to) {
      for (size_t p = sql.find(from); p != std::string::npos; p = sql.find(from, p)) {
        sql.replace(p, from.size(), to);
      }
    };
    replace("{id}", postgres() ? "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
                               : "id INTEGER PRIMARY KEY AUTOINCREMENT");
    replace("{blob}", postgres() ? "BYTEA" : "BLOB");
    return sql;
  }

  void CreateKinds() {
    ASSERT_TRUE(db().Execute(Ddl("CREATE TABLE kinds ({id}, i BIGINT, d DOUBLE PRECISION, "
                                 "t TEXT, b {blob})"))
                    .ok());
  }

  int64_t Count(Executor& ex, const std::string& table) {
    absl::StatusOr<Row> row = ex.QueryRow("SELECT COUNT(*) AS n FROM " + table);
    EXPECT_TRUE(row.ok()) << table << ": " << row.status();
    if (!row.ok()) return -1;
    return *row->GetInt64("n");
  }

  std::unique_ptr<Database> db_;
  std::string dir_;
  std::string url_;
};

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseContractTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kSqliteFile,
                                           Backend::kPostgres),
                         BackendName);

// ---------------------------------------------------------------------------------------
// Types

TEST_P(DatabaseContractTest, EveryTypeRoundTrips) {
  CreateKinds();
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  std::string big_blob;
  for (int k = 0; k < 70000; ++k) big_blob.push_back(static_cast<char>((k * 131 + 7) % 256));

  const std::vector<Value> ints = {Value(),
                                   Value(int64_t{0}),
                                   Value(int64_t{-1}),
                                   Value(int64_t{42}),
                                   Value(std::numeric_limits<int64_t>::max()),
                                   Value(std::numeric_limits<int64_t>::min())};
  const std::vector<Value> doubles = {Value(),
                                      Value(0.0),
                                      Value(1.5),
                                      Value(-2.25),
                                      Value(0.1),
                                      Value(1e300),
                                      Value(DBL_MAX),
                                      Value(DBL_MIN),
                                      Value(-DBL_MAX),
                                      Value(3.141592653589793),
                                      Value(std::numeric_limits<double>::denorm_min()),
                                      Value(std::numeric_limits<double>::infinity()),
                                      Value(-std::numeric_limits<double>::infinity())};
  const std::vector<Value> texts = {
      Value(),
      Value(""),
      Value("plain"),
      Value("Zoë Ångström — 東京 — مرحبا — עברית — 😀👍🏽 — e\u0301"),
      Value("quotes ' \" ` and backslashes \\ \\\\ and newline\nand tab\t"),
      Value(std::string(100000, 'a') + "é")};
  const std::vector<Value> blobs = {Value(),
                                    Value(Blob{""}),
                                    Value(Blob{std::string("\0", 1)}),
                                    Value(Blob{std::string("a\0b\0\0c", 6)}),
                                    Value(Blob{all_bytes}),
                                    Value(Blob{big_blob})};

  auto check = [&](const char* column, const std::vector<Value>& values) {
    for (size_t k = 0; k < values.size(); ++k) {
      SCOPED_TRACE(std::string(column) + " #" + std::to_string(k));
      const std::string insert =
          std::string("INSERT INTO kinds (") + column + ") VALUES ($1) RETURNING id";
      absl::StatusOr<Row> id = db().QueryRow(insert, {values[k]});
      ASSERT_TRUE(id.ok()) << id.status();
      const std::string select = std::string("SELECT ") + column + " FROM kinds WHERE id = $1";
      absl::StatusOr<Row> row = db().QueryRow(select, {*id->GetInt64("id")});
      ASSERT_TRUE(row.ok()) << row.status();
      EXPECT_EQ((*row)[0].type(), values[k].type());
      EXPECT_TRUE((*row)[0] == values[k]);
    }
  };
  check("i", ints);
  check("d", doubles);
  check("t", texts);
  check("b", blobs);
}

TEST_P(DatabaseContractTest, ResultsHaveColumnNamesAndTypedReads) {
  CreateKinds();
  ASSERT_TRUE(db().Execute("INSERT INTO kinds (i, d, t, b) VALUES ($1, $2, $3, $4)",
                           {7, 0.5, "seven", Blob{"7"}})
                  .ok());
  absl::StatusOr<Rows> rows = db().Query("SELECT i, d, t, b, NULL AS n FROM kinds");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_THAT(rows->columns(), ::testing::ElementsAre("i", "d", "t", "b", "n"));
  ASSERT_EQ(rows->size(), 1u);
  const Row& row = (*rows)[0];
  EXPECT_EQ(*row.GetInt64("i"), 7);
  EXPECT_EQ(*row.GetDouble("d"), 0.5);
  EXPECT_EQ(*row.GetText("t"), "seven");
  EXPECT_EQ(*row.GetBlob("b"), "7");
  EXPECT_TRUE(*row.IsNull("n"));
  EXPECT_EQ(row.GetInt64("t").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(row.GetText("b").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(row.GetText("n").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(row.GetText("missing").status().code(), absl::StatusCode::kInvalidArgument);

  // Aggregates read the same on both backends.
  absl::StatusOr<Row> agg =
      db().QueryRow("SELECT COUNT(*) AS c, SUM(i) AS s, MAX(t) AS m FROM kinds");
  ASSERT_TRUE(agg.ok()) << agg.status();
  EXPECT_EQ(*agg->GetInt64("c"), 1);
  EXPECT_EQ(*agg->GetInt64("s"), 7);
  EXPECT_EQ(*agg->GetText("m"), "seven");
}

TEST_P(DatabaseContractTest, UnstorableParametersAreRefusedByName) {
  CreateKinds();
  struct Case {
    Value value;
    const char* column;
  } cases[] = {
      {Value(std::string("Jane\0Doe", 8)), "t"},               // NUL in text
      {Value(std::string("Jane \xff Doe")), "t"},              // not UTF-8
      {Value(std::numeric_limits<double>::quiet_NaN()), "d"},  // NaN
  };
  for (const Case& c : cases) {
    absl::StatusOr<int64_t> n = db().Execute(
        std::string("INSERT INTO kinds (i, ") + c.column + ") VALUES ($1, $2)", {1, c.value});
    ASSERT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument) << n.status();
    EXPECT_THAT(std::string(n.status().message()), HasSubstr("parameter $2"));
    EXPECT_THAT(std::string(n.status().message()), Not(HasSubstr("Jane")));
  }
  EXPECT_EQ(Count(db(), "kinds"), 0);
}

// ---------------------------------------------------------------------------------------
// Placeholders and statements

TEST_P(DatabaseContractTest, PlaceholdersMayRepeatAndComeInAnyOrder) {
  absl::StatusOr<Row> row = db().QueryRow(
      "SELECT CAST($2 AS TEXT) || CAST($1 AS TEXT) || CAST($2 AS TEXT) AS s, $3 * $3 AS sq",
      {"a", "b", 12});
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(*row->GetText("s"), "bab");
  EXPECT_EQ(*row->GetInt64("sq"), 144);

  CreateKinds();
  ASSERT_TRUE(
      db().Execute("INSERT INTO kinds (t, i, d) VALUES ($3, $1, $2)", {5, 2.5, "five"}).ok());
  absl::StatusOr<Row> back =
      db().QueryRow("SELECT i, d, t FROM kinds WHERE i = $1 AND (t = $2 OR t = $2)", {5, "five"});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back->GetInt64("i"), 5);
  EXPECT_EQ(*back->GetDouble("d"), 2.5);
  EXPECT_EQ(*back->GetText("t"), "five");

  // "$1" inside a string literal is text, not a placeholder.
  absl::StatusOr<Row> literal = db().QueryRow("SELECT '$1' AS s");
  ASSERT_TRUE(literal.ok()) << literal.status();
  EXPECT_EQ(*literal->GetText("s"), "$1");
}

TEST_P(DatabaseContractTest, ParametersMustMatchPlaceholders) {
  absl::StatusOr<Rows> missing = db().Query("SELECT $1 + $2 AS s", {1});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument) << missing.status();
  // An unused parameter is a bug SQLite reports; PostgreSQL ignores one whose type is
  // known (int64, double, blob), so code tested on SQLite is safe on both.
  absl::StatusOr<Rows> unused = db().Query("SELECT $1 + 1 AS s", {1, 2});
  if (!postgres()) {
    EXPECT_EQ(unused.status().code(), absl::StatusCode::kInvalidArgument) << unused.status();
  }
  absl::StatusOr<Rows> other_style = db().Query("SELECT ? + 1 AS s", {1});
  EXPECT_EQ(other_style.status().code(), absl::StatusCode::kInvalidArgument)
      << other_style.status();
  // The connection is still good afterwards.
  EXPECT_TRUE(db().Query("SELECT $1 + 1 AS s", {1}).ok());
}

TEST_P(DatabaseContractTest, OneStatementPerCall) {
  CreateKinds();
  absl::StatusOr<int64_t> n = db().Execute("SELECT 1; DROP TABLE kinds");
  EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument) << n.status();
  EXPECT_EQ(Count(db(), "kinds"), 0);  // still there
  EXPECT_EQ(db().Execute("").status().code(), absl::StatusCode::kInvalidArgument);
  // A trailing semicolon is fine.
  EXPECT_TRUE(db().Execute("SELECT 1;").ok());
}

TEST_P(DatabaseContractTest, ExecuteCountsRows) {
  CreateKinds();
  EXPECT_EQ(*db().Execute("CREATE INDEX kinds_i ON kinds (i)"), 0);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(*db().Execute("INSERT INTO kinds (i) VALUES ($1)", {k}), 1);
  }
  EXPECT_EQ(*db().Execute("UPDATE kinds SET t = $1 WHERE i >= $2", {"x", 1}), 2);
  EXPECT_EQ(*db().Execute("UPDATE kinds SET t = $1 WHERE i > $2", {"x", 100}), 0);
  EXPECT_EQ(*db().Execute("SELECT i FROM kinds"), 3);
  EXPECT_EQ(*db().Execute("DELETE FROM kinds"), 3);
}

TEST_P(DatabaseContractTest, QueryRowWantsExactlyOneRow) {
  CreateKinds();
  EXPECT_EQ(db().QueryRow("SELECT i FROM kinds").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(db().Execute("INSERT INTO kinds (i) VALUES (1)").ok());
  ASSERT_TRUE(db().Execute("INSERT INTO kinds (i) VALUES (2)").ok());
  EXPECT_EQ(db().QueryRow("SELECT i FROM kinds").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(db().QueryRow("SELECT i FROM kinds WHERE i = $1", {2}).ok());
}

// ---------------------------------------------------------------------------------------
// Errors

TEST_P(DatabaseContractTest, ErrorsHaveSpecificCodesAndNoValues) {
  ASSERT_TRUE(db().Execute("CREATE TABLE parent (id BIGINT PRIMARY KEY, email TEXT NOT NULL "
                           "UNIQUE, n BIGINT, CONSTRAINT n_small CHECK (n < 10))")
                  .ok());
  ASSERT_TRUE(db().Execute("CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT "
                           "NULL REFERENCES parent (id))")
                  .ok());
  ASSERT_TRUE(
      db().Execute("INSERT INTO parent (id, email, n) VALUES ($1, $2, $3)", {1, kPhi, 1}).ok());

  struct Case {
    const char* what;
    std::string sql;
    std::vector<Value> params;
    absl::StatusCode code;
  } cases[] = {
      {"unique",
       "INSERT INTO parent (id, email) VALUES ($1, $2)",
       {2, kPhi},
       absl::StatusCode::kAlreadyExists},
      {"primary key",
       "INSERT INTO parent (id, email) VALUES ($1, $2)",
       {1, "other"},
       absl::StatusCode::kAlreadyExists},
      {"foreign key",
       "INSERT INTO child (id, parent_id) VALUES ($1, $2)",
       {1, 999},
       absl::StatusCode::kFailedPrecondition},
      {"not null",
       "INSERT INTO parent (id, email) VALUES ($1, $2)",
       {3, Value()},
       absl::StatusCode::kFailedPrecondition},
      {"check",
       "INSERT INTO parent (id, email, n) VALUES ($1, $2, $3)",
       {4, "x", 99},
       absl::StatusCode::kFailedPrecondition},
      {"syntax",
       "SELEC email FROM parent WHERE email = $1",
       {kPhi},
       absl::StatusCode::kInvalidArgument},
      {"unknown table",
       "SELECT email FROM no_such_table WHERE email = $1",
       {kPhi},
       absl::StatusCode::kInvalidArgument},
      {"unknown column",
       "SELECT no_such_column FROM parent WHERE email = $1",
       {kPhi},
       absl::StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    absl::StatusOr<int64_t> n = db().Execute(c.sql, c.params);
    EXPECT_EQ(n.status().code(), c.code) << c.what << ": " << n.status();
    EXPECT_THAT(std::string(n.status().message()), Not(HasSubstr("Jane"))) << c.what;
  }

  // A value PostgreSQL cannot parse for the column's type: its message would quote it.
  absl::StatusOr<int64_t> bad =
      db().Execute("SELECT id FROM parent WHERE n = CAST($1 AS BIGINT)", {kPhi});
  if (postgres()) {
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << bad.status();
  }
  EXPECT_THAT(std::string(bad.status().message()), Not(HasSubstr("Jane")));
}

// ---------------------------------------------------------------------------------------
// Transactions

TEST_P(DatabaseContractTest, TransactionCommits) {
  CreateKinds();
  absl::Status s = db().WithTransaction([](Tx& tx) -> absl::Status {
    for (int k = 0; k < 3; ++k) {
      absl::StatusOr<int64_t> n = tx.Execute("INSERT INTO kinds (i) VALUES ($1)", {k});
      if (!n.ok()) return n.status();
    }
    absl::StatusOr<Row> row = tx.QueryRow("SELECT COUNT(*) AS n FROM kinds");
    if (!row.ok()) return row.status();
    EXPECT_EQ(*row->GetInt64("n"), 3);  // the transaction sees its own writes
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count(db(), "kinds"), 3);
}

TEST_P(DatabaseContractTest, TransactionRollsBackOnError) {
  CreateKinds();
  absl::Status s = db().WithTransaction([](Tx& tx) -> absl::Status {
    EXPECT_TRUE(tx.Execute("INSERT INTO kinds (i) VALUES ($1)", {1}).ok());
    return absl::PermissionDeniedError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(std::string(s.message()), "changed my mind");
  EXPECT_EQ(Count(db(), "kinds"), 0);
}

TEST_P(DatabaseContractTest, TransactionRollsBackOnException) {
  CreateKinds();
  absl::Status s = db().WithTransaction([](Tx& tx) -> absl::Status {
    EXPECT_TRUE(tx.Execute("INSERT INTO kinds (i) VALUES ($1)", {1}).ok());
    throw std::runtime_error(kPhi);
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(s.message()), Not(HasSubstr("Jane")));
  EXPECT_EQ(Count(db(), "kinds"), 0);
  // The connection is usable afterwards.
  EXPECT_TRUE(db().WithTransaction([](Tx& tx) {
                    return tx.Execute("INSERT INTO kinds (i) VALUES (2)").status();
                  })
                  .ok());
  EXPECT_EQ(Count(db(), "kinds"), 1);
}

TEST_P(DatabaseContractTest, AFailedStatementDoomsTheTransaction) {
  CreateKinds();
  ASSERT_TRUE(db().Execute("CREATE UNIQUE INDEX kinds_t ON kinds (t)").ok());
  ASSERT_TRUE(db().Execute("INSERT INTO kinds (t) VALUES ($1)", {"taken"}).ok());
  absl::Status s = db().WithTransaction([](Tx& tx) -> absl::Status {
    EXPECT_TRUE(tx.Execute("INSERT INTO kinds (t) VALUES ($1)", {"new"}).ok());
    EXPECT_EQ(tx.Execute("INSERT INTO kinds (t) VALUES ($1)", {"taken"}).status().code(),
              absl::StatusCode::kAlreadyExists);
    EXPECT_EQ(tx.Execute("INSERT INTO kinds (t) VALUES ($1)", {"later"}).status().code(),
              absl::StatusCode::kFailedPrecondition);
    return absl::OkStatus();  // ignoring the error does not commit half a transaction
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_EQ(Count(db(), "kinds"), 1);

  // The way to tolerate a conflict is to say so in SQL.
  s = db().WithTransaction([](Tx& tx) -> absl::Status {
    absl::StatusOr<int64_t> n =
        tx.Execute("INSERT INTO kinds (t) VALUES ($1) ON CONFLICT (t) DO NOTHING", {"taken"});
    EXPECT_EQ(*n, 0);
    return tx.Execute("INSERT INTO kinds (t) VALUES ($1)", {"new"}).status();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count(db(), "kinds"), 2);
}

TEST_P(DatabaseContractTest, NestingAndBypassingTheTxAreRefused) {
  CreateKinds();
  absl::Status s = db().WithTransaction([&](Tx& tx) -> absl::Status {
    absl::Status inner = db().WithTransaction([](Tx&) { return absl::OkStatus(); });
    EXPECT_EQ(inner.code(), absl::StatusCode::kFailedPrecondition) << inner;
    EXPECT_THAT(std::string(inner.message()), HasSubstr("nested"));
    EXPECT_EQ(db().Execute("INSERT INTO kinds (i) VALUES (1)").status().code(),
              absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(db().Query("SELECT i FROM kinds").status().code(),
              absl::StatusCode::kFailedPrecondition);
    return tx.Execute("INSERT INTO kinds (i) VALUES (2)").status();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count(db(), "kinds"), 1);
}

TEST_P(DatabaseContractTest, TransactionControlOutsideWithTransactionIsRefused) {
  CreateKinds();
  EXPECT_EQ(db().Execute("BEGIN").status().code(), absl::StatusCode::kFailedPrecondition);
  // Nothing is left open: this autocommits and is visible to a fresh transaction.
  ASSERT_TRUE(db().Execute("INSERT INTO kinds (i) VALUES (1)").ok());
  EXPECT_TRUE(db().WithTransaction([](Tx&) { return absl::OkStatus(); }).ok());
  EXPECT_EQ(Count(db(), "kinds"), 1);
}

// ---------------------------------------------------------------------------------------
// Concurrency

TEST_P(DatabaseContractTest, ConcurrentUseFromManyThreads) {
  CreateKinds();
  ASSERT_TRUE(db().Execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)").ok());
  ASSERT_TRUE(db().Execute("INSERT INTO counter (id, n) VALUES (1, 0)").ok());

  constexpr int kThreads = 8;
  constexpr int kRounds = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        if (!db().Execute("INSERT INTO kinds (i, t) VALUES ($1, $2)", {t, "row"}).ok()) {
          ++failures;
        }
        absl::Status s = db().WithTransaction([&](Tx& tx) -> absl::Status {
          absl::StatusOr<int64_t> n = tx.Execute("UPDATE counter SET n = n + 1 WHERE id = 1");
          if (!n.ok()) return n.status();
          return tx.Execute("INSERT INTO kinds (i, t) VALUES ($1, $2)", {t, "tx"}).status();
        });
        if (!s.ok()) {
          ADD_FAILURE() << s;
          ++failures;
        }
        absl::StatusOr<Rows> rows = db().Query("SELECT i FROM kinds WHERE i = $1", {t});
        if (!rows.ok() || rows->empty()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count(db(), "kinds"), 2 * kThreads * kRounds);
  absl::StatusOr<Row> counter = db().QueryRow("SELECT n FROM counter WHERE id = 1");
  ASSERT_TRUE(counter.ok()) << counter.status();
  EXPECT_EQ(*counter->GetInt64("n"), kThreads * kRounds);
}

// ---------------------------------------------------------------------------------------
// Migrations

Migration TestMigration(int64_t version, std::string name, std::vector<std::string> statements) {
  Migration m{.version = version, .name = std::move(name)};
  for (std::string& s : statements) m.statements.push_back({.sql = std::move(s)});
  return m;
}

TEST_P(DatabaseContractTest, CarepostMigrationsApplyOnceAndAreRecorded) {
  EXPECT_EQ(*SchemaVersion(db()), 0);
  absl::StatusOr<int> applied =
      Migrate(db(), CarepostMigrations(), {.now_micros = 1700000000000000});
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, static_cast<int>(CarepostMigrations().size()));
  EXPECT_EQ(*SchemaVersion(db()), static_cast<int64_t>(CarepostMigrations().size()));

  absl::StatusOr<Rows> recorded =
      db().Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_EQ(recorded->size(), CarepostMigrations().size());
  EXPECT_EQ(*(*recorded)[0].GetInt64("version"), 1);
  EXPECT_EQ(*(*recorded)[0].GetText("name"), "accounts_and_audit");
  EXPECT_EQ(*(*recorded)[0].GetInt64("applied_at"), 1700000000000000);

  for (const char* table :
       {"organizations", "brands", "users", "role_grants", "sessions", "audit_events",
        "audit_checkpoints", "idempotency_keys", "secrets", "organization_role_grants"}) {
    EXPECT_EQ(Count(db(), table), 0) << table;
  }

  // Again: nothing to do, nothing recorded twice.
  applied = Migrate(db(), CarepostMigrations());
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 0);
  EXPECT_EQ(Count(db(), "schema_migrations"), static_cast<int64_t>(CarepostMigrations().size()));
}

TEST_P(DatabaseContractTest, Migration1EnforcesItsKeys) {
  ASSERT_TRUE(Migrate(db(), CarepostMigrations()).ok());
  absl::StatusOr<Row> org = db().QueryRow(
      "INSERT INTO organizations (name, slug, created_at) VALUES ($1, $2, $3) RETURNING id",
      {"General", "general", 1});
  ASSERT_TRUE(org.ok()) << org.status();
  const int64_t org_id = *org->GetInt64("id");
  const char* kUser =
      "INSERT INTO users (organization_id, email, password_hash, created_at) "
      "VALUES ($1, $2, $3, $4)";
  ASSERT_TRUE(db().Execute(kUser, {org_id, "a@general.example", "h", 1}).ok());
  EXPECT_EQ(db().Execute(kUser, {org_id, "a@general.example", "h", 2}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(db().Execute(kUser, {org_id + 100, "b@general.example", "h", 2}).status().code(),
            absl::StatusCode::kFailedPrecondition);  // no such organization
  EXPECT_EQ(db().Execute("INSERT INTO organizations (name, slug, created_at) VALUES ($1, $2, $3)",
                         {"Other", "general", 1})
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(DatabaseContractTest, FailingMigrationRollsBackAndIsNamed) {
  const std::vector<Migration> broken = {
      TestMigration(1, "first", {"CREATE TABLE first_table (x BIGINT)"}),
      TestMigration(
          2, "second",
          {"CREATE TABLE second_table (x BIGINT)", "INSERT INTO first_table (x) VALUES (1)",
           "INSERT INTO no_such_table (x) VALUES (1)"}),
  };
  absl::StatusOr<int> applied = Migrate(db(), broken);
  ASSERT_EQ(applied.status().code(), absl::StatusCode::kInvalidArgument) << applied.status();
  EXPECT_THAT(std::string(applied.status().message()), HasSubstr("migration 2 (second)"));
  EXPECT_EQ(*SchemaVersion(db()), 1);
  EXPECT_EQ(Count(db(), "first_table"), 0);  // the INSERT of migration 2 was undone
  EXPECT_EQ(db().Query("SELECT x FROM second_table").status().code(),
            absl::StatusCode::kInvalidArgument);  // so was its CREATE TABLE

  const std::vector<Migration> fixed = {
      broken[0], TestMigration(2, "second", {"CREATE TABLE second_table (x BIGINT)"})};
  applied = Migrate(db(), fixed);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 1);
  EXPECT_EQ(*SchemaVersion(db()), 2);
}

TEST_P(DatabaseContractTest, MigrateRefusesListsThatDoNotMatchTheDatabase) {
  const std::vector<Migration> two = {TestMigration(1, "one", {"CREATE TABLE one (x BIGINT)"}),
                                      TestMigration(2, "two", {"CREATE TABLE two (x BIGINT)"})};
  ASSERT_TRUE(Migrate(db(), two).ok());

  // The database was migrated by a newer binary.
  absl::StatusOr<int> older = Migrate(db(), absl::MakeConstSpan(two).subspan(0, 1));
  EXPECT_EQ(older.status().code(), absl::StatusCode::kFailedPrecondition) << older.status();
  EXPECT_THAT(std::string(older.status().message()), HasSubstr("schema version 2"));

  // A released migration was renamed.
  std::vector<Migration> renamed = two;
  renamed[1].name = "deux";
  EXPECT_EQ(Migrate(db(), renamed).status().code(), absl::StatusCode::kFailedPrecondition);

  // A list with a gap.
  std::vector<Migration> gap = two;
  gap[1].version = 3;
  EXPECT_EQ(Migrate(db(), gap).status().code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(*SchemaVersion(db()), 2);
}

TEST_P(DatabaseContractTest, MigrationsMayDifferByDialect) {
  Migration m{.version = 1, .name = "bytes"};
  m.statements.push_back(
      {.sqlite = "CREATE TABLE bytes (b BLOB)", .postgres = "CREATE TABLE bytes (b BYTEA)"});
  ASSERT_TRUE(Migrate(db(), std::vector<Migration>{m}).ok());
  ASSERT_TRUE(
      db().Execute("INSERT INTO bytes (b) VALUES ($1)", {Blob{std::string("\0\1", 2)}}).ok());
  absl::StatusOr<Row> row = db().QueryRow("SELECT b FROM bytes");
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(*row->GetBlob("b"), std::string("\0\1", 2));
}

TEST_P(DatabaseContractTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  // Several Databases on the same data (several processes); an in-memory database cannot
  // be opened twice, so there the threads share the one Database.
  std::vector<std::unique_ptr<Database>> extra;
  std::vector<Database*> dbs = {&db()};
  if (GetParam() != Backend::kSqliteMemory) {
    for (int k = 0; k < 3; ++k) {
      absl::StatusOr<std::unique_ptr<Database>> other = OpenAgain();
      ASSERT_TRUE(other.ok()) << other.status();
      extra.push_back(*std::move(other));
      dbs.push_back(extra.back().get());
    }
  }
  constexpr int kMigrators = 4;
  std::atomic<int> total{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kMigrators; ++t) {
    threads.emplace_back([&, t] {
      absl::StatusOr<int> applied = Migrate(*dbs[t % dbs.size()], CarepostMigrations());
      if (applied.ok()) {
        total += *applied;
      } else {
        ADD_FAILURE() << applied.status();
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(total.load(), static_cast<int>(CarepostMigrations().size()));
  EXPECT_EQ(Count(db(), "schema_migrations"), static_cast<int64_t>(CarepostMigrations().size()));
}

// ---------------------------------------------------------------------------------------
// SQL injection: classic payloads through every text column of every table
// come back unchanged, and every table is still there.

const std::vector<std::string>& InjectionPayloads() {
  static const std::vector<std::string> kPayloads = {
      "'; DROP TABLE users; --",
      "\" OR 1=1 --",
      "' OR '1'='1",
      "' OR 1=1; DELETE FROM sessions; --",
      "Robert'); DROP TABLE organizations;--",
      "$1",
      "$2 $1 ?1 ? :name @name",
      "\\",
      "\\'; DROP TABLE sessions; --",
      "\\\\' OR '' = '",
      "1; DELETE FROM audit_events",
      "$$; DROP TABLE secrets; $$",
      "$tag$ x $tag$",
      "*/ DROP TABLE brands; /*",
      "-- comment",
      "%_%",
      "E'\\x27' || chr(39)",
      "x' UNION SELECT password_hash FROM users --",
      "'); SELECT pg_sleep(10); --",
      "\u2019; DROP TABLE brands; \u2018",  // ’ ‘
      "\u201c OR 1=1 \u201d",               // “ ”
      "\uff07 OR \uff07\uff07=\uff07",      // fullwidth apostrophes
      "\u02bc\u2032\u00b4`",                // ʼ ′ ´ `
      "'\n;\r\nDROP TABLE role_grants;\t--",
      "{\"note\": \"'; DROP TABLE audit_events; --\"}",
      "",
  };
  return kPayloads;
}

// The text columns the injection test writes, per table. The test checks this against
// the live schema, so a new text column cannot escape it.
const std::map<std::string, std::set<std::string>>& CoveredTextColumns() {
  static const std::map<std::string, std::set<std::string>> kColumns = {
      {"organizations", {"name", "slug", "time_zone"}},
      {"brands", {"name", "slug"}},
      {"users", {"email", "display_name", "password_hash"}},
      {"role_grants", {"role"}},
      {"organization_role_grants", {"role"}},
      {"sessions", {"from_address", "user_agent"}},
      {"audit_events", {"actor", "action", "record_type", "record_id", "from_address", "details"}},
      {"audit_checkpoints", {}},
      {"calendar_feeds", {}},  // only ids, a hash and times
      {"idempotency_keys", {"idempotency_key", "method", "path"}},
      {"secrets", {"name", "key_id"}},
      {"campaigns",
       {"name", "type", "goal", "start_date", "end_date", "tags", "observance_key",
        "utm_campaign"}},
      {"posts", {"status", "time_zone", "series_date", "series_state", "series_note"}},
      {"post_revisions", {"master_text", "findings", "required_approvals"}},
      {"post_variants", {"platform", "body", "link", "first_comment", "hashtags"}},
      {"post_approvals", {"approval"}},
      {"post_overrides", {"reason"}},
      {"post_comments", {"kind", "body", "anchor_field"}},
      {"notifications", {"kind", "message"}},
      {"media", {"sha256", "content_type", "original_filename"}},
      {"post_media", {"alt_text", "platforms"}},
      // Migration 8: the patient's details are a sealed blob; these are a key
      // fingerprint, a media store key and a content type.
      {"patient_authorizations", {"key_id", "form_key", "form_type"}},
      {"patient_authorization_media", {}},
      {"post_authorizations", {}},
      {"brand_routing_rules", {"rules"}},
      {"series",
       {"status", "frequency", "weekdays", "local_time", "time_zone", "start_date", "until_date",
        "master_text", "variants"}},
      {"series_zone_changes", {"from_date", "time_zone"}},
      {"platform_accounts", {"platform", "handle", "base_url", "status", "status_reason"}},
      {"publish_jobs",
       {"platform", "client_reference", "status", "claim_token", "last_error", "platform_post_id",
        "url"}},
  };
  return kColumns;
}

TEST_P(DatabaseContractTest, SqlInjectionThroughEveryTextColumnIsInert) {
  ASSERT_TRUE(Migrate(db(), CarepostMigrations()).ok());

  // The live schema's tables and text columns are exactly the covered ones.
  std::map<std::string, std::set<std::string>> live;
  absl::StatusOr<Rows> tables =
      postgres() ? db().Query(
                       "SELECT table_name AS t FROM information_schema.tables "
                       "WHERE table_schema = current_schema() AND table_type = $1",
                       {"BASE TABLE"})
                 : db().Query("SELECT name AS t FROM sqlite_master WHERE type = $1", {"table"});
  ASSERT_TRUE(tables.ok()) << tables.status();
  for (const Row& row : *tables) {
    const std::string table = *row.GetText("t");
    if (table == "schema_migrations" || table.rfind("sqlite_", 0) == 0) continue;
    live[table];
    absl::StatusOr<Rows> columns =
        postgres() ? db().Query(
                         "SELECT column_name AS c, data_type AS type FROM "
                         "information_schema.columns WHERE table_schema = "
                         "current_schema() AND table_name = $1",
                         {table})
                   : db().Query("SELECT name AS c, type FROM pragma_table_info($1)", {table});
    ASSERT_TRUE(columns.ok()) << columns.status();
    for (const Row& column : *columns) {
      std::string type = *column.GetText("type");
      for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (type == "text") live[table].insert(*column.GetText("c"));
    }
  }
  EXPECT_EQ(live, CoveredTextColumns());

  const std::vector<std::string>& payloads = InjectionPayloads();
  for (size_t k = 0; k < payloads.size(); ++k) {
    const std::string& p = payloads[k];
    SCOPED_TRACE("payload #" + std::to_string(k));
    const int64_t seq = static_cast<int64_t>(k) + 1;
    const Blob key{"key-" + std::to_string(k)};
    absl::Status s = db().WithTransaction([&](Tx& tx) -> absl::Status {
      absl::StatusOr<Row> org = tx.QueryRow(
          "INSERT INTO organizations (name, slug, time_zone, created_at) "
          "VALUES ($1, $1, $1, $2) RETURNING id",
          {p, seq});
      if (!org.ok()) return org.status();
      const int64_t org_id = *org->GetInt64("id");
      absl::StatusOr<Row> brand = tx.QueryRow(
          "INSERT INTO brands (organization_id, name, slug, created_at) "
          "VALUES ($1, $2, $2, $3) RETURNING id",
          {org_id, p, seq});
      if (!brand.ok()) return brand.status();
      absl::StatusOr<Row> user = tx.QueryRow(
          "INSERT INTO users (organization_id, email, display_name, password_hash, created_at) "
          "VALUES ($1, $2, $2, $2, $3) RETURNING id",
          {org_id, p, seq});
      if (!user.ok()) return user.status();
      const int64_t user_id = *user->GetInt64("id");
      std::vector<std::pair<const char*, std::vector<Value>>> inserts = {
          {"INSERT INTO role_grants (user_id, brand_id, role, granted_at) VALUES ($1, $2, $3, $4)",
           {user_id, *brand->GetInt64("id"), p, seq}},
          {"INSERT INTO organization_role_grants (user_id, role, granted_at) VALUES ($1, $2, $3)",
           {user_id, p, seq}},
          {"INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, "
           "from_address, user_agent) VALUES ($1, $2, $3, $3, $3, $4, $4)",
           {key, user_id, seq, p}},
          {"INSERT INTO audit_events (seq, prev_hash, hash, at, organization_id, actor_user_id, "
           "actor, action, record_type, record_id, from_address, details) "
           "VALUES ($1, $2, $2, $1, $3, $4, $5, $5, $5, $5, $5, $5)",
           {seq, key, org_id, user_id, p}},
          {"INSERT INTO audit_checkpoints (seq, head_hash, signature, at) VALUES ($1, $2, $2, $1)",
           {seq, key}},
          {"INSERT INTO idempotency_keys (user_id, idempotency_key, method, path, request_hash, "
           "created_at, expires_at) VALUES ($1, $2, $2, $2, $3, $4, $4)",
           {user_id, p, key, seq}},
          {"INSERT INTO secrets (name, key_id, nonce, ciphertext, created_at, updated_at) "
           "VALUES ($1, $1, $2, $2, $3, $3)",
           {p, key, seq}},
          {"INSERT INTO campaigns (organization_id, brand_id, name, type, goal, start_date, "
           "end_date, owner_user_id, tags, observance_key, utm_campaign, created_at, updated_at) "
           "VALUES ($1, $2, $3, $3, $3, $3, $3, $4, $3, $3, $3, $5, $5)",
           {org_id, *brand->GetInt64("id"), p, user_id, seq}},
      };
      for (const auto& [sql, params] : inserts) {
        absl::StatusOr<int64_t> n = tx.Execute(sql, params);
        if (!n.ok()) return n.status();
        EXPECT_EQ(*n, 1) << sql;
      }
      // Migration 3: a post of that brand, its revision, variant, approval, override,
      // comment and a notification.
      absl::StatusOr<Row> post = tx.QueryRow(
          "INSERT INTO posts (organization_id, brand_id, author_user_id, status, revision, "
          "time_zone, series_date, series_state, series_note, created_at, updated_at) VALUES "
          "($1, $2, $3, $4, 1, $4, $4, $4, $4, $5, $5) RETURNING id",
          {org_id, *brand->GetInt64("id"), user_id, p, seq});
      if (!post.ok()) return post.status();
      const int64_t post_id = *post->GetInt64("id");
      std::vector<std::pair<const char*, std::vector<Value>>> plan = {
          {"INSERT INTO post_revisions (post_id, revision, master_text, findings, "
           "required_approvals, edited_by, created_at) VALUES ($1, 1, $2, $2, $2, $3, $4)",
           {post_id, p, user_id, seq}},
          {"INSERT INTO post_variants (post_id, revision, platform, body, link, first_comment, "
           "hashtags) VALUES ($1, 1, $2, $2, $2, $2, $2)",
           {post_id, p}},
          {"INSERT INTO post_approvals (post_id, revision, approval, user_id, created_at) "
           "VALUES ($1, 1, $2, $3, $4)",
           {post_id, p, user_id, seq}},
          {"INSERT INTO post_overrides (post_id, revision, user_id, reason, created_at) "
           "VALUES ($1, 1, $3, $2, $4)",
           {post_id, p, user_id, seq}},
          // Migration 7: an inline comment's anchor.
          {"INSERT INTO post_comments (post_id, revision, user_id, kind, body, created_at, "
           "anchor_revision, anchor_field, anchor_start, anchor_end) "
           "VALUES ($1, 1, $3, $2, $2, $4, 1, $2, 0, 1)",
           {post_id, p, user_id, seq}},
          {"INSERT INTO notifications (user_id, kind, post_id, message, created_at) "
           "VALUES ($3, $2, $1, $2, $4)",
           {post_id, p, user_id, seq}},
          // Migration 4: the user's calendar feed.
          {"INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)",
           {user_id, key, seq}},
      };
      for (const auto& [sql, params] : plan) {
        absl::StatusOr<int64_t> n = tx.Execute(sql, params);
        if (!n.ok()) return n.status();
        EXPECT_EQ(*n, 1) << sql;
      }
      // The media migration: an upload and its use in that post's revision.
      absl::StatusOr<Row> media = tx.QueryRow(
          "INSERT INTO media (organization_id, brand_id, uploaded_by, sha256, content_type, "
          "bytes, original_filename, created_at) VALUES ($1, $2, $3, $4, $4, $5, $4, $5) "
          "RETURNING id",
          {org_id, *brand->GetInt64("id"), user_id, p, seq});
      if (!media.ok()) return media.status();
      absl::StatusOr<int64_t> n = tx.Execute(
          "INSERT INTO post_media (post_id, revision, position, media_id, alt_text, platforms) "
          "VALUES ($1, 1, 0, $2, $3, $3)",
          {post_id, *media->GetInt64("id"), p});
      if (!n.ok()) return n.status();
      EXPECT_EQ(*n, 1);
      // Migration 8: a patient authorization showing that upload, the post relying on it,
      // and the brand's routing rules.
      absl::StatusOr<Row> authorization = tx.QueryRow(
          "INSERT INTO patient_authorizations (organization_id, brand_id, sealed, key_id, "
          "expires_at, form_key, form_type, recorded_by, created_at) VALUES ($1, $2, $3, $4, "
          "$5, $4, $4, $6, $5) RETURNING id",
          {org_id, *brand->GetInt64("id"), key, p, seq, user_id});
      if (!authorization.ok()) return authorization.status();
      const int64_t authorization_id = *authorization->GetInt64("id");
      std::vector<std::pair<const char*, std::vector<Value>>> patients = {
          {"INSERT INTO patient_authorization_media (authorization_id, media_id) VALUES ($1, $2)",
           {authorization_id, *media->GetInt64("id")}},
          {"INSERT INTO post_authorizations (post_id, revision, position, authorization_id, "
           "relied) VALUES ($1, 1, 0, $2, 1)",
           {post_id, authorization_id}},
          {"INSERT INTO brand_routing_rules (brand_id, rules, updated_by, updated_at) VALUES "
           "($1, $2, $3, $4)",
           {*brand->GetInt64("id"), p, user_id, seq}},
      };
      for (const auto& [sql, params] : patients) {
        absl::StatusOr<int64_t> m = tx.Execute(sql, params);
        if (!m.ok()) return m.status();
        EXPECT_EQ(*m, 1) << sql;
      }
      // Migration 9: a recurring series of that brand and a zone change of it.
      absl::StatusOr<Row> series = tx.QueryRow(
          "INSERT INTO series (organization_id, brand_id, created_by, status, frequency, "
          "repeat_interval, weekdays, local_time, time_zone, start_date, until_date, "
          "master_text, variants, created_at, updated_at) VALUES ($1, $2, $3, $4, $4, 1, $4, "
          "$4, $4, $4, $4, $4, $4, $5, $5) RETURNING id",
          {org_id, *brand->GetInt64("id"), user_id, p, seq});
      if (!series.ok()) return series.status();
      n = tx.Execute(
          "INSERT INTO series_zone_changes (series_id, from_date, time_zone) VALUES ($1, $2, $2)",
          {*series->GetInt64("id"), p});
      if (!n.ok()) return n.status();
      EXPECT_EQ(*n, 1);
      // Migration 10, the publishing outbox: an account of the brand and that post's job for it.
      absl::StatusOr<Row> account = tx.QueryRow(
          "INSERT INTO platform_accounts (organization_id, brand_id, platform, handle, base_url, "
          "credentials, status, status_reason, created_at, updated_at) "
          "VALUES ($1, $2, $3, $3, $3, $4, $3, $3, $5, $5) RETURNING id",
          {org_id, *brand->GetInt64("id"), p, key, seq});
      if (!account.ok()) return account.status();
      n = tx.Execute(
          "INSERT INTO publish_jobs (post_id, account_id, platform, client_reference, status, "
          "due_at, next_attempt_at, claim_token, last_error, platform_post_id, url, created_at, "
          "updated_at) VALUES ($1, $2, $3, $3, $3, $4, $4, $3, $3, $3, $3, $4, $4)",
          {post_id, *account->GetInt64("id"), p, seq});
      if (!n.ok()) return n.status();
      EXPECT_EQ(*n, 1);
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;

    // Read back by the payload: exactly the one row, every text column unchanged.
    for (const auto& [table, columns] : CoveredTextColumns()) {
      if (columns.empty()) continue;
      for (const std::string& where : columns) {
        std::string select = "SELECT ";
        bool first = true;
        for (const std::string& c : columns) {
          select += (first ? "" : ", ") + c;
          first = false;
        }
        select += " FROM " + table + " WHERE " + where + " = $1";
        absl::StatusOr<Rows> rows = db().Query(select, {p});
        ASSERT_TRUE(rows.ok()) << select << ": " << rows.status();
        ASSERT_EQ(rows->size(), 1u) << select;
        for (const Value& v : (*rows)[0].values()) EXPECT_EQ(*v.AsText(), p) << select;
      }
    }
  }

  // Every table is intact and holds one row per payload.
  for (const auto& [table, columns] : CoveredTextColumns()) {
    EXPECT_EQ(Count(db(), table), static_cast<int64_t>(payloads.size())) << table;
  }
  EXPECT_EQ(*SchemaVersion(db()), static_cast<int64_t>(CarepostMigrations().size()));
}

// ---------------------------------------------------------------------------------------
// PostgreSQL only: what SQLite has no counterpart for (a server to lose, a pool to
// exhaust, a server-side timeout). These FAIL, not skip, without a server.

class PostgresOnlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = PostgresUrl();
    ASSERT_NE(url, nullptr) << kHowToRunPostgres;
    url_ = url;
  }
  std::string url_;
};

TEST_F(PostgresOnlyTest, LostConnectionIsUnavailableAndThePoolRecovers) {
  absl::StatusOr<std::unique_ptr<Database>> db = OpenCleanPostgres(url_, {.pool_size = 1});
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<Row> pid = (*db)->QueryRow("SELECT pg_backend_pid() AS pid");
  ASSERT_TRUE(pid.ok()) << pid.status();

  absl::StatusOr<std::unique_ptr<Database>> admin = OpenPostgres({.url = url_});
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_TRUE(
      (*admin)
          ->Execute("SELECT pg_terminate_backend(CAST($1 AS INTEGER))", {*pid->GetInt64("pid")})
          .ok());
  // Wait (bounded) until the server process is gone.
  for (int k = 0; k < 100; ++k) {
    absl::StatusOr<Rows> alive =
        (*admin)->Query("SELECT pid FROM pg_stat_activity WHERE pid = $1", {*pid->GetInt64("pid")});
    ASSERT_TRUE(alive.ok()) << alive.status();
    if (alive->empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  absl::StatusOr<int64_t> lost = (*db)->Execute("SELECT 1");
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable) << lost.status();
  // The broken connection was dropped; the next statement opens a new one.
  absl::StatusOr<Row> again = (*db)->QueryRow("SELECT pg_backend_pid() AS pid");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_NE(*again->GetInt64("pid"), *pid->GetInt64("pid"));
}

TEST_F(PostgresOnlyTest, ExhaustedPoolIsDeadlineExceeded) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenCleanPostgres(url_, {.pool_size = 1, .acquire_timeout = absl::Milliseconds(100)});
  ASSERT_TRUE(db.ok()) << db.status();
  absl::Status s = (*db)->WithTransaction([&](Tx&) -> absl::Status {
    absl::Status other;
    std::thread([&] { other = (*db)->Execute("SELECT 1").status(); }).join();
    EXPECT_EQ(other.code(), absl::StatusCode::kDeadlineExceeded) << other;
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_TRUE((*db)->Execute("SELECT 1").ok());
}

TEST_F(PostgresOnlyTest, StatementTimeoutIsDeadlineExceeded) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenPostgres({.url = url_, .statement_timeout = absl::Milliseconds(50)});
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<int64_t> n = (*db)->Execute("SELECT pg_sleep(5)");
  EXPECT_EQ(n.status().code(), absl::StatusCode::kDeadlineExceeded) << n.status();
  EXPECT_TRUE((*db)->Execute("SELECT 1").ok());
}

TEST_F(PostgresOnlyTest, UrlSettingsReachTheServer) {
  absl::StatusOr<std::unique_ptr<Database>> db = OpenPostgres({.url = url_});
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<Row> row = (*db)->QueryRow(
      "SELECT current_setting('client_encoding') AS enc, "
      "current_setting('application_name') AS app");
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(*row->GetText("enc"), "UTF8");
  EXPECT_EQ(*row->GetText("app"), "carepost");
}

}  // namespace
}  // namespace carepost::store
