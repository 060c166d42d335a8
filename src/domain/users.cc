#include "domain/users.h"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/status_macros.h"
#include "core/strings.h"
#include "core/utf8.h"
#include "domain/internal/crypto.h"

namespace carepost::domain {

namespace {

constexpr char kUserColumns[] =
    "id, organization_id, email, display_name, created_at, disabled_at";

absl::StatusOr<User> UserFromRow(const store::Row& row) {
  User u;
  ASSIGN_OR_RETURN(u.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(u.organization_id, row.GetInt64("organization_id"));
  ASSIGN_OR_RETURN(u.email, row.GetText("email"));
  ASSIGN_OR_RETURN(u.display_name, row.GetText("display_name"));
  ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
  u.created_at = absl::FromUnixMicros(created);
  ASSIGN_OR_RETURN(bool disabled_null, row.IsNull("disabled_at"));
  if (!disabled_null) {
    ASSIGN_OR_RETURN(int64_t disabled, row.GetInt64("disabled_at"));
    u.disabled_at = absl::FromUnixMicros(disabled);
  }
  return u;
}

// A readable name/slug check: slugs are [a-z0-9-], 1..64; names are 1..200 bytes of
// UTF-8 without control characters.
absl::Status CheckSlug(std::string_view what, std::string_view slug) {
  if (slug.empty() || slug.size() > 64) {
    return absl::InvalidArgumentError(core::Cat(what, " slug must be 1 to 64 characters"));
  }
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return absl::InvalidArgumentError(
          core::Cat(what, " slug may hold only a-z, 0-9 and '-'"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckName(std::string_view what, std::string_view name, bool allow_empty) {
  if ((!allow_empty && name.empty()) || name.size() > 200) {
    return absl::InvalidArgumentError(core::Cat(what, " must be 1 to 200 bytes"));
  }
  if (!core::ValidateUtf8(name).ok) {
    return absl::InvalidArgumentError(core::Cat(what, " is not valid UTF-8"));
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(core::Cat(what, " holds a control character"));
    }
  }
  return absl::OkStatus();
}

std::string Details(const nlohmann::json& j) { return j.dump(); }

}  // namespace

absl::StatusOr<std::string> HashPassword(std::string_view password,
                                         const PasswordOptions& options) {
  internal::EnsureSodium();
  if (password.size() < options.min_length || password.size() > options.max_length) {
    return absl::InvalidArgumentError(core::Cat("password must be ", options.min_length, " to ",
                                                options.max_length, " characters long"));
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), options.opslimit,
                        options.memlimit) != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash the password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, std::string_view hash) {
  internal::EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string h(hash);  // NUL-terminated
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

absl::StatusOr<std::string> NormalizeEmail(std::string_view email) {
  while (!email.empty() && (email.front() == ' ' || email.front() == '\t')) email.remove_prefix(1);
  while (!email.empty() && (email.back() == ' ' || email.back() == '\t')) email.remove_suffix(1);
  if (email.empty() || email.size() > 254) {
    return absl::InvalidArgumentError("email must be 1 to 254 characters");
  }
  if (!core::ValidateUtf8(email).ok) return absl::InvalidArgumentError("email is not valid UTF-8");
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) {
    return absl::InvalidArgumentError("email must have the form name@domain");
  }
  const std::string_view domain = email.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.') {
    return absl::InvalidArgumentError("email must have the form name@domain");
  }
  std::string out;
  out.reserve(email.size());
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("email holds a space or control character");
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
  }
  return out;
}

AuditEntry EntryFor(const Actor& actor, std::string_view action) {
  return AuditEntry{.actor_user_id = actor.user_id,
                    .actor = actor.name,
                    .action = std::string(action),
                    .from_address = actor.from_address};
}

UserService::UserService(store::Database& db, core::Clock& clock, AuditLog& audit,
                         UserServiceOptions options)
    : db_(db), clock_(clock), audit_(audit), options_(std::move(options)) {}

absl::Status UserService::Audited(
    const std::function<absl::Status(store::Tx&, AuditEntry&)>& fn) {
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    AuditEntry entry;
    RETURN_IF_ERROR(fn(tx, entry));
    if (entry.action.empty()) return absl::OkStatus();  // nothing changed
    return audit_.AppendInTx(tx, entry).status();
  }));
  return audit_.FlushCheckpoints();
}

absl::StatusOr<int64_t> UserService::CreateOrganization(const Actor& actor, std::string_view name,
                                                        std::string_view slug) {
  RETURN_IF_ERROR(CheckName("organization name", name, false));
  RETURN_IF_ERROR(CheckSlug("organization", slug));
  int64_t id = 0;
  absl::Status s = Audited([&](store::Tx& tx, AuditEntry& entry) -> absl::Status {
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryRow("INSERT INTO organizations (name, slug, created_at) VALUES "
                                 "($1, $2, $3) RETURNING id",
                                 {name, slug, absl::ToUnixMicros(clock_.Now())}));
    ASSIGN_OR_RETURN(id, row.GetInt64("id"));
    entry = EntryFor(actor, "organization.create");
    entry.organization_id = id;
    entry.record_type = "organization";
    entry.record_id = core::Cat(id);
    entry.details = Details({{"slug", slug}});
    return absl::OkStatus();
  });
  if (s.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(core::Cat("an organization with slug '", slug, "' exists"));
  }
  RETURN_IF_ERROR(s);
  return id;
}

absl::StatusOr<int64_t> UserService::FindOrganization(std::string_view slug) {
  absl::StatusOr<store::Row> row =
      db_.QueryRow("SELECT id FROM organizations WHERE slug = $1", {slug});
  if (row.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(core::Cat("no organization with slug '", slug, "'"));
  }
  RETURN_IF_ERROR(row.status());
  return row->GetInt64("id");
}

absl::StatusOr<int64_t> UserService::CreateBrand(const Actor& actor, int64_t organization_id,
                                                 std::string_view name, std::string_view slug) {
  RETURN_IF_ERROR(CheckName("brand name", name, false));
  RETURN_IF_ERROR(CheckSlug("brand", slug));
  int64_t id = 0;
  absl::Status s = Audited([&](store::Tx& tx, AuditEntry& entry) -> absl::Status {
    ASSIGN_OR_RETURN(store::Rows org, tx.Query("SELECT id FROM organizations WHERE id = $1",
                                               {organization_id}));
    if (org.empty()) {
      return absl::NotFoundError(core::Cat("no organization with id ", organization_id));
    }
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryRow("INSERT INTO brands (organization_id, name, slug, created_at) "
                                 "VALUES ($1, $2, $3, $4) RETURNING id",
                                 {organization_id, name, slug, absl::ToUnixMicros(clock_.Now())}));
    ASSIGN_OR_RETURN(id, row.GetInt64("id"));
    entry = EntryFor(actor, "brand.create");
    entry.organization_id = organization_id;
    entry.record_type = "brand";
    entry.record_id = core::Cat(id);
    entry.details = Details({{"slug", slug}});
    return absl::OkStatus();
  });
  if (s.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        core::Cat("the organization already has a brand with slug '", slug, "'"));
  }
  RETURN_IF_ERROR(s);
  return id;
}

absl::StatusOr<int64_t> UserService::FindBrand(int64_t organization_id, std::string_view slug) {
  absl::StatusOr<store::Row> row = db_.QueryRow(
      "SELECT id FROM brands WHERE organization_id = $1 AND slug = $2", {organization_id, slug});
  if (row.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(core::Cat("no brand with slug '", slug, "'"));
  }
  RETURN_IF_ERROR(row.status());
  return row->GetInt64("id");
}

absl::StatusOr<int64_t> UserService::CreateUser(const Actor& actor, const NewUser& user) {
  ASSIGN_OR_RETURN(std::string email, NormalizeEmail(user.email));
  RETURN_IF_ERROR(CheckName("display name", user.display_name, true));
  std::string hash;
  if (!user.password.empty()) {
    ASSIGN_OR_RETURN(hash, HashPassword(user.password, options_.passwords));
  }
  int64_t id = 0;
  absl::Status s = Audited([&](store::Tx& tx, AuditEntry& entry) -> absl::Status {
    ASSIGN_OR_RETURN(store::Rows org, tx.Query("SELECT id FROM organizations WHERE id = $1",
                                               {user.organization_id}));
    if (org.empty()) {
      return absl::NotFoundError(core::Cat("no organization with id ", user.organization_id));
    }
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryRow("INSERT INTO users (organization_id, email, display_name, "
                                 "password_hash, created_at) VALUES ($1, $2, $3, $4, $5) "
                                 "RETURNING id",
                                 {user.organization_id, email, user.display_name, hash,
                                  absl::ToUnixMicros(clock_.Now())}));
    ASSIGN_OR_RETURN(id, row.GetInt64("id"));
    entry = EntryFor(actor, "user.create");
    entry.organization_id = user.organization_id;
    entry.record_type = "user";
    entry.record_id = core::Cat(id);
    entry.details = Details({{"email", email}, {"password_set", !hash.empty()}});
    return absl::OkStatus();
  });
  if (s.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError("a user with this email already exists");
  }
  RETURN_IF_ERROR(s);
  return id;
}

absl::StatusOr<User> UserService::GetUser(int64_t user_id) {
  absl::StatusOr<store::Row> row =
      db_.QueryRow(core::Cat("SELECT ", kUserColumns, " FROM users WHERE id = $1"), {user_id});
  if (row.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(core::Cat("no user with id ", user_id));
  }
  RETURN_IF_ERROR(row.status());
  return UserFromRow(*row);
}

absl::StatusOr<User> UserService::FindUserByEmail(std::string_view email) {
  absl::StatusOr<std::string> normal = NormalizeEmail(email);
  if (!normal.ok()) return absl::NotFoundError("no user with this email");
  absl::StatusOr<store::Row> row =
      db_.QueryRow(core::Cat("SELECT ", kUserColumns, " FROM users WHERE email = $1"), {*normal});
  if (row.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError("no user with this email");
  }
  RETURN_IF_ERROR(row.status());
  return UserFromRow(*row);
}

absl::StatusOr<std::string> UserService::PasswordHash(int64_t user_id) {
  absl::StatusOr<store::Row> row =
      db_.QueryRow("SELECT password_hash FROM users WHERE id = $1", {user_id});
  if (row.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(core::Cat("no user with id ", user_id));
  }
  RETURN_IF_ERROR(row.status());
  return row->GetText("password_hash");
}

absl::Status UserService::SetPassword(const Actor& actor, int64_t user_id,
                                      std::string_view password) {
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password, options_.passwords));
  return Audited([&](store::Tx& tx, AuditEntry& entry) -> absl::Status {
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryRow("UPDATE users SET password_hash = $1 WHERE id = $2 "
                                 "RETURNING organization_id",
                                 {hash, user_id}));
    entry = EntryFor(actor, "user.set_password");
    ASSIGN_OR_RETURN(entry.organization_id, row.GetInt64("organization_id"));
    entry.record_type = "user";
    entry.record_id = core::Cat(user_id);
    return absl::OkStatus();
  });
}

absl::Status UserService::DisableUser(const Actor& actor, int64_t user_id) {
  return Audited([&](store::Tx& tx, AuditEntry& entry) -> absl::Status {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT organization_id, disabled_at FROM users WHERE id = $1",
                              {user_id}));
    if (rows.empty()) return absl::NotFoundError(core::Cat("no user with id ", user_id));
    ASSIGN_OR_RETURN(bool enabled, rows[0].IsNull("disabled_at"));
    if (!enabled) return absl::OkStatus();
    RETURN_IF_ERROR(tx.Execute("UPDATE users SET disabled_at = $1 WHERE id = $2",
                               {absl::ToUnixMicros(clock_.Now()), user_id})
                        .status());
    RETURN_IF_ERROR(tx.Execute("DELETE FROM sessions WHERE user_id = $1", {user_id}).status());
    entry = EntryFor(actor, "user.disable");
    ASSIGN_OR_RETURN(entry.organization_id, rows[0].GetInt64("organization_id"));
    entry.record_type = "user";
    entry.record_id = core::Cat(user_id);
    return absl::OkStatus();
  });
}

namespace {

nlohmann::json BrandJson(std::optional<int64_t> brand_id) {
  return brand_id.has_value() ? nlohmann::json(*brand_id) : nlohmann::json(nullptr);
}

// The organization of `user_id`; NotFound when there is no such user.
absl::StatusOr<int64_t> UserOrganization(store::Tx& tx, int64_t user_id) {
  ASSIGN_OR_RETURN(store::Rows user,
                   tx.Query("SELECT organization_id FROM users WHERE id = $1", {user_id}));
  if (user.empty()) return absl::NotFoundError(core::Cat("no user with id ", user_id));
  return user[0].GetInt64("organization_id");
}

// Inserts one grant; the audit entry when it was new, nullopt when already held.
absl::StatusOr<std::optional<AuditEntry>> GrantInTx(store::Tx& tx, const Actor& actor,
                                                    int64_t user_id, int64_t org,
                                                    const RoleGrant& grant, int64_t now) {
  int64_t inserted = 0;
  if (grant.brand_id.has_value()) {
    ASSIGN_OR_RETURN(store::Rows brand,
                     tx.Query("SELECT organization_id FROM brands WHERE id = $1",
                              {*grant.brand_id}));
    if (brand.empty()) return absl::NotFoundError(core::Cat("no brand with id ", *grant.brand_id));
    ASSIGN_OR_RETURN(int64_t brand_org, brand[0].GetInt64("organization_id"));
    if (brand_org != org) {
      return absl::InvalidArgumentError(core::Cat(
          "brand ", *grant.brand_id, " belongs to another organization than user ", user_id));
    }
    ASSIGN_OR_RETURN(inserted,
                     tx.Execute("INSERT INTO role_grants (user_id, brand_id, role, granted_at, "
                                "granted_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                                {user_id, *grant.brand_id, RoleName(grant.role), now,
                                 actor.user_id}));
  } else {
    ASSIGN_OR_RETURN(inserted, tx.Execute("INSERT INTO organization_role_grants (user_id, role, "
                                          "granted_at, granted_by) VALUES ($1, $2, $3, $4) "
                                          "ON CONFLICT DO NOTHING",
                                          {user_id, RoleName(grant.role), now, actor.user_id}));
  }
  if (inserted == 0) return std::nullopt;
  AuditEntry entry = EntryFor(actor, "role.grant");
  entry.organization_id = org;
  entry.record_type = "user";
  entry.record_id = core::Cat(user_id);
  entry.details = Details({{"role", RoleName(grant.role)}, {"brand_id", BrandJson(grant.brand_id)}});
  return entry;
}

// Deletes one grant; the audit entry, or NotFound when it was not held.
absl::StatusOr<AuditEntry> RevokeInTx(store::Tx& tx, const Actor& actor, int64_t user_id,
                                      int64_t org, const RoleGrant& grant) {
  int64_t deleted = 0;
  if (grant.brand_id.has_value()) {
    ASSIGN_OR_RETURN(deleted, tx.Execute("DELETE FROM role_grants WHERE user_id = $1 AND "
                                         "brand_id = $2 AND role = $3",
                                         {user_id, *grant.brand_id, RoleName(grant.role)}));
  } else {
    ASSIGN_OR_RETURN(deleted, tx.Execute("DELETE FROM organization_role_grants WHERE "
                                         "user_id = $1 AND role = $2",
                                         {user_id, RoleName(grant.role)}));
  }
  if (deleted == 0) return absl::NotFoundError("the user does not hold that role there");
  AuditEntry entry = EntryFor(actor, "role.revoke");
  entry.organization_id = org;
  entry.record_type = "user";
  entry.record_id = core::Cat(user_id);
  entry.details = Details({{"role", RoleName(grant.role)}, {"brand_id", BrandJson(grant.brand_id)}});
  return entry;
}

absl::StatusOr<Grants> ReadGrants(store::Executor& tx, int64_t user_id) {
  Grants grants;
  ASSIGN_OR_RETURN(store::Rows org, tx.Query("SELECT role FROM organization_role_grants WHERE "
                                             "user_id = $1",
                                             {user_id}));
  for (const store::Row& row : org) {
    ASSIGN_OR_RETURN(std::string name, row.GetText("role"));
    if (std::optional<Role> r = ParseRole(name)) grants.organization.insert(*r);
  }
  ASSIGN_OR_RETURN(store::Rows brand,
                   tx.Query("SELECT brand_id, role FROM role_grants WHERE user_id = $1",
                            {user_id}));
  for (const store::Row& row : brand) {
    ASSIGN_OR_RETURN(int64_t b, row.GetInt64("brand_id"));
    ASSIGN_OR_RETURN(std::string name, row.GetText("role"));
    if (std::optional<Role> r = ParseRole(name)) grants.brand.insert({b, *r});
  }
  return grants;
}

}  // namespace

std::vector<RoleGrant> GrantList(const Grants& grants) {
  std::vector<RoleGrant> out;
  for (Role r : grants.organization) out.push_back({.role = r});
  for (const auto& [brand, r] : grants.brand) out.push_back({.role = r, .brand_id = brand});
  std::sort(out.begin(), out.end());
  return out;
}

absl::Status UserService::GrantRole(const Actor& actor, int64_t user_id, Role role,
                                    std::optional<int64_t> brand_id) {
  return Audited([&](store::Tx& tx, AuditEntry& entry) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t org, UserOrganization(tx, user_id));
    ASSIGN_OR_RETURN(std::optional<AuditEntry> added,
                     GrantInTx(tx, actor, user_id, org, {.role = role, .brand_id = brand_id},
                               absl::ToUnixMicros(clock_.Now())));
    if (added.has_value()) entry = std::move(*added);
    return absl::OkStatus();
  });
}

absl::Status UserService::RevokeRole(const Actor& actor, int64_t user_id, Role role,
                                     std::optional<int64_t> brand_id) {
  return Audited([&](store::Tx& tx, AuditEntry& entry) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t org, UserOrganization(tx, user_id));
    ASSIGN_OR_RETURN(entry, RevokeInTx(tx, actor, user_id, org, {.role = role, .brand_id = brand_id}));
    return absl::OkStatus();
  });
}

absl::Status UserService::ReplaceGrants(const Actor& actor, int64_t user_id,
                                        const std::vector<RoleGrant>& wanted) {
  const std::set<RoleGrant> want(wanted.begin(), wanted.end());
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t org, UserOrganization(tx, user_id));
    ASSIGN_OR_RETURN(Grants current, ReadGrants(tx, user_id));
    const std::vector<RoleGrant> held = GrantList(current);
    for (const RoleGrant& g : held) {
      if (want.count(g) != 0) continue;
      ASSIGN_OR_RETURN(AuditEntry e, RevokeInTx(tx, actor, user_id, org, g));
      RETURN_IF_ERROR(audit_.AppendInTx(tx, e).status());
    }
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    for (const RoleGrant& g : want) {
      ASSIGN_OR_RETURN(std::optional<AuditEntry> e, GrantInTx(tx, actor, user_id, org, g, now));
      if (e.has_value()) RETURN_IF_ERROR(audit_.AppendInTx(tx, *e).status());
    }
    return absl::OkStatus();
  }));
  return audit_.FlushCheckpoints();
}

absl::Status UserService::EnableUser(const Actor& actor, int64_t user_id) {
  return Audited([&](store::Tx& tx, AuditEntry& entry) -> absl::Status {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT organization_id, disabled_at FROM users WHERE id = $1",
                              {user_id}));
    if (rows.empty()) return absl::NotFoundError(core::Cat("no user with id ", user_id));
    ASSIGN_OR_RETURN(bool enabled, rows[0].IsNull("disabled_at"));
    if (enabled) return absl::OkStatus();
    RETURN_IF_ERROR(
        tx.Execute("UPDATE users SET disabled_at = NULL WHERE id = $1", {user_id}).status());
    entry = EntryFor(actor, "user.enable");
    ASSIGN_OR_RETURN(entry.organization_id, rows[0].GetInt64("organization_id"));
    entry.record_type = "user";
    entry.record_id = core::Cat(user_id);
    return absl::OkStatus();
  });
}

absl::Status UserService::SetDisplayName(const Actor& actor, int64_t user_id,
                                         std::string_view display_name) {
  RETURN_IF_ERROR(CheckName("display name", display_name, false));
  return Audited([&](store::Tx& tx, AuditEntry& entry) -> absl::Status {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("UPDATE users SET display_name = $1 WHERE id = $2 "
                              "RETURNING organization_id",
                              {display_name, user_id}));
    if (rows.empty()) return absl::NotFoundError(core::Cat("no user with id ", user_id));
    entry = EntryFor(actor, "user.rename");
    ASSIGN_OR_RETURN(entry.organization_id, rows[0].GetInt64("organization_id"));
    entry.record_type = "user";
    entry.record_id = core::Cat(user_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<Organization> UserService::GetOrganization(int64_t organization_id) {
  ASSIGN_OR_RETURN(store::Rows org, db_.Query("SELECT id, name, slug FROM organizations "
                                              "WHERE id = $1",
                                              {organization_id}));
  if (org.empty()) {
    return absl::NotFoundError(core::Cat("no organization with id ", organization_id));
  }
  Organization out;
  ASSIGN_OR_RETURN(out.id, org[0].GetInt64("id"));
  ASSIGN_OR_RETURN(out.name, org[0].GetText("name"));
  ASSIGN_OR_RETURN(out.slug, org[0].GetText("slug"));
  ASSIGN_OR_RETURN(store::Rows brands, db_.Query("SELECT id, name, slug FROM brands WHERE "
                                                 "organization_id = $1 ORDER BY id",
                                                 {organization_id}));
  for (const store::Row& row : brands) {
    Brand b;
    ASSIGN_OR_RETURN(b.id, row.GetInt64("id"));
    ASSIGN_OR_RETURN(b.name, row.GetText("name"));
    ASSIGN_OR_RETURN(b.slug, row.GetText("slug"));
    out.brands.push_back(std::move(b));
  }
  return out;
}

absl::StatusOr<std::vector<User>> UserService::ListUsers(int64_t organization_id,
                                                         int64_t after_id, int64_t limit) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db_.Query(core::Cat("SELECT ", kUserColumns,
                                       " FROM users WHERE organization_id = $1 AND id > $2 "
                                       "ORDER BY id LIMIT $3"),
                             {organization_id, after_id, limit}));
  std::vector<User> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(User u, UserFromRow(row));
    out.push_back(std::move(u));
  }
  return out;
}

absl::StatusOr<Grants> UserService::GetGrants(int64_t user_id) {
  return ReadGrants(db_, user_id);
}

}  // namespace carepost::domain
