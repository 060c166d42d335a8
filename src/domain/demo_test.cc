#include "domain/demo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <map>
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

TEST_P(DemoTest, PlanFillsTheCalendarOnceWithPostsInEveryState) {
  core::SimulatedClock clock(absl::FromUnixSeconds(1'780'000'000));
  AuditLog audit(db(), clock, SecretKey(std::string(32, 'd')), {});
  UserService users(db(), clock, audit,
                    {.passwords = {.opslimit = crypto_pwhash_OPSLIMIT_MIN,
                                   .memlimit = crypto_pwhash_MEMLIMIT_MIN}});
  CampaignService campaigns(db(), clock, audit);
  PostService posts(db(), clock, audit);
  ASSERT_TRUE(SeedDemo(users).ok());
  // A stand-in for the guard: the post that makes an efficacy claim needs clinical review.
  const ScreenContent screen = [](const PostContent& c) {
    GuardReport r;
    if (c.master_text.find("builds protection") != std::string::npos) {
      r.findings.push_back({.field = "master", .kind = "medical_claim", .severity = "review"});
    }
    return r;
  };
  absl::StatusOr<int> made = SeedDemoPlan(users, campaigns, posts, screen, clock.Now());
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(*made, 7);
  const int64_t org = *users.FindOrganization(kDemoOrganizationSlug);
  const Caller analyst{.actor = {.user_id = users.FindUserByEmail("analyst@riverside.example")->id},
                       .organization_id = org,
                       .grants = {.organization = {Role::kAnalyst}}};
  absl::StatusOr<std::vector<Campaign>> c = campaigns.List(analyst, {});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].type, CampaignType::kSeasonal);
  EXPECT_EQ((*c)[1].type, CampaignType::kAwareness);
  EXPECT_EQ((*c)[1].start_date.substr(4), "-02-01");
  std::map<PostStatus, int> by_status;
  absl::StatusOr<std::vector<Post>> all = posts.List(analyst, {.limit = 100});
  ASSERT_TRUE(all.ok());
  for (const Post& p : *all) {
    ++by_status[p.status];
    EXPECT_EQ(p.time_zone, "America/New_York");
    EXPECT_GT(*p.scheduled_at, clock.Now());
  }
  EXPECT_EQ(by_status[PostStatus::kScheduled], 2);
  EXPECT_EQ(by_status[PostStatus::kApproved], 1);
  EXPECT_EQ(by_status[PostStatus::kInReview], 2);
  EXPECT_EQ(by_status[PostStatus::kDraft], 2);
  // A second start plans nothing more.
  EXPECT_EQ(*SeedDemoPlan(users, campaigns, posts, screen, clock.Now()), 0);
}

}  // namespace
}  // namespace carepost::domain
