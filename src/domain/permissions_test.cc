#include "domain/permissions.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace carepost::domain {
namespace {

// The expected matrix, written out as data: action -> the roles allowed. Every other
// role is denied. A change to kPermissionTable must be made here too, on purpose.
const std::map<std::string, std::set<std::string>>& ExpectedMatrix() {
  static const auto* const kMatrix = new std::map<std::string, std::set<std::string>>{
      {"org.read",
       {"admin", "manager", "author", "clinical_reviewer", "compliance", "responder", "analyst"}},
      {"org.manage", {"admin"}},
      {"users.read", {"admin", "manager", "compliance"}},
      {"users.manage", {"admin"}},
      {"audit.read", {"admin", "compliance"}},
      {"audit.export", {"admin", "compliance"}},
      {"audit.verify", {"admin", "compliance"}},
      {"secrets.manage", {"admin"}},
      {"screen.run",
       {"admin", "manager", "author", "clinical_reviewer", "compliance", "responder", "analyst"}},
      {"posts.read", {"admin", "manager", "author", "clinical_reviewer", "compliance", "analyst"}},
      {"posts.draft", {"admin", "manager", "author"}},
      {"posts.review_clinical", {"clinical_reviewer"}},
      {"posts.review_compliance", {"compliance"}},
      {"posts.review", {"manager", "clinical_reviewer", "compliance"}},
      {"posts.approve", {"manager"}},
      {"posts.schedule", {"admin", "manager"}},
      {"campaigns.manage", {"admin", "manager"}},
      {"routing.manage", {"admin", "manager"}},
      {"guard.override", {"compliance"}},
      {"authorizations.read", {"admin", "manager", "author", "clinical_reviewer", "compliance"}},
      {"authorizations.manage", {"compliance"}},
      {"inbox.read", {"admin", "manager", "compliance", "responder"}},
      {"inbox.reply", {"manager", "responder"}},
      {"analytics.read", {"admin", "manager", "analyst"}},
  };
  return *kMatrix;
}

const std::set<std::string> kAllRoleNames = {
    "admin", "manager", "author", "clinical_reviewer", "compliance", "responder", "analyst"};

TEST(PermissionsTest, RoleNamesRoundTrip) {
  std::set<std::string> names;
  for (Role r : AllRoles()) {
    names.insert(std::string(RoleName(r)));
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(names, kAllRoleNames);
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseRole("root"), std::nullopt);
}

TEST(PermissionsTest, TableAndMatrixListTheSameActions) {
  std::set<std::string> in_table;
  for (const Permission& p : AllPermissions()) {
    EXPECT_TRUE(in_table.insert(std::string(p.action)).second) << "duplicate " << p.action;
    EXPECT_FALSE(p.summary.empty()) << p.action;
  }
  std::set<std::string> in_matrix;
  for (const auto& [action, roles] : ExpectedMatrix()) in_matrix.insert(action);
  EXPECT_EQ(in_table, in_matrix);
}

// Every action x every role, allowed and denied, with an organization-wide grant, a
// grant for the brand acted on, and a grant for another brand.
TEST(PermissionsTest, Matrix) {
  constexpr int64_t kCardiology = 1, kOncology = 2;
  for (const auto& [action, allowed] : ExpectedMatrix()) {
    const Permission* p = FindPermission(action);
    ASSERT_NE(p, nullptr) << action;
    for (Role role : AllRoles()) {
      const std::string name(RoleName(role));
      const bool expect = allowed.contains(name);
      SCOPED_TRACE(action + " / " + name);
      EXPECT_EQ(RoleAllows(role, action), expect);

      Grants org_wide;
      org_wide.organization.insert(role);
      EXPECT_EQ(Allowed(org_wide, action, kCardiology), expect);
      EXPECT_EQ(Allowed(org_wide, action), expect);

      Grants cardiology;
      cardiology.brand.insert({kCardiology, role});
      // A brand grant covers brand-scoped actions on that brand only, and never an
      // organization-scoped action.
      EXPECT_EQ(Allowed(cardiology, action, kCardiology), expect && p->scope == Scope::kBrand);
      EXPECT_FALSE(Allowed(cardiology, action, kOncology));
      EXPECT_FALSE(Allowed(cardiology, action));
    }
  }
}

TEST(PermissionsTest, AuthorForCardiologyIsNotAuthorForOncology) {
  Grants g;
  g.brand.insert({1, Role::kAuthor});
  EXPECT_TRUE(Allowed(g, "posts.draft", 1));
  EXPECT_FALSE(Allowed(g, "posts.draft", 2));
  g.brand.insert({2, Role::kAnalyst});
  EXPECT_FALSE(Allowed(g, "posts.draft", 2));
  EXPECT_TRUE(Allowed(g, "analytics.read", 2));
  EXPECT_FALSE(Allowed(g, "analytics.read", 1));
}

TEST(PermissionsTest, UnknownActionsAndEmptyGrantsAreDenied) {
  Grants admin;
  admin.organization.insert(Role::kAdmin);
  EXPECT_FALSE(Allowed(admin, "users.delete_everything"));
  EXPECT_FALSE(Allowed(admin, ""));
  EXPECT_FALSE(RoleAllows(Role::kAdmin, "nope"));
  EXPECT_EQ(FindPermission("nope"), nullptr);
  for (const Permission& p : AllPermissions()) {
    EXPECT_FALSE(Allowed(Grants{}, p.action, 1)) << p.action;
  }
}

}  // namespace
}  // namespace carepost::domain
