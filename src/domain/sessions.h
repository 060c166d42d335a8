// File: domain/sessions.h
//
// Signing in and staying signed in. SignIn() checks an email and password (argon2id,
// with the same work whether or not the account exists), throttles guessing per
// account and per client address, and opens a session: a random 256-bit token for the
// cookie, of which only the SHA-256 is stored, with an absolute and an idle expiry.
// Each session has a CSRF token, an HMAC of the session's token hash under the CSRF
// key, compared in constant time. Every sign-in (success and failure), sign-out and
// revocation writes an audit event.
//
//   SessionService sessions(db, clock, audit, users, key.Derive(KeyPurpose::kCsrf), {});
//   ASSIGN_OR_RETURN(NewSession s, sessions.SignIn(email, password, client_ip, user_agent));
//   // Set-Cookie: s.token; send s.csrf_token to the page.
//   ASSIGN_OR_RETURN(Session who, sessions.Authenticate(cookie, client_ip));
//   if (!sessions.CheckCsrf(cookie, header)) return PermissionDenied;
//
// Failures are deliberately vague: every wrong email, wrong password, disabled
// account or SSO-only account gets Unauthenticated "email or password is incorrect";
// throttling gets ResourceExhausted. Messages never hold the email or password.
//
// Thread safety: safe for concurrent use from many threads. Throttling counters are
// kept in memory, per process (several nodes each throttle on their own).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/secrets.h"
#include "domain/users.h"
#include "store/database.h"

namespace carepost::domain {

struct SessionOptions {
  // A session ends this long after sign-in, however active.
  absl::Duration absolute_ttl = absl::Hours(12);
  // A session ends after this long without a request.
  absl::Duration idle_ttl = absl::Minutes(30);
  // last_seen_at is written at most this often per session (saves a write per request;
  // the idle expiry is then up to this much late).
  absl::Duration touch_interval = absl::Minutes(1);
  // Failed sign-ins allowed per account within `throttle_window` before further
  // attempts on that account are refused until old failures age out.
  int max_failures_per_account = 5;
  // Failed sign-ins allowed per client address within `throttle_window`.
  int max_failures_per_address = 20;
  absl::Duration throttle_window = absl::Minutes(15);
  // Most accounts (and, separately, addresses) with recent failures kept in memory.
  // Past it, failures older than the window are swept; if that is not enough, the
  // oldest-keyed entries are dropped (bounded memory under a spray of made-up emails
  // or addresses, at the cost of forgetting some counts).
  size_t max_tracked = 100000;
};

// What SignIn() hands back. `token` goes in the cookie and is never stored.
struct NewSession {
  std::string token;       // 43 characters of URL-safe base64 (256 bits)
  std::string csrf_token;  // hex HMAC; send with every state-changing request
  int64_t user_id = 0;
  absl::Time expires_at;   // absolute expiry
};

// A valid session, as Authenticate() finds it.
struct Session {
  int64_t user_id = 0;
  int64_t organization_id = 0;
  std::string email;
  absl::Time created_at;
  absl::Time last_seen_at;
  absl::Time expires_at;
};

class SessionService {
 public:
  // Everything passed in must outlive the service. `csrf_key` is
  // SecretKey::Derive(KeyPurpose::kCsrf).
  SessionService(store::Database& db, core::Clock& clock, AuditLog& audit, UserService& users,
                 SecretKey csrf_key, SessionOptions options);

  // Checks the credentials and opens a session.
  // Errors: Unauthenticated "email or password is incorrect"; ResourceExhausted when
  // too many recent failures for the account or the address.
  [[nodiscard]] absl::StatusOr<NewSession> SignIn(std::string_view email,
                                                  std::string_view password,
                                                  std::string_view from_address,
                                                  std::string_view user_agent);

  // The session `token` opens; Unauthenticated when it is unknown, expired (absolute or
  // idle; the session is then deleted) or its user is disabled. Records activity.
  [[nodiscard]] absl::StatusOr<Session> Authenticate(std::string_view token);

  // The CSRF token of the session `token` (whether or not the session is valid).
  std::string CsrfToken(std::string_view token) const;
  // True when `csrf_token` belongs to the session `token` (constant-time comparison).
  bool CheckCsrf(std::string_view token, std::string_view csrf_token) const;

  // Ends the session `token`. Unknown tokens are ignored (OK).
  [[nodiscard]] absl::Status SignOut(std::string_view token, std::string_view from_address);
  // Ends every session of `user_id` (e.g. after a password change); returns how many.
  [[nodiscard]] absl::StatusOr<int64_t> RevokeAll(const Actor& actor, int64_t user_id);
  // Deletes sessions past their absolute or idle expiry; returns how many.
  [[nodiscard]] absl::StatusOr<int64_t> DeleteExpired();

 private:
  // Forgets failures older than the window; true when `key` may try again.
  bool UnderLimit(std::map<std::string, std::deque<absl::Time>>& failures,
                  const std::string& key, int limit, absl::Time now);
  void RecordFailure(const std::string& account, const std::string& address, absl::Time now);
  // Keeps `failures` within options_.max_tracked entries. REQUIRES: mu_ held.
  void Bound(std::map<std::string, std::deque<absl::Time>>& failures, absl::Time now);
  absl::Status AuditSignIn(std::string_view action, const std::optional<User>& user,
                           std::string_view from_address, std::string_view reason);

  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
  UserService& users_;
  const SecretKey csrf_key_;
  const SessionOptions options_;
  // A hash of a random password, verified when the account does not exist, so an
  // unknown email costs the same time as a wrong password.
  const std::string dummy_hash_;

  std::mutex mu_;
  std::map<std::string, std::deque<absl::Time>> account_failures_;  // guarded by mu_
  std::map<std::string, std::deque<absl::Time>> address_failures_;  // guarded by mu_
};

}  // namespace carepost::domain
