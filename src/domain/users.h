// File: domain/users.h
//
// Organizations, their brands, the people who sign in, and the roles they hold.
// UserService writes through a store::Database and records every change in the audit
// log, in the same transaction as the change.
//
//   UserService users(db, clock, audit, {});
//   ASSIGN_OR_RETURN(int64_t org, users.CreateOrganization(actor, "St. Example", "st-example"));
//   ASSIGN_OR_RETURN(int64_t cardio, users.CreateBrand(actor, org, "Cardiology", "cardiology"));
//   ASSIGN_OR_RETURN(int64_t id, users.CreateUser(actor, {.organization_id = org,
//       .email = "Ann@Example.org", .display_name = "Ann", .password = password}));
//   RETURN_IF_ERROR(users.GrantRole(actor, id, Role::kAuthor, cardio));   // Cardiology only
//   RETURN_IF_ERROR(users.GrantRole(actor, id, Role::kAnalyst));          // organization-wide
//
// Emails are normalised (surrounding space removed, ASCII lower-cased) and unique
// across the installation. Passwords are hashed with argon2id (libsodium
// crypto_pwhash_str) and never stored, logged or put in an error message.
//
// Authorization is the caller's job (domain/permissions.h: Allowed(GetGrants(...), ...));
// these methods record who acted, they do not check whether the actor may.
//
// Thread safety: safe for concurrent use from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/permissions.h"
#include "store/database.h"

namespace carepost::domain {

// Who is acting, for the audit log.
struct Actor {
  std::optional<int64_t> user_id;  // the signed-in user, if any
  std::string name;                // their email, or "cli", "system"
  std::string from_address;        // client address, or "cli"

  static Actor Cli() { return Actor{.name = "cli", .from_address = "cli"}; }
};

struct PasswordOptions {
  // libsodium crypto_pwhash opslimit (argon2id passes). Higher is slower for attackers
  // and for every sign-in. Default: crypto_pwhash_OPSLIMIT_INTERACTIVE (2).
  unsigned long long opslimit = 2;
  // Memory per hash in bytes. Default: crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB);
  // each concurrent sign-in holds this much for ~0.1 s. Tests may use the minimum
  // (crypto_pwhash_OPSLIMIT_MIN = 1, crypto_pwhash_MEMLIMIT_MIN = 8192).
  size_t memlimit = 64u << 20;
  // Shortest password accepted (NIST SP 800-63B asks for at least 8).
  size_t min_length = 12;
  // Longest password accepted (bounds hashing work for hostile input).
  size_t max_length = 1024;
};

// An argon2id hash of `password` (libsodium's string format, with its parameters).
// InvalidArgument when the password is too short or too long (the message gives the
// limits, never the password); ResourceExhausted when memory runs out.
[[nodiscard]] absl::StatusOr<std::string> HashPassword(std::string_view password,
                                                       const PasswordOptions& options);
// True when `password` matches `hash` (false for a malformed hash).
bool VerifyPassword(std::string_view password, std::string_view hash);

// The normalised form of an email address: trimmed and ASCII lower-cased.
// InvalidArgument (without echoing the address) when it is not a plausible address.
[[nodiscard]] absl::StatusOr<std::string> NormalizeEmail(std::string_view email);

struct User {
  int64_t id = 0;
  int64_t organization_id = 0;
  std::string email;
  std::string display_name;
  absl::Time created_at;
  std::optional<absl::Time> disabled_at;
};

struct Brand {
  int64_t id = 0;
  std::string name;
  std::string slug;
};

struct Organization {
  int64_t id = 0;
  std::string name;
  std::string slug;
  std::vector<Brand> brands;  // by id
};

// One role grant as a list entry: organization-wide when brand_id is empty.
struct RoleGrant {
  Role role = Role::kAnalyst;
  std::optional<int64_t> brand_id;
  bool operator<(const RoleGrant& o) const {
    return std::pair(role, brand_id.value_or(0)) < std::pair(o.role, o.brand_id.value_or(0));
  }
  bool operator==(const RoleGrant& o) const = default;
};

// Grants as a sorted list (organization-wide first within each role).
std::vector<RoleGrant> GrantList(const Grants& grants);

struct NewUser {
  int64_t organization_id = 0;
  std::string email;
  std::string display_name;
  std::string password;  // may be empty: the user can then only sign in by SSO
};

struct UserServiceOptions {
  PasswordOptions passwords;
};

class UserService {
 public:
  // Everything passed in must outlive the service.
  UserService(store::Database& db, core::Clock& clock, AuditLog& audit,
              UserServiceOptions options);

  // Creates an organization; AlreadyExists when the slug is taken.
  [[nodiscard]] absl::StatusOr<int64_t> CreateOrganization(const Actor& actor,
                                                           std::string_view name,
                                                           std::string_view slug);
  // Creates a brand of an organization; AlreadyExists when the organization already has
  // the slug, NotFound when there is no such organization.
  [[nodiscard]] absl::StatusOr<int64_t> CreateBrand(const Actor& actor, int64_t organization_id,
                                                    std::string_view name, std::string_view slug);
  // The id of the brand `slug` of the organization; NotFound when there is none.
  [[nodiscard]] absl::StatusOr<int64_t> FindBrand(int64_t organization_id, std::string_view slug);
  // The id of the organization `slug`; NotFound when there is none.
  [[nodiscard]] absl::StatusOr<int64_t> FindOrganization(std::string_view slug);

  // The organization with its brands; NotFound when there is none.
  [[nodiscard]] absl::StatusOr<Organization> GetOrganization(int64_t organization_id);

  // Users of the organization with id > after_id, by id, at most `limit`.
  [[nodiscard]] absl::StatusOr<std::vector<User>> ListUsers(int64_t organization_id,
                                                            int64_t after_id, int64_t limit);

  // Creates a user; AlreadyExists when the email is taken, NotFound when the
  // organization does not exist, InvalidArgument for a bad email or password.
  [[nodiscard]] absl::StatusOr<int64_t> CreateUser(const Actor& actor, const NewUser& user);
  [[nodiscard]] absl::StatusOr<User> GetUser(int64_t user_id);
  // NotFound when no user has the (normalised) email.
  [[nodiscard]] absl::StatusOr<User> FindUserByEmail(std::string_view email);
  // The stored password hash ('' for SSO-only users). For SessionService.
  [[nodiscard]] absl::StatusOr<std::string> PasswordHash(int64_t user_id);
  // Replaces the password.
  [[nodiscard]] absl::Status SetPassword(const Actor& actor, int64_t user_id,
                                         std::string_view password);
  // Disables the user (they can no longer sign in; SessionService refuses their
  // sessions). Idempotent.
  [[nodiscard]] absl::Status DisableUser(const Actor& actor, int64_t user_id);

  // Lets a disabled user sign in again. Idempotent.
  [[nodiscard]] absl::Status EnableUser(const Actor& actor, int64_t user_id);
  // Renames the user (1 to 200 bytes of UTF-8, no control characters).
  [[nodiscard]] absl::Status SetDisplayName(const Actor& actor, int64_t user_id,
                                            std::string_view display_name);

  // Makes `grants` exactly the user's roles, in one transaction: each grant added or
  // removed is its own audit event. Errors as GrantRole; nothing changes on an error.
  [[nodiscard]] absl::Status ReplaceGrants(const Actor& actor, int64_t user_id,
                                           const std::vector<RoleGrant>& grants);

  // Grants `role` for one brand (of the user's organization) or, with no brand,
  // organization-wide. Granting a role held already is a no-op (not audited again).
  // NotFound for an unknown user or brand; InvalidArgument when the brand belongs to
  // another organization.
  [[nodiscard]] absl::Status GrantRole(const Actor& actor, int64_t user_id, Role role,
                                       std::optional<int64_t> brand_id = std::nullopt);
  // Revokes a grant; NotFound when it was not held.
  [[nodiscard]] absl::Status RevokeRole(const Actor& actor, int64_t user_id, Role role,
                                        std::optional<int64_t> brand_id = std::nullopt);
  // Every role the user holds (roles unknown to this build are ignored).
  [[nodiscard]] absl::StatusOr<Grants> GetGrants(int64_t user_id);

  const PasswordOptions& password_options() const { return options_.passwords; }

 private:
  // Runs `fn` in a transaction that also appends `entry` to the audit log.
  absl::Status Audited(const std::function<absl::Status(store::Tx&, AuditEntry&)>& fn);

  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
  const UserServiceOptions options_;
};

// The AuditEntry skeleton for an action by `actor`.
AuditEntry EntryFor(const Actor& actor, std::string_view action);

}  // namespace carepost::domain
