// File: http/idempotency_store.h
//
// IdempotencyKeys over the idempotency_keys table: a key is claimed per user, the
// request it was first used with is kept as a SHA-256, and the answer is stored for
// `ttl` so a client that lost the response can safely send the same POST again.
// Answers of idempotent routes hold no PHI (user and brand records), so storing them
// is safe; routes whose answers could hold PHI are not marked idempotent.
//
// Thread safety: safe for concurrent use, also from several server processes.
#pragma once

#include "absl/time/time.h"
#include "core/clock.h"
#include "http/app.h"
#include "store/database.h"

namespace carepost::http {

class DbIdempotencyKeys : public IdempotencyKeys {
 public:
  // `db` and `clock` must outlive this.
  DbIdempotencyKeys(store::Database& db, const core::Clock& clock,
                    absl::Duration ttl = absl::Hours(24));

  absl::StatusOr<Begun> Begin(int64_t user_id, std::string_view key, std::string_view method,
                              std::string_view route, std::string_view request) override;
  void Finish(int64_t user_id, std::string_view key, const Response& response) override;

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const absl::Duration ttl_;
};

}  // namespace carepost::http
