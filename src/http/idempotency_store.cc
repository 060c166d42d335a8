#include "http/idempotency_store.h"

#include <sodium.h>

#include "core/status_macros.h"

namespace carepost::http {

namespace {

store::Blob Sha256(std::string_view data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return store::Blob{std::string(reinterpret_cast<const char*>(out), sizeof out)};
}

}  // namespace

DbIdempotencyKeys::DbIdempotencyKeys(store::Database& db, const core::Clock& clock,
                                     absl::Duration ttl)
    : db_(db), clock_(clock), ttl_(ttl) {}

absl::StatusOr<IdempotencyKeys::Begun> DbIdempotencyKeys::Begin(int64_t user_id,
                                                                std::string_view key,
                                                                std::string_view method,
                                                                std::string_view route,
                                                                std::string_view request) {
  const store::Blob hash = Sha256(request);
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  Begun begun;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Execute("DELETE FROM idempotency_keys WHERE user_id = $1 AND "
                               "idempotency_key = $2 AND expires_at <= $3",
                               {user_id, key, now})
                        .status());
    ASSIGN_OR_RETURN(int64_t inserted,
                     tx.Execute("INSERT INTO idempotency_keys (user_id, idempotency_key, method, "
                                "path, request_hash, created_at, expires_at) VALUES ($1, $2, $3, "
                                "$4, $5, $6, $7) ON CONFLICT DO NOTHING",
                                {user_id, key, method, route, hash, now,
                                 now + absl::ToInt64Microseconds(ttl_)}));
    if (inserted == 1) return absl::OkStatus();
    ASSIGN_OR_RETURN(store::Row row,
                     tx.QueryRow("SELECT method, path, request_hash, response_status, "
                                 "response_body FROM idempotency_keys WHERE user_id = $1 AND "
                                 "idempotency_key = $2",
                                 {user_id, key}));
    ASSIGN_OR_RETURN(std::string m, row.GetText("method"));
    ASSIGN_OR_RETURN(std::string p, row.GetText("path"));
    ASSIGN_OR_RETURN(std::string h, row.GetBlob("request_hash"));
    if (m != method || p != route || h != hash.bytes) {
      begun.outcome = Begun::Outcome::kMismatch;
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(bool running, row.IsNull("response_status"));
    if (running) {
      begun.outcome = Begun::Outcome::kInProgress;
      return absl::OkStatus();
    }
    begun.outcome = Begun::Outcome::kReplay;
    ASSIGN_OR_RETURN(int64_t status, row.GetInt64("response_status"));
    begun.status = static_cast<int>(status);
    ASSIGN_OR_RETURN(begun.body, row.GetBlob("response_body"));
    return absl::OkStatus();
  }));
  return begun;
}

void DbIdempotencyKeys::Finish(int64_t user_id, std::string_view key, const Response& response) {
  // A failed write leaves the key claimed until it expires: a retry then gets 409 "still
  // running" rather than a second execution, which is the safe side.
  if (response.status >= 500) {
    (void)db_.Execute("DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2",
                      {user_id, key});
    return;
  }
  (void)db_.Execute("UPDATE idempotency_keys SET response_status = $1, response_body = $2 "
                    "WHERE user_id = $3 AND idempotency_key = $4",
                    {response.status, store::Blob{response.body}, user_id, key});
}

}  // namespace carepost::http
