// File: domain/permissions.h
//
// Who may do what. Roles are granted to a user either for the whole organization or
// for one brand (an author for Cardiology is not an author for Oncology). The table in
// permissions.cc (kPermissionTable) is the single source of truth: every action, the
// scope it is checked at, and the roles that may perform it. Nothing else in carepost
// decides authorization.
//
//   Grants grants = ...;  // from UserService::GetGrants()
//   if (!Allowed(grants, "posts.draft", brand_id)) return absl::PermissionDeniedError(...);
//
// Scope. An organization-scoped action (users.manage, audit.read, ...) needs an
// organization-wide grant of an allowed role. A brand-scoped action (posts.draft,
// inbox.reply, ...) needs an allowed role granted organization-wide or for that brand.
//
// Everything here is pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace carepost::domain {

enum class Role {
  kAdmin,
  kManager,
  kAuthor,
  kClinicalReviewer,
  kCompliance,
  kResponder,
  kAnalyst,
};

// Every role, in declaration order.
std::span<const Role> AllRoles();
// "admin", "manager", "author", "clinical_reviewer", "compliance", "responder", "analyst".
std::string_view RoleName(Role role);
// The role a name denotes; nullopt for an unknown name.
std::optional<Role> ParseRole(std::string_view name);

enum class Scope { kOrganization, kBrand };

// One row of the permission table.
struct Permission {
  std::string_view action;  // "users.manage"
  Scope scope;
  unsigned roles;            // bit (1 << Role) set for each role allowed
  std::string_view summary;  // what the action lets someone do
};

// The whole table, in a stable order.
std::span<const Permission> AllPermissions();
// The row of `action`; nullptr when the table has no such action.
const Permission* FindPermission(std::string_view action);

// True when the table lets `role` perform `action` (ignoring scope). False for an
// unknown action.
bool RoleAllows(Role role, std::string_view action);

// The roles one user holds.
struct Grants {
  std::set<Role> organization;                      // organization-wide
  std::set<std::pair<int64_t, Role>> brand;         // (brand id, role)
};

// True when `grants` allow `action`. For a brand-scoped action `brand_id` names the
// brand acted on; with no brand_id only organization-wide grants count. Unknown actions
// are denied.
bool Allowed(const Grants& grants, std::string_view action,
             std::optional<int64_t> brand_id = std::nullopt);

// True when `grants` allow `action` organization-wide or for at least one brand (what a
// route checks before it knows the brand; the handler then checks the brand acted on).
bool AllowedSomewhere(const Grants& grants, std::string_view action);

}  // namespace carepost::domain
