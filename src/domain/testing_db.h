// File: domain/testing_db.h
//
// Test-only: a fixture that runs a domain test suite against every store backend —
// SQLite in memory, SQLite in a file, and PostgreSQL (CAREPOST_TEST_POSTGRES_URL, set
// by tests/pg/with-postgres.sh). The PostgreSQL instances FAIL when the variable is
// unset, as in the store contract suite. WARNING: the PostgreSQL instance drops and
// recreates the `public` schema before every test.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/migrations.h"
#include "store/open.h"

namespace carepost::domain::testing {

enum class Backend { kSqliteMemory, kSqliteFile, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
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

#define CAREPOST_ALL_BACKENDS                                                     \
  ::testing::Values(::carepost::domain::testing::Backend::kSqliteMemory,          \
                    ::carepost::domain::testing::Backend::kSqliteFile,            \
                    ::carepost::domain::testing::Backend::kPostgres),             \
      ::carepost::domain::testing::BackendName

// A fresh, migrated database per test, plus a private temporary directory (for the
// SQLite file, checkpoint files and key files).
class DatabaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "carepost-domain-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    absl::StatusOr<std::unique_ptr<store::Database>> db = Open();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    if (GetParam() == Backend::kPostgres) {
      ASSERT_TRUE(db_->Execute("DROP SCHEMA IF EXISTS public CASCADE").ok());
      ASSERT_TRUE(db_->Execute("CREATE SCHEMA public").ok());
    }
    absl::StatusOr<int> applied = store::Migrate(*db_, store::CarepostMigrations());
    ASSERT_TRUE(applied.ok()) << applied.status();
  }

  void TearDown() override {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A connection to the database under test (a second one for the file and PostgreSQL
  // backends; the in-memory SQLite database cannot be opened twice).
  absl::StatusOr<std::unique_ptr<store::Database>> Open() {
    switch (GetParam()) {
      case Backend::kSqliteMemory:
        if (db_ != nullptr) return absl::UnimplementedError("in-memory SQLite opens once");
        return store::OpenDatabase({.url = ":memory:"});
      case Backend::kSqliteFile:
        return store::OpenDatabase({.data_dir = dir_});
      case Backend::kPostgres: {
        const char* url = std::getenv("CAREPOST_TEST_POSTGRES_URL");
        if (url == nullptr || url[0] == '\0') {
          return absl::FailedPreconditionError(
              "CAREPOST_TEST_POSTGRES_URL is not set: run under tests/pg/with-postgres.sh "
              "(make test does); the PostgreSQL half does not pass by skipping");
        }
        return store::OpenDatabase({.url = url});
      }
    }
    return absl::InternalError("unknown backend");
  }

  store::Database& db() { return *db_; }
  const std::string& dir() const { return dir_; }

  std::unique_ptr<store::Database> db_;
  std::string dir_;
};

}  // namespace carepost::domain::testing
