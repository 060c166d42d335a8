#include "store/observed_database.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/open.h"

namespace carepost::store {
namespace {

TEST(ObservedDatabaseTest, ReportsEveryCallWithItsOutcomeAndNoSql) {
  core::SimulatedClock clock(absl::FromUnixSeconds(1'780'000'000));
  std::vector<std::string> seen;
  auto inner = OpenDatabase({.url = ":memory:"});
  ASSERT_TRUE(inner.ok()) << inner.status();
  std::unique_ptr<Database> db = ObserveDatabase(
      std::move(*inner), clock, [&seen](std::string_view op, bool ok, absl::Duration) {
        seen.push_back(std::string(op) + (ok ? ":ok" : ":error"));
      });
  ASSERT_TRUE(db->Execute("CREATE TABLE t (v TEXT)").ok());
  ASSERT_TRUE(db->Query("SELECT v FROM t").ok());
  EXPECT_FALSE(db->Query("SELECT nope FROM t").ok());
  ASSERT_TRUE(db->WithTransaction([](Tx& tx) {
                  return tx.Execute("INSERT INTO t (v) VALUES ($1)", {"x"}).status();
                }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"execute:ok", "query:ok", "query:error",
                                            "transaction:ok"}));
  EXPECT_EQ(db->dialect(), Dialect::kSqlite);
}

}  // namespace
}  // namespace carepost::store
