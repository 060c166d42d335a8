// File: domain/plan_testing.h
//
// Test-only: a fixture for the campaign and post suites, on every store backend
// (testing_db.h). It makes an organization with two brands (Cardiology, Oncology), one
// user per role holding it organization-wide, a second manager, an author for
// Cardiology only, and a user of another organization, each as a Caller.
#pragma once

#include <sodium.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/audit.h"
#include "domain/caller.h"
#include "domain/campaigns.h"
#include "domain/notifications.h"
#include "domain/posts.h"
#include "domain/testing_db.h"
#include "domain/users.h"

namespace carepost::domain::testing {

class PlanTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    audit_ = std::make_unique<AuditLog>(db(), clock_, SecretKey(std::string(32, 'k')),
                                        AuditLogOptions{.checkpoint_every = 5});
    users_ = std::make_unique<UserService>(
        db(), clock_, *audit_,
        UserServiceOptions{.passwords = {.opslimit = crypto_pwhash_OPSLIMIT_MIN,
                                         .memlimit = crypto_pwhash_MEMLIMIT_MIN}});
    campaigns_ = std::make_unique<CampaignService>(db(), clock_, *audit_);
    posts_ = std::make_unique<PostService>(db(), clock_, *audit_);
    notifications_ = std::make_unique<NotificationService>(db(), clock_);
    const Actor cli = Actor::Cli();
    org_ = *users_->CreateOrganization(cli, "St. Example", "st-example");
    cardiology_ = *users_->CreateBrand(cli, org_, "Cardiology", "cardiology");
    oncology_ = *users_->CreateBrand(cli, org_, "Oncology", "oncology");
    for (Role role : AllRoles()) {
      callers_[std::string(RoleName(role))] = MakeCaller(std::string(RoleName(role)), role, {});
    }
    callers_["manager2"] = MakeCaller("manager2", Role::kManager, {});
    callers_["author2"] = MakeCaller("author2", Role::kAuthor, {});
    callers_["cardio_author"] = MakeCaller("cardio_author", Role::kAuthor, cardiology_);
    other_org_ = *users_->CreateOrganization(cli, "Elsewhere", "elsewhere");
    other_brand_ = *users_->CreateBrand(cli, other_org_, "Main", "main");
    callers_["outsider"] = MakeCaller("outsider", Role::kAdmin, {}, other_org_);
  }

  Caller MakeCaller(const std::string& name, Role role, std::optional<int64_t> brand,
                    int64_t org = 0) {
    const std::string email = name + "@example.org";
    absl::StatusOr<int64_t> id =
        users_->CreateUser(Actor::Cli(), {.organization_id = org ? org : org_,
                                          .email = email,
                                          .display_name = name,
                                          .password = "correct horse battery"});
    EXPECT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(users_->GrantRole(Actor::Cli(), *id, role, brand).ok());
    return Caller{.actor = {.user_id = *id, .name = email, .from_address = "test"},
                  .organization_id = org ? org : org_,
                  .grants = *users_->GetGrants(*id)};
  }

  const Caller& as(const std::string& name) { return callers_.at(name); }

  // Audit events with this action, oldest first.
  std::vector<AuditEvent> Events(const std::string& action) {
    std::vector<AuditEvent> out;
    absl::StatusOr<std::vector<AuditEvent>> all = audit_->Read(1, 100000);
    EXPECT_TRUE(all.ok()) << all.status();
    if (!all.ok()) return out;
    for (const AuditEvent& e : *all) {
      if (e.entry.action == action) out.push_back(e);
    }
    return out;
  }

  core::SimulatedClock clock_{absl::FromUnixSeconds(1'780'000'000)};
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<CampaignService> campaigns_;
  std::unique_ptr<PostService> posts_;
  std::unique_ptr<NotificationService> notifications_;
  std::map<std::string, Caller> callers_;
  int64_t org_ = 0, cardiology_ = 0, oncology_ = 0, other_org_ = 0, other_brand_ = 0;
};

}  // namespace carepost::domain::testing
