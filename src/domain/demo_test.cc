#include "domain/demo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

#include "domain/testing_db.h"

namespace carepost::domain {
namespace {

class DemoTest : public testing::DatabaseTest {};
INSTANTIATE_TEST_SUITE_P(Backends, DemoTest,
                         ::testing::Values(testing::Backend::kSqliteMemory),
                         testing::BackendName);

TEST_P(DemoTest, OneAccountPerRoleOnceWithRandomPasswords) {
  core::SimulatedClock clock(absl::FromUnixSeconds(1'780'000'000));
  AuditLog audit(db(), clock, SecretKey(std::string(32, 'd')), {});
  UserService users(db(), clock, audit,
                    {.passwords = {.opslimit = crypto_pwhash_OPSLIMIT_MIN,
                                   .memlimit = crypto_pwhash_MEMLIMIT_MIN}});
  absl::StatusOr<std::optional<std::vector<DemoAccount>>> made = SeedDemo(users);
  ASSERT_TRUE(made.ok()) << made.status();
  ASSERT_TRUE(made->has_value());
  const std::vector<DemoAccount>& accounts = **made;
  ASSERT_EQ(accounts.size(), AllRoles().size());
  std::set<std::string> passwords;
  for (const DemoAccount& a : accounts) {
    passwords.insert(a.password);
    EXPECT_EQ(a.password.size(), 20u);
    absl::StatusOr<User> u = users.FindUserByEmail(a.email);
    ASSERT_TRUE(u.ok()) << a.email;
    EXPECT_TRUE(VerifyPassword(a.password, *users.PasswordHash(u->id)));
    const Grants g = *users.GetGrants(u->id);
    if (a.role == Role::kAuthor) {
      // Scoped to one brand: an author for Cardiology is not an author for Oncology.
      EXPECT_TRUE(g.organization.empty());
      EXPECT_EQ(g.brand.size(), 1u);
      EXPECT_EQ(a.scope, "Cardiology");
    } else {
      EXPECT_EQ(g.organization, std::set<Role>{a.role});
    }
  }
  EXPECT_EQ(passwords.size(), accounts.size());
  EXPECT_EQ(accounts[3].email, "clinical-reviewer@riverside.example");
  // A second start changes nothing.
  made = SeedDemo(users);
  ASSERT_TRUE(made.ok());
  EXPECT_FALSE(made->has_value());
}

}  // namespace
}  // namespace carepost::domain
