// File: domain/platform_accounts.h
//
// The platform accounts a brand publishes to (table platform_accounts): which platform,
// the account's handle, the platform's API root (so tests point an account at
// platformsim) and its credentials — access and refresh tokens or an app password —
// sealed at rest with the server's secrets key (SecretBox, secrets.h). Credentials are
// written once per connection and read back only by the dispatcher; no listing, error
// or audit event ever carries them.
//
//   PlatformAccountService accounts(db, clock, audit, box);
//   ASSIGN_OR_RETURN(int64_t id, accounts.Connect(caller, {
//       .brand_id = 3, .platform = "mastodon", .handle = "@heart@example.social",
//       .base_url = "https://example.social",
//       .credentials = {.access_token = token}}));
//   RETURN_IF_ERROR(accounts.Pause(caller, id, "tragedy in the community"));
//
// An account is active, paused (with a reason: the team's choice, or the dispatcher's
// when the platform refuses the token) or revoked. Only active accounts are published
// to; the jobs of a paused account wait, they are not failed one by one.
//
// Authorization: connecting, pausing, resuming and revoking need secrets.manage
// (organization-wide: "connect platform accounts and store their tokens"); listing
// needs posts.read for the brand. Every change is audited in its transaction
// (platform_account.connect, .pause, .resume, .revoke; details: brand, platform, status,
// never credentials). The dispatcher's own pause (an auth failure) is audited with the
// actor "dispatcher".
//
// Thread safety: safe for concurrent use from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/caller.h"
#include "domain/secrets.h"
#include "store/database.h"

namespace carepost::domain {

enum class AccountStatus { kActive, kPaused, kRevoked };
std::string_view AccountStatusName(AccountStatus status);  // "active", "paused", "revoked"
std::optional<AccountStatus> ParseAccountStatus(std::string_view name);

// What a connector needs to act for the account; which fields are used depends on the
// platform (Mastodon: access_token; Bluesky: app_password; X: access_token,
// refresh_token, client_id).
struct AccountCredentials {
  std::string access_token;
  std::string refresh_token;
  std::string app_password;
  std::string client_id;
};

// An account as listed: everything but its credentials.
struct PlatformAccount {
  int64_t id = 0;
  int64_t organization_id = 0;
  int64_t brand_id = 0;
  std::string platform;  // a plan::PlatformName()
  std::string handle;
  std::string base_url;
  std::optional<absl::Time> token_expires_at;
  AccountStatus status = AccountStatus::kActive;
  std::string status_reason;  // why it is paused or revoked ('' when active)
  absl::Time created_at;
};

struct NewPlatformAccount {
  int64_t brand_id = 0;
  std::string platform;  // one of the ten platforms
  std::string handle;    // 1 to 200 bytes
  std::string base_url;  // http:// or https://, no trailing slash
  AccountCredentials credentials;
  std::optional<absl::Time> token_expires_at;
};

class PlatformAccountService {
 public:
  // Everything passed in must outlive the service. `box` seals with the secrets key.
  PlatformAccountService(store::Database& db, core::Clock& clock, AuditLog& audit,
                         const SecretBox& box);

  // Connects an account to a brand of the caller's organization (secrets.manage).
  // InvalidArgument naming the field for a bad platform, handle or base_url.
  [[nodiscard]] absl::StatusOr<int64_t> Connect(const Caller& caller,
                                                const NewPlatformAccount& account);
  // Pauses an active account (secrets.manage) with a reason (1 to 500 bytes) shown to
  // the team. Its jobs wait.
  [[nodiscard]] absl::Status Pause(const Caller& caller, int64_t id, std::string_view reason);
  // Makes a paused account active again (secrets.manage); its jobs become due at once
  // when their time has passed. FailedPrecondition for a revoked account.
  [[nodiscard]] absl::Status Resume(const Caller& caller, int64_t id);
  // The brand's accounts (posts.read for the brand), by id.
  [[nodiscard]] absl::StatusOr<std::vector<PlatformAccount>> List(const Caller& caller,
                                                                  int64_t brand_id);

 private:
  absl::Status SetStatus(const Caller& caller, int64_t id, AccountStatus to,
                         std::string_view reason, std::string_view action);

  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
  const SecretBox& box_;
};

// For the dispatcher, which acts for the system rather than a person.
// The account (NotFound naming the id).
[[nodiscard]] absl::StatusOr<PlatformAccount> ReadPlatformAccount(store::Executor& db, int64_t id);
// Its credentials, opened with `box` (DataLoss when they cannot be; the message names
// the account, never a byte of the secret).
[[nodiscard]] absl::StatusOr<AccountCredentials> ReadAccountCredentials(store::Executor& db,
                                                                        const SecretBox& box,
                                                                        int64_t id);
// Replaces the account's credentials and token expiry (a platform renewed them: X's
// refresh token changes with every refresh), audited as platform_account.refresh by
// the actor "dispatcher" (details: brand, platform; never the tokens).
[[nodiscard]] absl::Status SaveAccountCredentials(store::Database& db, const SecretBox& box,
                                                  AuditLog& audit, int64_t id,
                                                  const AccountCredentials& credentials,
                                                  std::optional<absl::Time> expires_at,
                                                  absl::Time now);
// Pauses an active account with `reason`, audited as the actor "dispatcher". A no-op
// for an account that is not active.
[[nodiscard]] absl::Status PauseAccountInTx(store::Tx& tx, AuditLog& audit, int64_t id,
                                            std::string_view reason, absl::Time now);

}  // namespace carepost::domain
