#include "domain/platform_accounts.h"

#include <array>
#include <nlohmann/json.hpp>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/posts.h"

namespace carepost::domain {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 3> kStatusNames = {"active", "paused", "revoked"};

constexpr char kColumns[] =
    "id, organization_id, brand_id, platform, handle, base_url, token_expires_at, status, "
    "status_reason, created_at";

absl::StatusOr<PlatformAccount> FromRow(const store::Row& row) {
  PlatformAccount a;
  ASSIGN_OR_RETURN(a.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(a.organization_id, row.GetInt64("organization_id"));
  ASSIGN_OR_RETURN(a.brand_id, row.GetInt64("brand_id"));
  ASSIGN_OR_RETURN(a.platform, row.GetText("platform"));
  ASSIGN_OR_RETURN(a.handle, row.GetText("handle"));
  ASSIGN_OR_RETURN(a.base_url, row.GetText("base_url"));
  ASSIGN_OR_RETURN(bool no_expiry, row.IsNull("token_expires_at"));
  if (!no_expiry) {
    ASSIGN_OR_RETURN(int64_t expires, row.GetInt64("token_expires_at"));
    a.token_expires_at = absl::FromUnixMicros(expires);
  }
  ASSIGN_OR_RETURN(std::string status, row.GetText("status"));
  std::optional<AccountStatus> parsed = ParseAccountStatus(status);
  if (!parsed) {
    return absl::DataLossError(
        core::Cat("platform account ", a.id, " has an unknown status '", status, "'"));
  }
  a.status = *parsed;
  ASSIGN_OR_RETURN(a.status_reason, row.GetText("status_reason"));
  ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
  a.created_at = absl::FromUnixMicros(created);
  return a;
}

absl::Status CheckNewAccount(const NewPlatformAccount& a) {
  if (!IsPostPlatform(a.platform)) {
    return absl::InvalidArgumentError(
        core::Cat("platform: '", a.platform, "' is not one of the ten platforms"));
  }
  if (a.handle.empty() || a.handle.size() > 200) {
    return absl::InvalidArgumentError("handle: give the account's handle (1 to 200 bytes)");
  }
  const bool http = a.base_url.rfind("http://", 0) == 0 || a.base_url.rfind("https://", 0) == 0;
  if (!http || a.base_url.size() > 500 || a.base_url.back() == '/') {
    return absl::InvalidArgumentError(
        "base_url: give the platform's http(s) address without a trailing slash");
  }
  return absl::OkStatus();
}

AuditEntry AccountEntry(const Actor& actor, int64_t organization_id, std::string_view action,
                        const PlatformAccount& a, AccountStatus to) {
  json details = {{"brand_id", a.brand_id},
                  {"platform", a.platform},
                  {"from", AccountStatusName(a.status)},
                  {"to", AccountStatusName(to)}};
  return AuditEntry{.organization_id = organization_id,
                    .actor_user_id = actor.user_id,
                    .actor = actor.name,
                    .action = std::string(action),
                    .record_type = "platform_account",
                    .record_id = std::to_string(a.id),
                    .from_address = actor.from_address,
                    .details = details.dump()};
}

std::string SealCredentials(const SecretBox& box, const AccountCredentials& c) {
  const json creds = {{"access_token", c.access_token},
                      {"refresh_token", c.refresh_token},
                      {"app_password", c.app_password},
                      {"client_id", c.client_id}};
  return box.Seal(creds.dump());
}

absl::Status CheckManage(const Caller& caller) {
  if (!Allowed(caller.grants, "secrets.manage")) {
    return absl::PermissionDeniedError(
        "your roles do not allow connecting or changing platform accounts (secrets.manage)");
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view AccountStatusName(AccountStatus status) {
  return kStatusNames[static_cast<size_t>(status)];
}

std::optional<AccountStatus> ParseAccountStatus(std::string_view name) {
  for (size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return static_cast<AccountStatus>(i);
  }
  return std::nullopt;
}

PlatformAccountService::PlatformAccountService(store::Database& db, core::Clock& clock,
                                               AuditLog& audit, const SecretBox& box)
    : db_(db), clock_(clock), audit_(audit), box_(box) {}

absl::StatusOr<int64_t> PlatformAccountService::Connect(const Caller& caller,
                                                        const NewPlatformAccount& account) {
  RETURN_IF_ERROR(CheckManage(caller));
  RETURN_IF_ERROR(CheckNewAccount(account));
  const std::string sealed = SealCredentials(box_, account.credentials);
  int64_t id = 0;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    absl::StatusOr<store::Row> brand =
        tx.QueryRow("SELECT id FROM brands WHERE id = $1 AND organization_id = $2",
                    {account.brand_id, caller.organization_id});
    if (absl::IsNotFound(brand.status())) {
      return absl::NotFoundError(core::Cat("brand ", account.brand_id, " not found"));
    }
    RETURN_IF_ERROR(brand.status());
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    std::optional<int64_t> expires;
    if (account.token_expires_at) expires = absl::ToUnixMicros(*account.token_expires_at);
    ASSIGN_OR_RETURN(
        store::Row row,
        tx.QueryRow("INSERT INTO platform_accounts (organization_id, brand_id, platform, handle, "
                    "base_url, credentials, token_expires_at, status, status_reason, created_at, "
                    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', '', $8, $8) "
                    "RETURNING id",
                    {caller.organization_id, account.brand_id, account.platform, account.handle,
                     account.base_url, store::Blob{sealed}, expires, now}));
    ASSIGN_OR_RETURN(id, row.GetInt64("id"));
    PlatformAccount a{.id = id, .brand_id = account.brand_id, .platform = account.platform};
    return audit_
        .AppendInTx(tx, AccountEntry(caller.actor, caller.organization_id,
                                     "platform_account.connect", a, AccountStatus::kActive))
        .status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return id;
}

absl::Status PlatformAccountService::SetStatus(const Caller& caller, int64_t id, AccountStatus to,
                                               std::string_view reason, std::string_view action) {
  RETURN_IF_ERROR(CheckManage(caller));
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(PlatformAccount a, ReadPlatformAccount(tx, id));
    if (a.organization_id != caller.organization_id) {
      return absl::NotFoundError(core::Cat("platform account ", id, " not found"));
    }
    if (a.status == AccountStatus::kRevoked) {
      return absl::FailedPreconditionError(
          core::Cat("platform account ", id, " is revoked: connect it again"));
    }
    if (a.status == to) return absl::OkStatus();
    RETURN_IF_ERROR(
        tx.Execute("UPDATE platform_accounts SET status = $1, status_reason = $2, "
                   "updated_at = $3 WHERE id = $4",
                   {AccountStatusName(to), reason, absl::ToUnixMicros(clock_.Now()), id})
            .status());
    return audit_.AppendInTx(tx, AccountEntry(caller.actor, caller.organization_id, action, a, to))
        .status();
  }));
  return audit_.FlushCheckpoints();
}

absl::Status PlatformAccountService::Pause(const Caller& caller, int64_t id,
                                           std::string_view reason) {
  if (reason.empty() || reason.size() > 500) {
    return absl::InvalidArgumentError("reason: say why the account is paused (1 to 500 bytes)");
  }
  return SetStatus(caller, id, AccountStatus::kPaused, reason, "platform_account.pause");
}

absl::Status PlatformAccountService::Resume(const Caller& caller, int64_t id) {
  return SetStatus(caller, id, AccountStatus::kActive, "", "platform_account.resume");
}

absl::StatusOr<std::vector<PlatformAccount>> PlatformAccountService::List(const Caller& caller,
                                                                          int64_t brand_id) {
  if (!caller.Can("posts.read", brand_id)) {
    return absl::NotFoundError(core::Cat("brand ", brand_id, " not found"));
  }
  ASSIGN_OR_RETURN(store::Rows rows,
                   db_.Query(core::Cat("SELECT ", kColumns,
                                       " FROM platform_accounts WHERE brand_id = $1 AND "
                                       "organization_id = $2 ORDER BY id"),
                             {brand_id, caller.organization_id}));
  std::vector<PlatformAccount> out;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(PlatformAccount a, FromRow(row));
    out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<PlatformAccount> ReadPlatformAccount(store::Executor& db, int64_t id) {
  absl::StatusOr<store::Row> row =
      db.QueryRow(core::Cat("SELECT ", kColumns, " FROM platform_accounts WHERE id = $1"), {id});
  if (absl::IsNotFound(row.status())) {
    return absl::NotFoundError(core::Cat("platform account ", id, " not found"));
  }
  RETURN_IF_ERROR(row.status());
  return FromRow(*row);
}

absl::StatusOr<AccountCredentials> ReadAccountCredentials(store::Executor& db, const SecretBox& box,
                                                          int64_t id) {
  absl::StatusOr<store::Row> row =
      db.QueryRow("SELECT credentials FROM platform_accounts WHERE id = $1", {id});
  if (absl::IsNotFound(row.status())) {
    return absl::NotFoundError(core::Cat("platform account ", id, " not found"));
  }
  RETURN_IF_ERROR(row.status());
  ASSIGN_OR_RETURN(std::string sealed, row->GetBlob("credentials"));
  absl::StatusOr<std::string> opened = box.Open(sealed);
  if (!opened.ok()) {
    return absl::DataLossError(core::Cat("the credentials of platform account ", id,
                                         " cannot be opened with this server key"));
  }
  json j = json::parse(*opened, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return absl::DataLossError(
        core::Cat("the credentials of platform account ", id, " are not a JSON object"));
  }
  auto field = [&j](const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return AccountCredentials{.access_token = field("access_token"),
                            .refresh_token = field("refresh_token"),
                            .app_password = field("app_password"),
                            .client_id = field("client_id")};
}

absl::Status SaveAccountCredentials(store::Database& db, const SecretBox& box, AuditLog& audit,
                                    int64_t id, const AccountCredentials& credentials,
                                    std::optional<absl::Time> expires_at, absl::Time now) {
  const std::string sealed = SealCredentials(box, credentials);
  std::optional<int64_t> expires;
  if (expires_at) expires = absl::ToUnixMicros(*expires_at);
  RETURN_IF_ERROR(db.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(PlatformAccount a, ReadPlatformAccount(tx, id));
    RETURN_IF_ERROR(tx.Execute("UPDATE platform_accounts SET credentials = $1, "
                               "token_expires_at = $2, updated_at = $3 WHERE id = $4",
                               {store::Blob{sealed}, expires, absl::ToUnixMicros(now), id})
                        .status());
    const Actor dispatcher{.name = "dispatcher", .from_address = ""};
    return audit
        .AppendInTx(tx, AccountEntry(dispatcher, a.organization_id, "platform_account.refresh", a,
                                     a.status))
        .status();
  }));
  return audit.FlushCheckpoints();
}

absl::Status PauseAccountInTx(store::Tx& tx, AuditLog& audit, int64_t id, std::string_view reason,
                              absl::Time now) {
  ASSIGN_OR_RETURN(PlatformAccount a, ReadPlatformAccount(tx, id));
  if (a.status != AccountStatus::kActive) return absl::OkStatus();
  RETURN_IF_ERROR(tx.Execute("UPDATE platform_accounts SET status = 'paused', status_reason = $1, "
                             "updated_at = $2 WHERE id = $3",
                             {reason, absl::ToUnixMicros(now), id})
                      .status());
  const Actor dispatcher{.name = "dispatcher", .from_address = ""};
  return audit
      .AppendInTx(tx, AccountEntry(dispatcher, a.organization_id, "platform_account.pause", a,
                                   AccountStatus::kPaused))
      .status();
}

}  // namespace carepost::domain
