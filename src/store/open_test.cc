// OpenDatabase: which URL opens what, SQLite's settings and file modes, and errors that
// never show a password.
#include "store/open.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/database.h"

namespace carepost::store {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "carepost-store-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string Text(Database& db, const char* sql) {
  absl::StatusOr<Row> row = db.QueryRow(sql);
  EXPECT_TRUE(row.ok()) << row.status();
  if (!row.ok()) return "";
  const Value& v = (*row)[0];
  return v.type() == Value::Type::kInt64 ? std::to_string(v.int64_value()) : v.text_value();
}

int Mode(const std::string& path) {
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(OpenDatabaseTest, DefaultIsSqliteInTheDataDirectoryInWalMode) {
  TempDir tmp;
  const std::string data_dir = tmp.path() + "/data";
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase({.data_dir = data_dir});
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ((*db)->dialect(), Dialect::kSqlite);
  EXPECT_TRUE(fs::exists(data_dir + "/carepost.db"));
  EXPECT_EQ(Mode(data_dir), 0700);
  EXPECT_EQ(Mode(data_dir + "/carepost.db"), 0600);
  EXPECT_EQ(Text(**db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(Text(**db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(Text(**db, "PRAGMA busy_timeout"), "5000");
  EXPECT_EQ(Text(**db, "PRAGMA synchronous"), "1");  // NORMAL
}

TEST(OpenDatabaseTest, SqliteUrlsAndBarePaths) {
  TempDir tmp;
  for (const std::string& url : {"sqlite:" + tmp.path() + "/a.db", tmp.path() + "/b.db",
                                 "sqlite://" + tmp.path() + "/c.db"}) {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase({.url = url});
    ASSERT_TRUE(db.ok()) << url << ": " << db.status();
    EXPECT_EQ((*db)->dialect(), Dialect::kSqlite);
  }
  EXPECT_TRUE(fs::exists(tmp.path() + "/a.db"));
  EXPECT_TRUE(fs::exists(tmp.path() + "/b.db"));
  EXPECT_TRUE(fs::exists(tmp.path() + "/c.db"));

  // A directory means the carepost.db inside it.
  ASSERT_TRUE(OpenDatabase({.url = "sqlite:" + tmp.path()}).ok());
  EXPECT_TRUE(fs::exists(tmp.path() + "/carepost.db"));

  for (const char* url : {":memory:", "sqlite::memory:"}) {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase({.url = url});
    ASSERT_TRUE(db.ok()) << url << ": " << db.status();
    EXPECT_EQ(Text(**db, "PRAGMA foreign_keys"), "1");
  }
}

TEST(OpenDatabaseTest, RefusesUnknownSchemesWithoutShowingThePassword) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDatabase({.url = "mysql://app:hunter2@db.example/carepost"});
  ASSERT_EQ(db.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(db.status().message());
  EXPECT_NE(message.find("mysql://app:***@db.example/carepost"), std::string::npos) << message;
  EXPECT_NE(message.find("postgres://"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;

  for (const char* url : {"sqlite:", "postgres:carepost", "file:carepost.db", "mysql:x"}) {
    EXPECT_EQ(OpenDatabase({.url = url}).status().code(), absl::StatusCode::kInvalidArgument)
        << url;
  }
}

TEST(OpenDatabaseTest, UnreachablePostgresIsUnavailableWithoutThePassword) {
  // Port 1 on loopback: nothing listens, so the connection is refused at once.
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDatabase({.url = "postgresql://carepost:hunter2@127.0.0.1:1/carepost?sslmode=disable"});
  ASSERT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
  const std::string message(db.status().message());
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
}

TEST(OpenDatabaseTest, MalformedPostgresUrlIsInvalidArgument) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDatabase({.url = "postgres://u:hunter2@127.0.0.1:1/db?no_such_option=1"});
  ASSERT_EQ(db.status().code(), absl::StatusCode::kInvalidArgument) << db.status();
  EXPECT_EQ(std::string(db.status().message()).find("hunter2"), std::string::npos);
}

TEST(OpenDatabaseTest, AFileThatIsNotADatabaseIsDataLoss) {
  TempDir tmp;
  const std::string path = tmp.path() + "/not.db";
  std::ofstream(path) << std::string(4096, 'x');
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase({.url = path});
  EXPECT_EQ(db.status().code(), absl::StatusCode::kDataLoss) << db.status();
}

TEST(OpenDatabaseTest, DataDirThatIsAFileIsInvalidArgument) {
  TempDir tmp;
  const std::string path = tmp.path() + "/file";
  std::ofstream(path) << "x";
  EXPECT_EQ(OpenDatabase({.data_dir = path}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RedactDatabaseUrlTest, MasksPasswordsOnly) {
  EXPECT_EQ(RedactDatabaseUrl("postgres://u:p%40ss@h:5432/db"), "postgres://u:***@h:5432/db");
  EXPECT_EQ(RedactDatabaseUrl("postgres://u@h/db"), "postgres://u@h/db");
  EXPECT_EQ(RedactDatabaseUrl("postgres://h/db?user=u&password=p&sslmode=require"),
            "postgres://h/db?user=u&password=***&sslmode=require");
  EXPECT_EQ(RedactDatabaseUrl("postgresql://u:pw@h"), "postgresql://u:***@h");
  EXPECT_EQ(RedactDatabaseUrl("sqlite:/var/lib/carepost/carepost.db"),
            "sqlite:/var/lib/carepost/carepost.db");
}

TEST(SqliteTest, StatementCacheEvictionKeepsWorking) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenSqlite({.path = ":memory:", .statement_cache_size = 2});
  ASSERT_TRUE(db.ok()) << db.status();
  const char* kSql[] = {"SELECT $1 + 0 AS v", "SELECT $1 + 1 AS v", "SELECT $1 + 2 AS v",
                        "SELECT $1 + 3 AS v", "SELECT $1 + 4 AS v"};
  for (int round = 0; round < 3; ++round) {
    for (int k = 0; k < 5; ++k) {
      absl::StatusOr<Row> row = (*db)->QueryRow(kSql[k], {10});
      ASSERT_TRUE(row.ok()) << row.status();
      EXPECT_EQ(*row->GetInt64("v"), 10 + k);
    }
  }
}

}  // namespace
}  // namespace carepost::store
