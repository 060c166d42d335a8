// File: domain/audit.h
//
// The append-only, hash-chained audit log (table audit_events). Every state change and
// every sign-in writes an event: who, what action, which record, when, from where, and
// details that never hold PHI (ids, role names, counts — the caller's duty; the log
// stores what it is given).
//
// Chain. Events are numbered 1, 2, 3, ... with no gaps. Each stores the SHA-256 of the
// previous event (32 zero bytes for event 1) and its own SHA-256 over a canonical,
// length-prefixed encoding of every column and the previous hash. Every
// `checkpoint_every` events a checkpoint (event count + head hash, HMAC-SHA-256 under
// the audit key) is stored in audit_checkpoints AND appended to a file outside the
// database. Verify() then detects an edited, deleted or reordered event (the hashes
// break), a cut-off tail (the checkpoint file names events that are gone), and a chain
// rebuilt from scratch by someone without the key (the HMACs do not match). Events
// after the newest checkpoint can be cut off without a trace: keep checkpoint_every
// small enough for that to be tolerable.
//
//   AuditLog audit(db, clock, key.Derive(KeyPurpose::kAuditSignature),
//                  {.checkpoint_file = data_dir + "/audit-checkpoints.log"});
//   RETURN_IF_ERROR(audit.Append({.actor = "admin@example.org", .action = "user.create",
//                                 .record_type = "user", .record_id = "42"}).status());
//
//   // With a state change, in the same transaction:
//   RETURN_IF_ERROR(db.WithTransaction([&](store::Tx& tx) -> absl::Status {
//     ... change ...
//     return audit.AppendInTx(tx, event).status();
//   }));
//   audit.FlushCheckpoints();   // after the commit
//
// Concurrency. Writers serialize on the chain head (SQLite: the write lock of the
// transaction; PostgreSQL: a transaction-scoped advisory lock), so two writers, in one
// process or several, never fork the chain; the primary key on seq is the backstop.
//
// Thread safety: an AuditLog is safe for concurrent use from many threads.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "domain/secrets.h"
#include "store/database.h"

namespace carepost::domain {

// What happened, as the caller describes it. Never put PHI in any field.
struct AuditEntry {
  std::optional<int64_t> organization_id;  // the organization acted in, when known
  std::optional<int64_t> actor_user_id;    // the signed-in user, when there is one
  std::string actor;                       // who: an email, "cli", "system", ...
  std::string action;                      // what: "user.create", "session.sign_in", ...
  std::string record_type;                 // which record: "user", "brand", ... or ''
  std::string record_id;                   // its id, or ''
  std::string from_address;                // where from: client IP, "cli", or ''
  std::string details = "{}";              // JSON object without PHI
};

// An event as stored.
struct AuditEvent {
  int64_t seq = 0;
  absl::Time at;
  AuditEntry entry;
  std::string prev_hash;  // 32 bytes
  std::string hash;       // 32 bytes
};

struct AuditLogOptions {
  // A checkpoint is written after every this many events (>= 1). Smaller: a cut-off
  // tail is caught sooner; each checkpoint costs one row and one line in the file.
  // Keep it the same for the life of a log: Verify() expects a checkpoint at every
  // multiple of it.
  int64_t checkpoint_every = 100;
  // The file checkpoints are appended to (one line each). Keep it outside the
  // database, ideally on other storage. Empty: no file (Verify() then cannot catch a
  // cut-off tail, and says so).
  std::string checkpoint_file;
  // How often an append is retried after a serialization failure or a lost race.
  int max_attempts = 5;
};

// The outcome of Verify(). `ok` is false when anything is wrong; then first_broken_seq
// names the first event that is missing or does not check out, and `problem` says
// what is wrong (without any event contents).
struct AuditVerifyReport {
  bool ok = true;
  int64_t events_checked = 0;
  int64_t checkpoints_checked = 0;        // database and file checkpoints verified
  int64_t first_broken_seq = 0;           // 0 when ok
  std::string problem;                    // '' when ok
  std::string warning;                    // e.g. "no checkpoint file configured"
};

enum class ExportFormat { kCsv, kJsonl };

// A filtered, newest-first page of the log (AuditLog::Query). Empty fields match all.
struct AuditQuery {
  std::optional<int64_t> organization_id;  // only events of this organization
  std::optional<absl::Time> since;         // at or after
  std::optional<absl::Time> until;         // before
  std::string actor;                       // exactly this actor
  std::string action;                      // this action, or a prefix ending in '.'
  int64_t before_seq = 0;                  // only seq < before_seq (0: from the newest)
  int64_t limit = 50;
};

class AuditLog {
 public:
  // `db` and `clock` must outlive the log. `key` is the audit signing key
  // (SecretKey::Derive(KeyPurpose::kAuditSignature)).
  AuditLog(store::Database& db, core::Clock& clock, SecretKey key, AuditLogOptions options);

  // Appends one event in its own transaction (retrying on conflicts) and writes any new
  // checkpoint to the file. Returns its seq. An error from writing the file comes back
  // although the event is committed; the next FlushCheckpoints() catches the file up.
  [[nodiscard]] absl::StatusOr<int64_t> Append(const AuditEntry& entry);

  // Appends one event inside the caller's transaction. After the transaction commits,
  // call FlushCheckpoints() so a checkpoint it made reaches the file.
  [[nodiscard]] absl::StatusOr<int64_t> AppendInTx(store::Tx& tx, const AuditEntry& entry);

  // Appends to the checkpoint file every database checkpoint newer than the file's
  // last line. Safe to call any time; a no-op without a file.
  [[nodiscard]] absl::Status FlushCheckpoints();

  // Checks the whole chain, every checkpoint row and every checkpoint line.
  // An error status means the check could not run (database unreachable, unreadable
  // file); tampering is reported in the report, not as an error.
  [[nodiscard]] absl::StatusOr<AuditVerifyReport> Verify();

  // Writes every event at or after `since` (of one organization, when given), oldest
  // first, to `out` one line (JSONL) or one record (CSV with a header row) at a time.
  // Returns the number of events.
  [[nodiscard]] absl::StatusOr<int64_t> Export(
      absl::Time since, ExportFormat format, const std::function<void(std::string_view)>& out,
      std::optional<int64_t> organization_id = std::nullopt);

  // The events with seq in [first, first + limit), oldest first.
  [[nodiscard]] absl::StatusOr<std::vector<AuditEvent>> Read(int64_t first, int64_t limit);

  // The events `query` selects, newest first.
  [[nodiscard]] absl::StatusOr<std::vector<AuditEvent>> Query(const AuditQuery& query);

  // The canonical bytes an event's hash covers (exposed for tests and tools).
  static std::string CanonicalEncoding(int64_t seq, int64_t at_micros, const AuditEntry& entry,
                                       std::string_view prev_hash);

 private:
  std::string CheckpointSignature(int64_t seq, std::string_view head_hash) const;

  store::Database& db_;
  core::Clock& clock_;
  const SecretKey key_;
  const AuditLogOptions options_;
  std::mutex file_mu_;  // serializes FlushCheckpoints() within this process
};

}  // namespace carepost::domain
