// File: domain/outbox.h
//
// The publishing outbox (table publish_jobs): one job per (post, platform account),
// written in the same transaction that schedules the post, so a scheduled post always
// has its jobs and a cancelled one never keeps any that could still run. The
// dispatcher (dispatch/dispatcher.h) claims due jobs and publishes them.
//
//   Outbox outbox;
//   posts.set_schedule_hook(&outbox);   // Schedule/Cancel/Update now keep the jobs
//
// Which accounts: the post's brand's accounts that are not revoked (active or paused:
// a paused account's jobs wait), for the platforms the post has a variant for — every
// account of the brand when the post has no variant. Scheduling writes a pending job
// due at scheduled_at per such account; moving a scheduled post moves its pending
// jobs; cancelling it, or an edit that sends it back to review, cancels its pending and
// claimed jobs (a claimed job keeps its claim token: if its worker's post reaches the
// platform anyway, the dispatcher records it as published). Scheduling it again revives a cancelled
// job with a NEW client reference (the content may have changed; the old reference must not match
// it).
//
// Every job has a client reference ("cp-" + 24 hex digits, random) that stays the same
// across its retries: the idempotency key where the platform takes one and what the
// dispatcher looks for after an attempt whose outcome it does not know.
//
// The jobs are written by the post's audited transaction (post.schedule, post.cancel,
// post.update), so they are not audited separately.
//
// Thread safety: Outbox holds no state; safe for concurrent use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/posts.h"
#include "store/database.h"

namespace carepost::domain {

enum class JobStatus { kPending, kClaimed, kPublished, kFailed, kCancelled };
// "pending", "claimed", "published", "failed", "cancelled"
std::string_view JobStatusName(JobStatus status);
std::optional<JobStatus> ParseJobStatus(std::string_view name);

struct PublishJob {
  int64_t id = 0;
  int64_t post_id = 0;
  int64_t account_id = 0;
  std::string platform;
  std::string client_reference;
  JobStatus status = JobStatus::kPending;
  absl::Time due_at;
  absl::Time next_attempt_at;
  int64_t attempts = 0;     // attempts started (claims)
  bool maybe_sent = false;  // an attempt may have reached the platform unrecorded
  std::string last_error;   // for the author; '' when none
  std::string platform_post_id;
  std::string url;
  absl::Time created_at;
  std::optional<absl::Time> published_at;
};

class Outbox final : public ScheduleHook {
 public:
  absl::Status OnScheduled(store::Tx& tx, const Post& post, absl::Time when,
                           absl::Time now) override;
  absl::Status OnUnscheduled(store::Tx& tx, int64_t post_id, absl::Time now) override;
};

// The post's jobs, by id. Not authorized: callers check posts.read for the post first.
[[nodiscard]] absl::StatusOr<std::vector<PublishJob>> ListPublishJobs(store::Executor& db,
                                                                      int64_t post_id);
// One job; NotFound naming the id.
[[nodiscard]] absl::StatusOr<PublishJob> ReadPublishJob(store::Executor& db, int64_t id);

}  // namespace carepost::domain
