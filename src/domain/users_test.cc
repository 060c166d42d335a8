#include "domain/users.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sodium.h>

#include "core/strings.h"
#include "domain/testing_db.h"

namespace carepost::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassword[] = "correct horse battery";

PasswordOptions FastPasswords() {
  return {.opslimit = crypto_pwhash_OPSLIMIT_MIN, .memlimit = crypto_pwhash_MEMLIMIT_MIN};
}

TEST(NormalizeEmailTest, TrimsAndLowercases) {
  EXPECT_EQ(*NormalizeEmail("  Ann.Lee@Example.ORG "), "ann.lee@example.org");
  for (const char* bad : {"", "ann", "@example.org", "ann@", "ann@org", "a b@example.org",
                          "ann@@example.org", "ann@example.org.", "ann@.example.org"}) {
    absl::StatusOr<std::string> e = NormalizeEmail(bad);
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    if (bad[0] != '\0') {
      EXPECT_THAT(std::string(e.status().message()), Not(HasSubstr(bad))) << bad;
    }
  }
}

TEST(PasswordTest, HashIsArgon2idAndVerifies) {
  absl::StatusOr<std::string> hash = HashPassword(kPassword, FastPasswords());
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_THAT(*hash, ::testing::StartsWith("$argon2id$"));
  EXPECT_THAT(*hash, Not(HasSubstr(kPassword)));
  EXPECT_TRUE(VerifyPassword(kPassword, *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery!", *hash));
  EXPECT_FALSE(VerifyPassword(kPassword, ""));
  EXPECT_FALSE(VerifyPassword(kPassword, "not a hash"));
}

TEST(PasswordTest, LengthLimits) {
  absl::StatusOr<std::string> h = HashPassword("short-pw", FastPasswords());
  EXPECT_EQ(h.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(h.status().message()), HasSubstr("12 to 1024"));
  EXPECT_THAT(std::string(h.status().message()), Not(HasSubstr("short-pw")));
  EXPECT_EQ(HashPassword(std::string(1025, 'x'), FastPasswords()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

class UserServiceTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    testing::DatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    audit_ = std::make_unique<AuditLog>(db(), clock_, SecretKey(std::string(32, 'k')),
                                        AuditLogOptions{.checkpoint_every = 3,
                                                        .checkpoint_file = dir() + "/cp.log"});
    users_ = std::make_unique<UserService>(db(), clock_, *audit_,
                                           UserServiceOptions{.passwords = FastPasswords()});
    absl::StatusOr<int64_t> org = users_->CreateOrganization(Actor::Cli(), "St. Example", "st-example");
    ASSERT_TRUE(org.ok()) << org.status();
    org_ = *org;
  }

  std::vector<AuditEvent> Events() {
    absl::StatusOr<std::vector<AuditEvent>> e = audit_->Read(1, 1000);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? *e : std::vector<AuditEvent>{};
  }

  core::SimulatedClock clock_{absl::FromUnixSeconds(1'750'000'000)};
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<UserService> users_;
  int64_t org_ = 0;
};
INSTANTIATE_TEST_SUITE_P(Backends, UserServiceTest, CAREPOST_ALL_BACKENDS);

TEST_P(UserServiceTest, CreateUserNormalisesEmailAndRejectsDuplicates) {
  absl::StatusOr<int64_t> id = users_->CreateUser(
      Actor::Cli(), {.organization_id = org_, .email = " Ann@Example.org", .display_name = "Ann",
                     .password = kPassword});
  ASSERT_TRUE(id.ok()) << id.status();
  absl::StatusOr<User> u = users_->FindUserByEmail("ANN@example.org");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->id, *id);
  EXPECT_EQ(u->email, "ann@example.org");
  EXPECT_EQ(u->display_name, "Ann");
  EXPECT_EQ(u->created_at, clock_.Now());
  EXPECT_FALSE(u->disabled_at.has_value());
  EXPECT_TRUE(VerifyPassword(kPassword, *users_->PasswordHash(*id)));

  absl::StatusOr<int64_t> dup = users_->CreateUser(
      Actor::Cli(), {.organization_id = org_, .email = "ann@EXAMPLE.org", .password = kPassword});
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(users_->CreateUser(Actor::Cli(), {.organization_id = org_ + 100,
                                              .email = "bob@example.org"})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(users_->GetUser(*id + 100).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(UserServiceTest, EveryChangeIsAudited) {
  const Actor admin{.user_id = std::nullopt, .name = "cli", .from_address = "cli"};
  absl::StatusOr<int64_t> brand = users_->CreateBrand(admin, org_, "Cardiology", "cardiology");
  ASSERT_TRUE(brand.ok()) << brand.status();
  absl::StatusOr<int64_t> id = users_->CreateUser(
      admin, {.organization_id = org_, .email = "ann@example.org", .password = kPassword});
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(users_->GrantRole(admin, *id, Role::kAuthor, *brand).ok());
  ASSERT_TRUE(users_->GrantRole(admin, *id, Role::kAuthor, *brand).ok());  // no-op
  ASSERT_TRUE(users_->GrantRole(admin, *id, Role::kAnalyst).ok());
  ASSERT_TRUE(users_->RevokeRole(admin, *id, Role::kAnalyst).ok());
  ASSERT_TRUE(users_->SetPassword(admin, *id, "another long password").ok());
  ASSERT_TRUE(users_->DisableUser(admin, *id).ok());
  ASSERT_TRUE(users_->DisableUser(admin, *id).ok());  // no-op

  std::vector<std::string> actions;
  for (const AuditEvent& e : Events()) actions.push_back(e.entry.action);
  EXPECT_THAT(actions, ::testing::ElementsAre("organization.create", "brand.create", "user.create",
                                              "role.grant", "role.grant", "role.revoke",
                                              "user.set_password", "user.disable"));
  const std::vector<AuditEvent> events = Events();
  EXPECT_EQ(events[3].entry.record_id, std::to_string(*id));
  EXPECT_THAT(events[3].entry.details, HasSubstr("\"role\":\"author\""));
  for (const AuditEvent& e : events) {
    EXPECT_THAT(e.entry.details, Not(HasSubstr("horse"))) << e.entry.action;
  }
  absl::StatusOr<AuditVerifyReport> r = audit_->Verify();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok) << r->problem;
}

TEST_P(UserServiceTest, GrantsArePerBrandOrOrganizationWide) {
  const int64_t cardio = *users_->CreateBrand(Actor::Cli(), org_, "Cardiology", "cardiology");
  const int64_t onco = *users_->CreateBrand(Actor::Cli(), org_, "Oncology", "oncology");
  const int64_t ann = *users_->CreateUser(
      Actor::Cli(), {.organization_id = org_, .email = "ann@example.org", .password = kPassword});
  ASSERT_TRUE(users_->GrantRole(Actor::Cli(), ann, Role::kAuthor, cardio).ok());
  ASSERT_TRUE(users_->GrantRole(Actor::Cli(), ann, Role::kCompliance).ok());
  absl::StatusOr<Grants> g = users_->GetGrants(ann);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(Allowed(*g, "posts.draft", cardio));
  EXPECT_FALSE(Allowed(*g, "posts.draft", onco));
  EXPECT_TRUE(Allowed(*g, "audit.read"));
  EXPECT_TRUE(Allowed(*g, "guard.override", onco));
  EXPECT_FALSE(Allowed(*g, "users.manage"));

  EXPECT_EQ(users_->RevokeRole(Actor::Cli(), ann, Role::kAuthor, onco).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(users_->GrantRole(Actor::Cli(), ann, Role::kAuthor, onco + 100).code(),
            absl::StatusCode::kNotFound);
  const int64_t other_org = *users_->CreateOrganization(Actor::Cli(), "Other", "other");
  const int64_t foreign = *users_->CreateBrand(Actor::Cli(), other_org, "Peds", "peds");
  EXPECT_EQ(users_->GrantRole(Actor::Cli(), ann, Role::kAuthor, foreign).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*users_->FindBrand(org_, "oncology"), onco);
  EXPECT_EQ(users_->FindBrand(org_, "peds").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(UserServiceTest, SlugsAndNamesAreChecked) {
  EXPECT_EQ(users_->CreateOrganization(Actor::Cli(), "Dup", "st-example").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(users_->CreateOrganization(Actor::Cli(), "Bad", "Bad Slug").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users_->CreateBrand(Actor::Cli(), org_, "", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(users_->CreateBrand(Actor::Cli(), org_, "X", "x").ok());
  EXPECT_EQ(users_->CreateBrand(Actor::Cli(), org_, "X again", "x").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(UserServiceTest, SqlInjectionThroughTextFieldsIsInert) {
  const std::string evil = "x'); DROP TABLE users; --";
  absl::StatusOr<int64_t> id = users_->CreateUser(
      Actor::Cli(), {.organization_id = org_, .email = "o'brien@example.org",
                     .display_name = evil, .password = kPassword});
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(users_->GetUser(*id)->display_name, evil);
  EXPECT_EQ(users_->FindUserByEmail("o'brien@example.org")->id, *id);
  EXPECT_EQ(users_->FindOrganization("' OR '1'='1").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace carepost::domain

namespace carepost::domain {
namespace {

TEST_P(UserServiceTest, ListUsersPagesByIdWithinTheOrganization) {
  const int64_t other = *users_->CreateOrganization(Actor::Cli(), "Other", "other");
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(*users_->CreateUser(
        Actor::Cli(), {.organization_id = org_, .email = core::Cat("u", i, "@example.org")}));
  }
  ASSERT_TRUE(users_->CreateUser(Actor::Cli(), {.organization_id = other,
                                                .email = "x@other.org"}).ok());
  absl::StatusOr<std::vector<User>> page = users_->ListUsers(org_, 0, 2);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, ids[0]);
  page = users_->ListUsers(org_, (*page)[1].id, 100);
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ(page->back().id, ids[4]);
}

TEST_P(UserServiceTest, ReplaceGrantsIsAllOrNothingAndAuditsEachChange) {
  const int64_t cardio = *users_->CreateBrand(Actor::Cli(), org_, "Cardiology", "cardiology");
  const int64_t other = *users_->CreateOrganization(Actor::Cli(), "Other", "other");
  const int64_t foreign = *users_->CreateBrand(Actor::Cli(), other, "Foreign", "foreign");
  const int64_t ann = *users_->CreateUser(Actor::Cli(), {.organization_id = org_,
                                                         .email = "ann@example.org"});
  ASSERT_TRUE(users_->GrantRole(Actor::Cli(), ann, Role::kAnalyst).ok());
  const size_t before = Events().size();
  ASSERT_TRUE(users_
                  ->ReplaceGrants(Actor::Cli(), ann,
                                  {{.role = Role::kAuthor, .brand_id = cardio},
                                   {.role = Role::kResponder}})
                  .ok());
  Grants g = *users_->GetGrants(ann);
  EXPECT_EQ(GrantList(g), (std::vector<RoleGrant>{{.role = Role::kAuthor, .brand_id = cardio},
                                                  {.role = Role::kResponder}}));
  std::vector<AuditEvent> events = Events();
  ASSERT_EQ(events.size(), before + 3);  // one revoke, two grants
  EXPECT_EQ(events[before].entry.action, "role.revoke");
  // A brand of another organization fails the whole replacement.
  absl::Status s = users_->ReplaceGrants(Actor::Cli(), ann, {{.role = Role::kAdmin},
                                                             {.role = Role::kAuthor,
                                                              .brand_id = foreign}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GrantList(*users_->GetGrants(ann)), GrantList(g));
  EXPECT_EQ(Events().size(), before + 3);
  // Replacing with the same set changes nothing and audits nothing.
  ASSERT_TRUE(users_->ReplaceGrants(Actor::Cli(), ann, GrantList(g)).ok());
  EXPECT_EQ(Events().size(), before + 3);
}

TEST_P(UserServiceTest, EnableRenameAndOrganization) {
  const int64_t cardio = *users_->CreateBrand(Actor::Cli(), org_, "Cardiology", "cardiology");
  const int64_t ann = *users_->CreateUser(Actor::Cli(), {.organization_id = org_,
                                                         .email = "ann@example.org"});
  ASSERT_TRUE(users_->DisableUser(Actor::Cli(), ann).ok());
  ASSERT_TRUE(users_->EnableUser(Actor::Cli(), ann).ok());
  ASSERT_TRUE(users_->EnableUser(Actor::Cli(), ann).ok());  // idempotent, not audited again
  EXPECT_FALSE(users_->GetUser(ann)->disabled_at.has_value());
  ASSERT_TRUE(users_->SetDisplayName(Actor::Cli(), ann, "Ann Lee").ok());
  EXPECT_EQ(users_->GetUser(ann)->display_name, "Ann Lee");
  EXPECT_EQ(users_->SetDisplayName(Actor::Cli(), ann, "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users_->SetDisplayName(Actor::Cli(), 9999, "X").code(), absl::StatusCode::kNotFound);
  int enables = 0;
  for (const AuditEvent& e : Events()) enables += e.entry.action == "user.enable";
  EXPECT_EQ(enables, 1);
  absl::StatusOr<Organization> org = users_->GetOrganization(org_);
  ASSERT_TRUE(org.ok()) << org.status();
  EXPECT_EQ(org->slug, "st-example");
  ASSERT_EQ(org->brands.size(), 1u);
  EXPECT_EQ(org->brands[0].id, cardio);
  EXPECT_EQ(users_->GetOrganization(9999).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace carepost::domain
