#include "domain/sessions.h"

#include <nlohmann/json.hpp>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/internal/crypto.h"

namespace carepost::domain {

namespace {

constexpr char kBadCredentials[] = "email or password is incorrect";

std::string DummyHash(const PasswordOptions& options) {
  PasswordOptions o = options;
  o.min_length = 0;
  absl::StatusOr<std::string> h = HashPassword(internal::ToHex(internal::RandomBytes(16)), o);
  return h.ok() ? *h : std::string();
}

// Printable ASCII only (anything else becomes '?'), at most `max` bytes: client-supplied
// header text must not make a database write fail (text must be UTF-8 without NUL).
std::string Printable(std::string_view s, size_t max) {
  std::string out(s.substr(0, max));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return out;
}

// The stored form of a token; InvalidArgument when it is not one of ours.
absl::StatusOr<std::string> TokenHash(std::string_view token) {
  absl::StatusOr<std::string> raw = internal::FromBase64Url(token);
  if (!raw.ok() || raw->size() != 32) return absl::UnauthenticatedError("not signed in");
  return internal::Sha256(*raw);
}

}  // namespace

SessionService::SessionService(store::Database& db, core::Clock& clock, AuditLog& audit,
                               UserService& users, SecretKey csrf_key, SessionOptions options)
    : db_(db),
      clock_(clock),
      audit_(audit),
      users_(users),
      csrf_key_(std::move(csrf_key)),
      options_(std::move(options)),
      dummy_hash_(DummyHash(users.password_options())) {}

bool SessionService::UnderLimit(std::map<std::string, std::deque<absl::Time>>& failures,
                                const std::string& key, int limit, absl::Time now) {
  auto it = failures.find(key);
  if (it == failures.end()) return true;
  std::deque<absl::Time>& times = it->second;
  while (!times.empty() && times.front() <= now - options_.throttle_window) times.pop_front();
  if (times.empty()) {
    failures.erase(it);
    return true;
  }
  return static_cast<int>(times.size()) < limit;
}

void SessionService::Bound(std::map<std::string, std::deque<absl::Time>>& failures,
                           absl::Time now) {
  if (failures.size() <= options_.max_tracked) return;
  for (auto it = failures.begin(); it != failures.end();) {
    if (it->second.empty() || it->second.back() <= now - options_.throttle_window) {
      it = failures.erase(it);
    } else {
      ++it;
    }
  }
  while (failures.size() > options_.max_tracked) failures.erase(failures.begin());
}

void SessionService::RecordFailure(const std::string& account, const std::string& address,
                                   absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  account_failures_[account].push_back(now);
  address_failures_[address].push_back(now);
  Bound(account_failures_, now);
  Bound(address_failures_, now);
}

absl::Status SessionService::AuditSignIn(std::string_view action, const std::optional<User>& user,
                                         std::string_view from_address,
                                         std::string_view reason) {
  AuditEntry entry;
  entry.action = std::string(action);
  entry.from_address = Printable(from_address, 128);
  if (user.has_value()) {
    entry.organization_id = user->organization_id;
    entry.actor_user_id = user->id;
    entry.actor = user->email;
    entry.record_type = "user";
    entry.record_id = core::Cat(user->id);
  } else {
    // The typed email may be anything (even a patient's name): never record it.
    entry.actor = "(unknown account)";
  }
  if (!reason.empty()) entry.details = nlohmann::json({{"reason", reason}}).dump();
  return audit_.Append(entry).status();
}

absl::StatusOr<NewSession> SessionService::SignIn(std::string_view email,
                                                  std::string_view password,
                                                  std::string_view from_address,
                                                  std::string_view user_agent) {
  const absl::Time now = clock_.Now();
  const absl::StatusOr<std::string> normal = NormalizeEmail(email);
  // Throttle by the normalised email even when no such account exists, so probing
  // unknown accounts is throttled the same way.
  const std::string account_key = normal.ok() ? *normal : std::string(email);
  const std::string address_key(from_address);

  std::optional<User> user;
  absl::StatusOr<User> found = users_.FindUserByEmail(email);
  if (found.ok()) {
    user = *found;
  } else if (found.status().code() != absl::StatusCode::kNotFound) {
    return found.status();
  }

  bool allowed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    allowed = UnderLimit(account_failures_, account_key, options_.max_failures_per_account, now) &&
              UnderLimit(address_failures_, address_key, options_.max_failures_per_address, now);
  }
  if (!allowed) {
    RETURN_IF_ERROR(AuditSignIn("session.sign_in_throttled", user, from_address, "throttled"));
    return absl::ResourceExhaustedError(
        "too many failed sign-in attempts; wait a few minutes and try again");
  }

  std::string hash;
  if (user.has_value()) {
    ASSIGN_OR_RETURN(hash, users_.PasswordHash(user->id));
  }
  // Always run one argon2id verification, against the dummy hash when there is no
  // usable one, so timing does not tell whether the account exists.
  const bool password_ok = VerifyPassword(password, hash.empty() ? dummy_hash_ : hash);
  std::string reason;
  if (!user.has_value()) {
    reason = "unknown_account";
  } else if (hash.empty()) {
    reason = "no_password";
  } else if (!password_ok) {
    reason = "wrong_password";
  } else if (user->disabled_at.has_value()) {
    reason = "disabled";
  }
  if (!reason.empty()) {
    RecordFailure(account_key, address_key, now);
    RETURN_IF_ERROR(AuditSignIn("session.sign_in_failed", user, from_address, reason));
    return absl::UnauthenticatedError(kBadCredentials);
  }

  const std::string raw = internal::RandomBytes(32);
  NewSession out;
  out.token = internal::ToBase64Url(raw);
  out.user_id = user->id;
  out.expires_at = now + options_.absolute_ttl;
  const std::string token_hash = internal::Sha256(raw);
  out.csrf_token = internal::ToHex(internal::HmacSha256(csrf_key_.data(), token_hash));
  const int64_t now_micros = absl::ToUnixMicros(now);
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO sessions (token_hash, user_id, created_at, "
                               "last_seen_at, expires_at, from_address, user_agent) VALUES "
                               "($1, $2, $3, $3, $4, $5, $6)",
                               {store::Blob{token_hash}, user->id, now_micros,
                                absl::ToUnixMicros(out.expires_at), Printable(from_address, 128),
                                Printable(user_agent, 512)})
                        .status());
    AuditEntry entry;
    entry.action = "session.sign_in";
    entry.organization_id = user->organization_id;
    entry.actor_user_id = user->id;
    entry.actor = user->email;
    entry.record_type = "user";
    entry.record_id = core::Cat(user->id);
    entry.from_address = Printable(from_address, 128);
    return audit_.AppendInTx(tx, entry).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  {
    std::lock_guard<std::mutex> lock(mu_);
    account_failures_.erase(account_key);
  }
  return out;
}

absl::StatusOr<Session> SessionService::Authenticate(std::string_view token) {
  ASSIGN_OR_RETURN(std::string token_hash, TokenHash(token));
  absl::StatusOr<store::Row> row = db_.QueryRow(
      "SELECT s.user_id, s.created_at, s.last_seen_at, s.expires_at, u.organization_id, "
      "u.email, u.disabled_at FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.token_hash = $1",
      {store::Blob{token_hash}});
  if (row.status().code() == absl::StatusCode::kNotFound) {
    return absl::UnauthenticatedError("not signed in");
  }
  RETURN_IF_ERROR(row.status());
  Session s;
  ASSIGN_OR_RETURN(s.user_id, row->GetInt64("user_id"));
  ASSIGN_OR_RETURN(s.organization_id, row->GetInt64("organization_id"));
  ASSIGN_OR_RETURN(s.email, row->GetText("email"));
  ASSIGN_OR_RETURN(int64_t created, row->GetInt64("created_at"));
  ASSIGN_OR_RETURN(int64_t seen, row->GetInt64("last_seen_at"));
  ASSIGN_OR_RETURN(int64_t expires, row->GetInt64("expires_at"));
  ASSIGN_OR_RETURN(bool enabled, row->IsNull("disabled_at"));
  s.created_at = absl::FromUnixMicros(created);
  s.last_seen_at = absl::FromUnixMicros(seen);
  s.expires_at = absl::FromUnixMicros(expires);
  const absl::Time now = clock_.Now();
  if (!enabled || now >= s.expires_at || now >= s.last_seen_at + options_.idle_ttl) {
    RETURN_IF_ERROR(
        db_.Execute("DELETE FROM sessions WHERE token_hash = $1", {store::Blob{token_hash}})
            .status());
    return absl::UnauthenticatedError("the session has expired; sign in again");
  }
  if (now - s.last_seen_at >= options_.touch_interval) {
    RETURN_IF_ERROR(db_.Execute("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2",
                                {absl::ToUnixMicros(now), store::Blob{token_hash}})
                        .status());
    s.last_seen_at = now;
  }
  return s;
}

std::string SessionService::CsrfToken(std::string_view token) const {
  absl::StatusOr<std::string> token_hash = TokenHash(token);
  // An invalid token still gets a token (of its text), which no session will accept.
  const std::string input = token_hash.ok() ? *token_hash : internal::Sha256(token);
  return internal::ToHex(internal::HmacSha256(csrf_key_.data(), input));
}

bool SessionService::CheckCsrf(std::string_view token, std::string_view csrf_token) const {
  if (!TokenHash(token).ok()) return false;
  return internal::ConstantTimeEquals(CsrfToken(token), csrf_token);
}

absl::Status SessionService::SignOut(std::string_view token, std::string_view from_address) {
  absl::StatusOr<std::string> token_hash = TokenHash(token);
  if (!token_hash.ok()) return absl::OkStatus();
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT s.user_id, u.organization_id, u.email FROM sessions s "
                              "JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
                              {store::Blob{*token_hash}}));
    if (rows.empty()) return absl::OkStatus();
    RETURN_IF_ERROR(
        tx.Execute("DELETE FROM sessions WHERE token_hash = $1", {store::Blob{*token_hash}})
            .status());
    AuditEntry entry;
    entry.action = "session.sign_out";
    ASSIGN_OR_RETURN(int64_t user_id, rows[0].GetInt64("user_id"));
    entry.actor_user_id = user_id;
    ASSIGN_OR_RETURN(entry.organization_id, rows[0].GetInt64("organization_id"));
    ASSIGN_OR_RETURN(entry.actor, rows[0].GetText("email"));
    entry.record_type = "user";
    entry.record_id = core::Cat(user_id);
    entry.from_address = Printable(from_address, 128);
    return audit_.AppendInTx(tx, entry).status();
  }));
  return audit_.FlushCheckpoints();
}

absl::StatusOr<int64_t> SessionService::RevokeAll(const Actor& actor, int64_t user_id) {
  int64_t n = 0;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(n, tx.Execute("DELETE FROM sessions WHERE user_id = $1", {user_id}));
    AuditEntry entry = EntryFor(actor, "session.revoke_all");
    entry.record_type = "user";
    entry.record_id = core::Cat(user_id);
    entry.details = nlohmann::json({{"sessions", n}}).dump();
    return audit_.AppendInTx(tx, entry).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return n;
}

absl::StatusOr<int64_t> SessionService::DeleteExpired() {
  const absl::Time now = clock_.Now();
  return db_.Execute("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
                     {absl::ToUnixMicros(now), absl::ToUnixMicros(now - options_.idle_ttl)});
}

}  // namespace carepost::domain
