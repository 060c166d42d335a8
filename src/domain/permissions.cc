#include "domain/permissions.h"

#include <array>

namespace carepost::domain {

namespace {

constexpr unsigned Bit(Role r) { return 1u << static_cast<unsigned>(r); }
constexpr unsigned kAdmin = Bit(Role::kAdmin);
constexpr unsigned kManager = Bit(Role::kManager);
constexpr unsigned kAuthor = Bit(Role::kAuthor);
constexpr unsigned kClinical = Bit(Role::kClinicalReviewer);
constexpr unsigned kCompliance = Bit(Role::kCompliance);
constexpr unsigned kResponder = Bit(Role::kResponder);
constexpr unsigned kAnalyst = Bit(Role::kAnalyst);
constexpr unsigned kEveryone =
    kAdmin | kManager | kAuthor | kClinical | kCompliance | kResponder | kAnalyst;

constexpr std::array<Role, 7> kRoles = {
    Role::kAdmin,      Role::kManager,   Role::kAuthor, Role::kClinicalReviewer,
    Role::kCompliance, Role::kResponder, Role::kAnalyst};

constexpr std::array<std::string_view, 7> kRoleNames = {
    "admin", "manager", "author", "clinical_reviewer", "compliance", "responder", "analyst"};

// THE permission table. Add an action here and to the matrix in permissions_test.cc.
constexpr Permission kPermissionTable[] = {
    // Brand-scoped: an author for one brand sees the organization's brand names too (the
    // composer names the brand it writes for).
    {"org.read", Scope::kBrand, kEveryone, "see the organization profile and brands"},
    {"org.manage", Scope::kOrganization, kAdmin, "change the organization profile and brands"},
    {"users.read", Scope::kOrganization, kAdmin | kManager | kCompliance,
     "list users and their roles"},
    {"users.manage", Scope::kOrganization, kAdmin, "add and disable users, grant and revoke roles"},
    {"audit.read", Scope::kOrganization, kAdmin | kCompliance, "read the audit log"},
    {"audit.export", Scope::kOrganization, kAdmin | kCompliance, "export the audit log"},
    {"audit.verify", Scope::kOrganization, kAdmin | kCompliance, "verify the audit chain"},
    {"secrets.manage", Scope::kOrganization, kAdmin,
     "connect platform accounts and store their tokens"},
    {"screen.run", Scope::kBrand, kEveryone, "screen text with the guard"},
    {"posts.read", Scope::kBrand, kEveryone & ~kResponder, "see drafts and scheduled posts"},
    {"posts.draft", Scope::kBrand, kAdmin | kManager | kAuthor, "write and edit drafts"},
    {"posts.review_clinical", Scope::kBrand, kClinical,
     "approve or reject the medical claims of a draft"},
    {"posts.review_compliance", Scope::kBrand, kCompliance,
     "approve or reject a draft flagged for PHI"},
    {"posts.review", Scope::kBrand, kManager | kClinical | kCompliance,
     "work the review queue: approve or request changes (the approval given follows the "
     "post's findings)"},
    {"posts.approve", Scope::kBrand, kManager,
     "approve a post whose findings need neither clinical nor compliance review"},
    {"posts.schedule", Scope::kBrand, kAdmin | kManager, "schedule and publish approved posts"},
    {"campaigns.manage", Scope::kBrand, kAdmin | kManager, "plan, change and delete campaigns"},
    {"routing.manage", Scope::kBrand, kAdmin | kManager,
     "set which approvals the brand's posts need beyond what the guard's findings call for"},
    {"guard.override", Scope::kBrand, kCompliance, "override a guard block, with a written reason"},
    {"authorizations.read", Scope::kBrand, kAdmin | kManager | kAuthor | kClinical | kCompliance,
     "see the brand's patient HIPAA authorizations (names included) to attach one to a post"},
    {"authorizations.manage", Scope::kBrand, kCompliance,
     "record and revoke patient HIPAA authorizations and read their signed forms"},
    {"inbox.read", Scope::kBrand, kAdmin | kManager | kCompliance | kResponder,
     "read inbox messages (may hold PHI)"},
    {"inbox.reply", Scope::kBrand, kManager | kResponder, "reply to inbox messages"},
    {"analytics.read", Scope::kBrand, kAdmin | kManager | kAnalyst, "see analytics and reports"},
};

}  // namespace

std::span<const Role> AllRoles() { return kRoles; }

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return kRoles[i];
  }
  return std::nullopt;
}

std::span<const Permission> AllPermissions() { return kPermissionTable; }

const Permission* FindPermission(std::string_view action) {
  for (const Permission& p : kPermissionTable) {
    if (p.action == action) return &p;
  }
  return nullptr;
}

bool RoleAllows(Role role, std::string_view action) {
  const Permission* p = FindPermission(action);
  return p != nullptr && (p->roles & Bit(role)) != 0;
}

bool Allowed(const Grants& grants, std::string_view action, std::optional<int64_t> brand_id) {
  const Permission* p = FindPermission(action);
  if (p == nullptr) return false;
  for (Role r : grants.organization) {
    if ((p->roles & Bit(r)) != 0) return true;
  }
  if (p->scope == Scope::kOrganization || !brand_id.has_value()) return false;
  for (const auto& [brand, r] : grants.brand) {
    if (brand == *brand_id && (p->roles & Bit(r)) != 0) return true;
  }
  return false;
}

bool AllowedSomewhere(const Grants& grants, std::string_view action) {
  if (Allowed(grants, action)) return true;
  for (const auto& [brand, r] : grants.brand) {
    if (Allowed(grants, action, brand)) return true;
  }
  return false;
}

}  // namespace carepost::domain
