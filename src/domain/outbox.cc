#include "domain/outbox.h"

#include <array>
#include <set>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/internal/crypto.h"

namespace carepost::domain {

namespace {

constexpr std::array<std::string_view, 5> kJobStatusNames = {"pending", "claimed", "published",
                                                             "failed", "cancelled"};

constexpr char kJobColumns[] =
    "id, post_id, account_id, platform, client_reference, status, due_at, next_attempt_at, "
    "attempts, maybe_sent, last_error, platform_post_id, url, created_at, published_at";

absl::StatusOr<PublishJob> JobFromRow(const store::Row& row) {
  PublishJob j;
  ASSIGN_OR_RETURN(j.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(j.post_id, row.GetInt64("post_id"));
  ASSIGN_OR_RETURN(j.account_id, row.GetInt64("account_id"));
  ASSIGN_OR_RETURN(j.platform, row.GetText("platform"));
  ASSIGN_OR_RETURN(j.client_reference, row.GetText("client_reference"));
  ASSIGN_OR_RETURN(std::string status, row.GetText("status"));
  std::optional<JobStatus> parsed = ParseJobStatus(status);
  if (!parsed) {
    return absl::DataLossError(
        core::Cat("publish job ", j.id, " has an unknown status '", status, "'"));
  }
  j.status = *parsed;
  ASSIGN_OR_RETURN(int64_t due, row.GetInt64("due_at"));
  j.due_at = absl::FromUnixMicros(due);
  ASSIGN_OR_RETURN(int64_t next, row.GetInt64("next_attempt_at"));
  j.next_attempt_at = absl::FromUnixMicros(next);
  ASSIGN_OR_RETURN(j.attempts, row.GetInt64("attempts"));
  ASSIGN_OR_RETURN(int64_t maybe_sent, row.GetInt64("maybe_sent"));
  j.maybe_sent = maybe_sent != 0;
  ASSIGN_OR_RETURN(j.last_error, row.GetText("last_error"));
  ASSIGN_OR_RETURN(j.platform_post_id, row.GetText("platform_post_id"));
  ASSIGN_OR_RETURN(j.url, row.GetText("url"));
  ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
  j.created_at = absl::FromUnixMicros(created);
  ASSIGN_OR_RETURN(bool unpublished, row.IsNull("published_at"));
  if (!unpublished) {
    ASSIGN_OR_RETURN(int64_t at, row.GetInt64("published_at"));
    j.published_at = absl::FromUnixMicros(at);
  }
  return j;
}

std::string NewClientReference() { return "cp-" + internal::ToHex(internal::RandomBytes(12)); }

}  // namespace

std::string_view JobStatusName(JobStatus status) {
  return kJobStatusNames[static_cast<size_t>(status)];
}

std::optional<JobStatus> ParseJobStatus(std::string_view name) {
  for (size_t i = 0; i < kJobStatusNames.size(); ++i) {
    if (kJobStatusNames[i] == name) return static_cast<JobStatus>(i);
  }
  return std::nullopt;
}

absl::Status Outbox::OnScheduled(store::Tx& tx, const Post& post, absl::Time when, absl::Time now) {
  std::set<std::string> platforms;
  for (const Variant& v : post.content.variants) platforms.insert(v.platform);
  ASSIGN_OR_RETURN(store::Rows accounts,
                   tx.Query("SELECT id, platform FROM platform_accounts WHERE brand_id = $1 AND "
                            "status <> 'revoked' ORDER BY id",
                            {post.brand_id}));
  const int64_t due = absl::ToUnixMicros(when);
  const int64_t micros = absl::ToUnixMicros(now);
  for (const store::Row& row : accounts) {
    ASSIGN_OR_RETURN(int64_t account_id, row.GetInt64("id"));
    ASSIGN_OR_RETURN(std::string platform, row.GetText("platform"));
    if (!platforms.empty() && platforms.count(platform) == 0) continue;
    // New: a pending job. Existing and pending: moved. Existing and cancelled: revived
    // under a new reference. Claimed, published or failed: left alone.
    RETURN_IF_ERROR(
        tx.Execute("INSERT INTO publish_jobs (post_id, account_id, platform, client_reference, "
                   "status, due_at, next_attempt_at, created_at, updated_at) "
                   "VALUES ($1, $2, $3, $4, 'pending', $5, $5, $6, $6) "
                   "ON CONFLICT (post_id, account_id) DO UPDATE SET "
                   "client_reference = CASE WHEN publish_jobs.status = 'cancelled' "
                   "THEN excluded.client_reference ELSE publish_jobs.client_reference END, "
                   "created_at = CASE WHEN publish_jobs.status = 'cancelled' "
                   "THEN excluded.created_at ELSE publish_jobs.created_at END, "
                   "attempts = CASE WHEN publish_jobs.status = 'cancelled' "
                   "THEN 0 ELSE publish_jobs.attempts END, "
                   "maybe_sent = CASE WHEN publish_jobs.status = 'cancelled' "
                   "THEN 0 ELSE publish_jobs.maybe_sent END, "
                   "last_error = CASE WHEN publish_jobs.status = 'cancelled' "
                   "THEN '' ELSE publish_jobs.last_error END, "
                   "status = 'pending', due_at = excluded.due_at, "
                   "next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at "
                   "WHERE publish_jobs.status IN ('pending', 'cancelled')",
                   {post.id, account_id, platform, NewClientReference(), due, micros})
            .status());
  }
  return absl::OkStatus();
}

absl::Status Outbox::OnUnscheduled(store::Tx& tx, int64_t post_id, absl::Time now) {
  return tx
      .Execute(
          "UPDATE publish_jobs SET status = 'cancelled', updated_at = $1 "
          "WHERE post_id = $2 AND status IN ('pending', 'claimed')",
          {absl::ToUnixMicros(now), post_id})
      .status();
}

absl::StatusOr<std::vector<PublishJob>> ListPublishJobs(store::Executor& db, int64_t post_id) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query(core::Cat("SELECT ", kJobColumns,
                                      " FROM publish_jobs WHERE post_id = $1 ORDER BY id"),
                            {post_id}));
  std::vector<PublishJob> out;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(PublishJob j, JobFromRow(row));
    out.push_back(std::move(j));
  }
  return out;
}

absl::StatusOr<PublishJob> ReadPublishJob(store::Executor& db, int64_t id) {
  absl::StatusOr<store::Row> row =
      db.QueryRow(core::Cat("SELECT ", kJobColumns, " FROM publish_jobs WHERE id = $1"), {id});
  if (absl::IsNotFound(row.status())) {
    return absl::NotFoundError(core::Cat("publish job ", id, " not found"));
  }
  RETURN_IF_ERROR(row.status());
  return JobFromRow(*row);
}

}  // namespace carepost::domain
