// File: dispatch/dispatcher.h
//
// The dispatcher works the publishing outbox (domain/outbox.h): it claims due jobs,
// publishes each through the account's connector, and records what happened. It reads
// time only through the injected Clock and reaches platforms only through the
// ConnectorFactory, so tests drive it with a SimulatedClock against platformsim.
//
//   Dispatcher dispatcher(db, clock, audit, box, *factory, {});
//   ASSIGN_OR_RETURN(DispatchReport report, dispatcher.RunOnce());   // from a loop
//
// Claiming. A job is due when it is pending and its next_attempt_at has come, or when
// it is claimed and its lease ran out (the worker that claimed it died). A claim is one
// conditional UPDATE (the row still due) that sets a fresh claim token and the lease;
// on PostgreSQL the second of two racing UPDATEs re-checks the condition after the
// first commits, on SQLite writers are serialized, so each claim has one winner.
// Every later write to the job requires the claim token: a worker whose lease was
// taken over records nothing. Only jobs of active accounts are claimed.
//
// Outcomes, by publish::FailureKind:
//   published       job published with the platform's id and URL; the post becomes
//                   published when all its jobs are (cancelled ones aside)
//   kTransient      pending again after exponential backoff with jitter
//                   (backoff_base * 2^(attempts-1), capped, a uniform draw from its
//                   upper half), never sooner than the platform's Retry-After
//   kOutcomeUnknown the same, remembering that the post may exist (maybe_sent)
//   kAuth           RefreshToken() (a renewal for X and Bluesky, a check for Mastodon)
//                   and one more Publish; if the refresh fails, the account is paused
//                   with the reason and the job waits, its attempt not counted
//   kPermanent      job failed with the connector's message (written for the author);
//                   the post becomes failed and its author is notified
// After max_attempts transient failures the job fails as a permanent one would.
//
// Never a duplicate: before a job is published, maybe_sent is set. Any later attempt
// that finds it set (an unknown outcome, or a worker that died mid-call) first asks
// the connector's FindByClientReference and records the post it finds instead of
// publishing again; a failed look-up is a transient failure, never a new post.
// The one window left: a worker still calling the platform after its lease ran out
// while another claims the job (keep `lease` well above the HTTP timeouts).
//
// Audit: the dispatcher acts as the system, for posts whose scheduling was authorized
// and audited. Each of its changes is audited in its transaction with the actor
// "dispatcher": publish_job.published, publish_job.retry, publish_job.failed,
// post.publish, post.fail, platform_account.pause. Details hold ids, platform,
// attempts and failure kind — never post text or tokens; error messages (the
// connectors') hold neither.
//
// Not yet: images (a job whose revision has media fails with a message saying so),
// first comments, a thread loop and its shutdown gate, the "publishing" post state,
// per-account rate buckets, refreshing tokens before they expire.
//
// Thread safety: RunOnce may be called from several threads and several processes
// against one database; jobs are published one at a time per call.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "dispatch/connector_factory.h"
#include "domain/audit.h"
#include "domain/outbox.h"
#include "domain/secrets.h"
#include "store/database.h"

namespace carepost::dispatch {

struct DispatcherOptions {
  // Jobs claimed per RunOnce. More: fewer queries per job; a job waits behind the
  // others of its batch.
  int batch = 16;
  // How long a claim holds before another worker may take the job over. Must exceed
  // the longest publish (HttpClient read_timeout plus media uploads).
  absl::Duration lease = absl::Minutes(5);
  // Backoff after the first transient failure, doubling per attempt, capped.
  absl::Duration backoff_base = absl::Seconds(30);
  absl::Duration backoff_max = absl::Hours(1);
  // Attempts (claims) before a job that keeps failing transiently fails for good.
  int64_t max_attempts = 8;
  // Seed for the jitter; 0: seeded from std::random_device.
  uint64_t jitter_seed = 0;
  // Names this worker in claim tokens (for debugging; tokens stay unique without it).
  std::string worker_name = "dispatcher";
};

// What one RunOnce did.
struct DispatchReport {
  int claimed = 0;
  int published = 0;
  int found_existing = 0;  // of published: found on the platform, not published again
  int retried = 0;
  int failed = 0;
  int paused_accounts = 0;
  int cancelled = 0;  // the post was no longer scheduled
};

class Dispatcher {
 public:
  // Everything passed in must outlive the dispatcher.
  Dispatcher(store::Database& db, core::Clock& clock, domain::AuditLog& audit,
             const domain::SecretBox& box, ConnectorFactory& connectors, DispatcherOptions options);

  // Claims up to `batch` due jobs and works each to an outcome. An error means the
  // database failed; jobs already worked keep their outcome, and a claimed job whose
  // outcome could not be recorded is taken over after its lease.
  [[nodiscard]] absl::StatusOr<DispatchReport> RunOnce();

  // The backoff before attempt `attempts` + 1 (exposed for tests).
  absl::Duration Backoff(int64_t attempts);

 private:
  // Works one job this dispatcher claimed with `token` to an outcome.
  absl::Status Work(int64_t job_id, const std::string& token, DispatchReport& report);

  store::Database& db_;
  core::Clock& clock_;
  domain::AuditLog& audit_;
  const domain::SecretBox& box_;
  ConnectorFactory& connectors_;
  const DispatcherOptions options_;
  std::mutex mu_;
  std::mt19937_64 rng_;      // guarded by mu_
  uint64_t next_claim_ = 0;  // guarded by mu_
};

}  // namespace carepost::dispatch
