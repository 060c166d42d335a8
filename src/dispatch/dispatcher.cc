#include "dispatch/dispatcher.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/notifications.h"
#include "domain/platform_accounts.h"
#include "plan/vocabulary.h"

namespace carepost::dispatch {

namespace {

using nlohmann::json;
using publish::FailureKind;

constexpr char kActor[] = "dispatcher";

domain::AuditEntry SystemEntry(int64_t organization_id, std::string_view action,
                               std::string_view record_type, int64_t record_id,
                               const json& details) {
  return domain::AuditEntry{.organization_id = organization_id,
                            .actor = kActor,
                            .action = std::string(action),
                            .record_type = std::string(record_type),
                            .record_id = std::to_string(record_id),
                            .details = details.dump()};
}

// What a job needs from its post.
struct PostFacts {
  int64_t organization_id = 0;
  int64_t author_user_id = 0;
  std::string status;
  int64_t revision = 0;
};

absl::StatusOr<PostFacts> ReadPostFacts(store::Executor& db, int64_t post_id) {
  ASSIGN_OR_RETURN(store::Row row,
                   db.QueryRow("SELECT organization_id, author_user_id, status, revision FROM "
                               "posts WHERE id = $1",
                               {post_id}));
  PostFacts f;
  ASSIGN_OR_RETURN(f.organization_id, row.GetInt64("organization_id"));
  ASSIGN_OR_RETURN(f.author_user_id, row.GetInt64("author_user_id"));
  ASSIGN_OR_RETURN(f.status, row.GetText("status"));
  ASSIGN_OR_RETURN(f.revision, row.GetInt64("revision"));
  return f;
}

// How many media the revision attaches (the dispatcher does not publish them yet).
absl::StatusOr<int64_t> MediaCount(store::Executor& db, int64_t post_id, int64_t revision) {
  ASSIGN_OR_RETURN(store::Row media,
                   db.QueryRow("SELECT COUNT(*) AS n FROM post_media WHERE post_id = $1 AND "
                               "revision = $2",
                               {post_id, revision}));
  return media.GetInt64("n");
}

// The text for `platform`: its variant's text (else the master text), then the
// variant's link unless the text holds it, then its hashtags not already in the text.
absl::StatusOr<std::string> ComposeText(store::Executor& db, int64_t post_id, int64_t revision,
                                        std::string_view platform) {
  ASSIGN_OR_RETURN(store::Row rev,
                   db.QueryRow("SELECT master_text FROM post_revisions WHERE post_id = $1 AND "
                               "revision = $2",
                               {post_id, revision}));
  ASSIGN_OR_RETURN(std::string text, rev.GetText("master_text"));
  ASSIGN_OR_RETURN(store::Rows variants,
                   db.Query("SELECT body, link, hashtags FROM post_variants WHERE post_id = $1 "
                            "AND revision = $2 AND platform = $3",
                            {post_id, revision, platform}));
  if (variants.empty()) return text;
  ASSIGN_OR_RETURN(std::string body, variants[0].GetText("body"));
  ASSIGN_OR_RETURN(std::string link, variants[0].GetText("link"));
  ASSIGN_OR_RETURN(std::string hashtags, variants[0].GetText("hashtags"));
  if (!body.empty()) text = body;
  if (!link.empty() && text.find(link) == std::string::npos) text += "\n\n" + link;
  const json tags = json::parse(hashtags, nullptr, /*allow_exceptions=*/false);
  std::string line;
  if (tags.is_array()) {
    for (const json& tag : tags) {
      if (!tag.is_string()) continue;
      const std::string hash = "#" + tag.get<std::string>();
      if (text.find(hash) != std::string::npos) continue;
      if (!line.empty()) line += ' ';
      line += hash;
    }
  }
  if (!line.empty()) text += "\n\n" + line;
  return text;
}

std::string LabelOf(std::string_view platform) {
  for (plan::Platform p : plan::kAllPlatforms) {
    if (plan::PlatformName(p) == platform) return std::string(plan::PlatformLabel(p));
  }
  return std::string(platform);
}

}  // namespace

Dispatcher::Dispatcher(store::Database& db, core::Clock& clock, domain::AuditLog& audit,
                       const domain::SecretBox& box, ConnectorFactory& connectors,
                       DispatcherOptions options)
    : db_(db),
      clock_(clock),
      audit_(audit),
      box_(box),
      connectors_(connectors),
      options_(std::move(options)) {
  std::random_device device;
  rng_.seed(options_.jitter_seed != 0 ? options_.jitter_seed
                                      : (uint64_t{device()} << 32) ^ device());
  // Claim tokens must differ between dispatchers even when their jitter seeds agree.
  next_claim_ = (uint64_t{device()} << 32) ^ device();
}

absl::Duration Dispatcher::Backoff(int64_t attempts) {
  absl::Duration d = options_.backoff_base;
  for (int64_t i = 1; i < attempts && d < options_.backoff_max; ++i) d *= 2;
  d = std::min(d, options_.backoff_max);
  std::lock_guard<std::mutex> lock(mu_);
  std::uniform_real_distribution<double> upper_half(0.5, 1.0);
  return d * upper_half(rng_);
}

absl::StatusOr<DispatchReport> Dispatcher::RunOnce() {
  DispatchReport report;
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(
      store::Rows due,
      db_.Query("SELECT j.id FROM publish_jobs j JOIN platform_accounts a ON a.id = j.account_id "
                "WHERE a.status = 'active' AND ((j.status = 'pending' AND j.next_attempt_at <= $1) "
                "OR (j.status = 'claimed' AND j.lease_until <= $1)) "
                "ORDER BY j.next_attempt_at, j.id LIMIT $2",
                {now, int64_t{options_.batch}}));
  absl::Status first_error;
  for (const store::Row& row : due) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
    std::string token;
    {
      std::lock_guard<std::mutex> lock(mu_);
      token = core::Cat(options_.worker_name, "-", next_claim_++);
    }
    const int64_t claim_at = absl::ToUnixMicros(clock_.Now());
    ASSIGN_OR_RETURN(
        int64_t claimed,
        db_.Execute("UPDATE publish_jobs SET status = 'claimed', claim_token = $1, "
                    "lease_until = $2, attempts = attempts + 1, updated_at = $3 "
                    "WHERE id = $4 AND ((status = 'pending' AND next_attempt_at <= $3) "
                    "OR (status = 'claimed' AND lease_until <= $3)) AND account_id IN "
                    "(SELECT id FROM platform_accounts WHERE status = 'active')",
                    {token, claim_at + absl::ToInt64Microseconds(options_.lease), claim_at, id}));
    if (claimed != 1) continue;  // another worker was first
    ++report.claimed;
    absl::Status worked = Work(id, token, report);
    if (!worked.ok() && first_error.ok()) first_error = worked;
  }
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  RETURN_IF_ERROR(first_error);
  return report;
}

absl::Status Dispatcher::Work(int64_t job_id, const std::string& token, DispatchReport& report) {
  ASSIGN_OR_RETURN(domain::PublishJob job, domain::ReadPublishJob(db_, job_id));
  ASSIGN_OR_RETURN(PostFacts post, ReadPostFacts(db_, job.post_id));
  const json base = {{"post_id", job.post_id},
                     {"account_id", job.account_id},
                     {"platform", job.platform},
                     {"attempt", job.attempts}};

  // Every write below requires the claim: a worker whose lease was taken over records
  // nothing. Returns whether the job was still ours.
  // A post that reached the platform is recorded even when its job was cancelled
  // meanwhile (`or_cancelled`): the post is live, and carepost must say so.
  auto guarded = [&](store::Tx& tx, std::string_view set, std::vector<store::Value> params,
                     bool or_cancelled = false) -> absl::StatusOr<bool> {
    const size_t n = params.size();
    params.push_back(job_id);
    params.push_back(token);
    ASSIGN_OR_RETURN(
        int64_t rows,
        tx.Execute(core::Cat("UPDATE publish_jobs SET ", set, ", claim_token = '' WHERE id = $",
                             n + 1, " AND claim_token = $", n + 2,
                             or_cancelled ? " AND status IN ('claimed', 'cancelled')"
                                          : " AND status = 'claimed'"),
                   params));
    return rows == 1;
  };

  if (post.status != "scheduled" && post.status != "failed") {
    return db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(bool ours, guarded(tx, "status = 'cancelled', updated_at = $1",
                                          {absl::ToUnixMicros(clock_.Now())}));
      if (ours) ++report.cancelled;
      return absl::OkStatus();
    });
  }

  auto published = [&](const publish::PublishedPost& done, bool found) -> absl::Status {
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    return db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(bool ours, guarded(tx,
                                          "status = 'published', platform_post_id = $1, url = $2, "
                                          "published_at = $3, updated_at = $3, maybe_sent = 0, "
                                          "last_error = ''",
                                          {done.platform_post_id, done.url, now},
                                          /*or_cancelled=*/true));
      if (!ours) return absl::OkStatus();
      json details = base;
      details["found_existing"] = found;
      RETURN_IF_ERROR(audit_
                          .AppendInTx(tx, SystemEntry(post.organization_id, "publish_job.published",
                                                      "publish_job", job_id, details))
                          .status());
      ASSIGN_OR_RETURN(store::Row open,
                       tx.QueryRow("SELECT COUNT(*) AS n FROM publish_jobs WHERE post_id = $1 "
                                   "AND status NOT IN ('published', 'cancelled')",
                                   {job.post_id}));
      ASSIGN_OR_RETURN(int64_t still_open, open.GetInt64("n"));
      if (still_open == 0) {
        ASSIGN_OR_RETURN(int64_t moved,
                         tx.Execute("UPDATE posts SET status = 'published', updated_at = $1 "
                                    "WHERE id = $2 AND status = 'scheduled'",
                                    {now, job.post_id}));
        if (moved == 1) {
          RETURN_IF_ERROR(
              audit_
                  .AppendInTx(tx,
                              SystemEntry(post.organization_id, "post.publish", "post", job.post_id,
                                          {{"from", "scheduled"}, {"to", "published"}}))
                  .status());
        }
      }
      ++report.published;
      if (found) ++report.found_existing;
      return absl::OkStatus();
    });
  };

  auto failed = [&](const std::string& message) -> absl::Status {
    const absl::Time now = clock_.Now();
    const int64_t micros = absl::ToUnixMicros(now);
    return db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(bool ours, guarded(tx,
                                          "status = 'failed', last_error = $1, maybe_sent = 0, "
                                          "updated_at = $2",
                                          {message, micros}));
      if (!ours) return absl::OkStatus();
      RETURN_IF_ERROR(audit_
                          .AppendInTx(tx, SystemEntry(post.organization_id, "publish_job.failed",
                                                      "publish_job", job_id, base))
                          .status());
      ASSIGN_OR_RETURN(int64_t moved, tx.Execute("UPDATE posts SET status = 'failed', updated_at = "
                                                 "$1 WHERE id = $2 AND status = 'scheduled'",
                                                 {micros, job.post_id}));
      if (moved == 1) {
        RETURN_IF_ERROR(
            audit_
                .AppendInTx(tx, SystemEntry(post.organization_id, "post.fail", "post", job.post_id,
                                            {{"from", "scheduled"}, {"to", "failed"}}))
                .status());
      }
      RETURN_IF_ERROR(
          domain::NotifyInTx(tx, post.author_user_id, "publish_failed", job.post_id,
                             core::Cat("Post ", job.post_id, " could not be published to ",
                                       LabelOf(job.platform), ": ", message),
                             now));
      ++report.failed;
      return absl::OkStatus();
    });
  };

  auto retry = [&](const absl::Status& why, bool maybe_sent) -> absl::Status {
    if (job.attempts >= options_.max_attempts) {
      return failed(
          core::Cat("gave up after ", job.attempts, " attempts: ", std::string(why.message())));
    }
    absl::Duration wait = Backoff(job.attempts);
    if (std::optional<absl::Duration> asked = publish::RetryAfterOf(why)) {
      wait = std::max(wait, *asked);
    }
    const absl::Time now = clock_.Now();
    return db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(bool ours,
                       guarded(tx,
                               "status = 'pending', next_attempt_at = $1, "
                               "last_error = $2, maybe_sent = $3, updated_at = $4",
                               {absl::ToUnixMicros(now + wait), std::string(why.message()),
                                int64_t{maybe_sent ? 1 : 0}, absl::ToUnixMicros(now)}));
      if (!ours) return absl::OkStatus();
      json details = base;
      details["kind"] = publish::FailureKindName(publish::FailureKindOf(why));
      details["next_attempt_at"] = absl::ToUnixMicros(now + wait);
      RETURN_IF_ERROR(audit_
                          .AppendInTx(tx, SystemEntry(post.organization_id, "publish_job.retry",
                                                      "publish_job", job_id, details))
                          .status());
      ++report.retried;
      return absl::OkStatus();
    });
  };

  auto auth = [&](const absl::Status& why, bool maybe_sent) -> absl::Status {
    const absl::Time now = clock_.Now();
    return db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(bool ours, guarded(tx,
                                          "status = 'pending', attempts = attempts - 1, "
                                          "next_attempt_at = $1, last_error = $2, "
                                          "maybe_sent = $3, updated_at = $1",
                                          {absl::ToUnixMicros(now), std::string(why.message()),
                                           int64_t{maybe_sent ? 1 : 0}}));
      if (!ours) return absl::OkStatus();
      RETURN_IF_ERROR(domain::PauseAccountInTx(
          tx, audit_, job.account_id,
          absl::IsDataLoss(why)
              ? core::Cat("carepost cannot open this account's stored credentials (",
                          std::string(why.message()), "); reconnect the account, then resume it")
              : core::Cat(LabelOf(job.platform), " refused the account's credentials (",
                          std::string(why.message()), "); reconnect the account, then resume it"),
          now));
      ++report.paused_accounts;
      return absl::OkStatus();
    });
  };

  // Handles a failed call; `maybe_sent` is what the job's flag should say afterwards
  // unless the failure itself leaves the outcome unknown.
  auto on_failure = [&](const absl::Status& why, bool maybe_sent) -> absl::Status {
    switch (publish::FailureKindOf(why)) {
      case FailureKind::kAuth:
        return auth(why, maybe_sent);
      case FailureKind::kPermanent:
        return failed(std::string(why.message()));
      case FailureKind::kOutcomeUnknown:
        return retry(why, true);
      case FailureKind::kTransient:
      case FailureKind::kNone:
        break;
    }
    return retry(why, maybe_sent);
  };

  ASSIGN_OR_RETURN(int64_t media, MediaCount(db_, job.post_id, post.revision));
  if (media > 0) {
    return failed(
        "carepost does not publish images or videos yet; remove the media or post it by hand");
  }
  ASSIGN_OR_RETURN(std::string text, ComposeText(db_, job.post_id, post.revision, job.platform));
  ASSIGN_OR_RETURN(domain::PlatformAccount account,
                   domain::ReadPlatformAccount(db_, job.account_id));
  absl::StatusOr<domain::AccountCredentials> opened =
      domain::ReadAccountCredentials(db_, box_, job.account_id);
  // Credentials sealed under another server key (or damaged) cannot get better by
  // retrying: pause the account so the team reconnects it.
  if (absl::IsDataLoss(opened.status())) return auth(opened.status(), job.maybe_sent);
  RETURN_IF_ERROR(opened.status());
  const domain::AccountCredentials& credentials = *opened;
  absl::StatusOr<std::unique_ptr<publish::Connector>> connector =
      connectors_.ForAccount(account, credentials);
  if (!connector.ok()) {
    return on_failure(publish::PermanentError(std::string(connector.status().message())),
                      job.maybe_sent);
  }
  const publish::PostRequest request{.text = std::move(text),
                                     .client_reference = job.client_reference,
                                     .created_at = job.created_at};

  bool may_exist = job.maybe_sent;
  if (may_exist) {
    absl::StatusOr<std::optional<publish::PublishedPost>> found =
        (*connector)->FindByClientReference(request);
    if (!found.ok()) {
      // Not knowing whether the post exists, never publish it again now.
      if (publish::FailureKindOf(found.status()) == FailureKind::kAuth) {
        return auth(found.status(), true);
      }
      return retry(found.status(), true);
    }
    if (found->has_value()) return published(**found, true);
    may_exist = false;
  }

  // From here on the platform may get the post: say so first, so a crash or a lost
  // answer leads the next attempt to look before publishing.
  ASSIGN_OR_RETURN(int64_t marked,
                   db_.Execute("UPDATE publish_jobs SET maybe_sent = 1 WHERE id = $1 AND "
                               "claim_token = $2 AND status = 'claimed'",
                               {job_id, token}));
  if (marked != 1) return absl::OkStatus();  // taken over or cancelled: publish nothing
  absl::StatusOr<publish::PublishedPost> done = (*connector)->Publish(request);
  if (publish::FailureKindOf(done.status()) == FailureKind::kAuth) {
    // The platform refused the token before taking the post: renew it (X, Bluesky) or
    // check it (Mastodon), and try once more; the account is paused only if that fails.
    absl::Status refreshed = (*connector)->RefreshToken();
    if (!refreshed.ok()) return on_failure(refreshed, may_exist);
    done = (*connector)->Publish(request);
  }
  if (done.ok()) return published(*done, false);
  return on_failure(done.status(), may_exist);
}

}  // namespace carepost::dispatch
