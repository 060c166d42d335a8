// The dispatcher against an in-process platformsim and its faults, on every store
// backend: exactly one post on the platform per job whatever the fault sequence.
#include "dispatch/dispatcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "core/strings.h"
#include "dispatch/publish_testing.h"
#include "publish/mastodon.h"

namespace carepost::dispatch {
namespace {

using domain::JobStatus;
using domain::PostStatus;
using platformsim::Fault;

class DispatcherTest : public testing::PublishTest {
 protected:
  DispatchReport Run(Dispatcher& d) {
    absl::StatusOr<DispatchReport> r = d.RunOnce();
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(DispatchReport{});
  }
  PostStatus StatusOf(int64_t id) { return posts_->Get(as("admin"), id)->status; }
};

TEST_P(DispatcherTest, PublishesEachJobOnceWhenDue) {
  Connect("mastodon", cardiology_);
  Connect("bluesky", cardiology_);
  const int64_t id =
      Scheduled("Free flu shots this Saturday at the main lobby", {"mastodon", "bluesky"});
  std::unique_ptr<Dispatcher> d = NewDispatcher();
  EXPECT_EQ(Run(*d).claimed, 0);  // not due yet
  clock_.Advance(absl::Hours(1));
  DispatchReport r = Run(*d);
  EXPECT_EQ(r.claimed, 2);
  EXPECT_EQ(r.published, 2);
  EXPECT_EQ(LiveOn("mastodon"), 1u);
  EXPECT_EQ(LiveOn("bluesky"), 1u);
  const std::vector<domain::PublishJob> jobs = Jobs(id);
  for (const domain::PublishJob& j : jobs) {
    EXPECT_EQ(j.status, JobStatus::kPublished);
    EXPECT_FALSE(j.platform_post_id.empty());
    EXPECT_FALSE(j.url.empty());
    EXPECT_EQ(j.attempts, 1);
  }
  EXPECT_EQ(StatusOf(id), PostStatus::kPublished);
  EXPECT_EQ(Events("post.publish").size(), 1u);
  EXPECT_EQ(Events("publish_job.published").size(), 2u);
  EXPECT_EQ(Run(*d).claimed, 0);  // nothing left
  EXPECT_EQ(LiveOn(""), 2u);
}

TEST_P(DispatcherTest, RateLimitWaitsAtLeastRetryAfter) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Heart month walk", {"mastodon"});
  clock_.Advance(absl::Hours(1));
  sim_->AddFault({.platform = "mastodon",
                  .endpoint = "POST /api/v1/statuses",
                  .fault = Fault::kRateLimit,
                  .retry_after = 600});
  std::unique_ptr<Dispatcher> d = NewDispatcher();
  const absl::Time now = clock_.Now();
  EXPECT_EQ(Run(*d).retried, 1);
  domain::PublishJob j = Jobs(id)[0];
  EXPECT_EQ(j.status, JobStatus::kPending);
  EXPECT_GE(j.next_attempt_at, now + absl::Seconds(600));
  EXPECT_FALSE(j.maybe_sent);
  EXPECT_FALSE(j.last_error.empty());
  clock_.Advance(absl::Seconds(300));
  EXPECT_EQ(Run(*d).claimed, 0);
  clock_.Advance(absl::Seconds(301));
  EXPECT_EQ(Run(*d).published, 1);
  EXPECT_EQ(LiveOn("mastodon"), 1u);
  EXPECT_EQ(Jobs(id)[0].attempts, 2);
}

TEST_P(DispatcherTest, ServerErrorsBackOffExponentially) {
  Connect("bluesky", cardiology_);
  const int64_t id = Scheduled("Stroke signs: BE FAST", {"bluesky"});
  clock_.Advance(absl::Hours(1));
  sim_->AddFault({.platform = "bluesky",
                  .endpoint = "com.atproto.repo.createRecord",
                  .fault = Fault::kServerError,
                  .count = 2});
  std::unique_ptr<Dispatcher> d =
      NewDispatcher({.backoff_base = absl::Seconds(10), .jitter_seed = 3});
  absl::Time before = clock_.Now();
  EXPECT_EQ(Run(*d).retried, 1);
  const absl::Duration first = Jobs(id)[0].next_attempt_at - before;
  EXPECT_GE(first, absl::Seconds(5));
  EXPECT_LE(first, absl::Seconds(10));
  clock_.Advance(first);
  before = clock_.Now();
  EXPECT_EQ(Run(*d).retried, 1);
  const absl::Duration second = Jobs(id)[0].next_attempt_at - before;
  EXPECT_GE(second, absl::Seconds(10));
  EXPECT_LE(second, absl::Seconds(20));
  clock_.Advance(second);
  EXPECT_EQ(Run(*d).published, 1);
  EXPECT_EQ(LiveOn("bluesky"), 1u);
  EXPECT_EQ(StatusOf(id), PostStatus::kPublished);
}

TEST_P(DispatcherTest, ResetAfterAcceptIsFoundNotDuplicated) {
  Connect("mastodon", cardiology_);
  Connect("bluesky", cardiology_);
  const int64_t id = Scheduled("Cancer survivors day picnic", {"mastodon", "bluesky"});
  clock_.Advance(absl::Hours(1));
  sim_->AddFault({.platform = "mastodon",
                  .endpoint = "POST /api/v1/statuses",
                  .fault = Fault::kResetAfterAccept});
  sim_->AddFault({.platform = "bluesky",
                  .endpoint = "com.atproto.repo.createRecord",
                  .fault = Fault::kResetAfterAccept});
  std::unique_ptr<Dispatcher> d = NewDispatcher();
  DispatchReport r = Run(*d);
  EXPECT_EQ(r.retried, 2);
  EXPECT_EQ(r.published, 0);
  const std::vector<domain::PublishJob> jobs = Jobs(id);
  for (const domain::PublishJob& j : jobs) {
    EXPECT_EQ(j.status, JobStatus::kPending);
    EXPECT_TRUE(j.maybe_sent);
  }
  EXPECT_EQ(LiveOn("mastodon"), 1u);  // the platforms have them already
  EXPECT_EQ(LiveOn("bluesky"), 1u);
  clock_.Advance(absl::Hours(2));
  r = Run(*d);
  EXPECT_EQ(r.published, 2);
  EXPECT_EQ(r.found_existing, 2);
  EXPECT_EQ(LiveOn("mastodon"), 1u);
  EXPECT_EQ(LiveOn("bluesky"), 1u);
  EXPECT_EQ(StatusOf(id), PostStatus::kPublished);
}

TEST_P(DispatcherTest, XResetAfterAcceptIsFoundAmongRecentPosts) {
  Connect("x", cardiology_);
  const int64_t id = Scheduled("Organ donor registration drive today", {"x"});
  clock_.Advance(absl::Hours(1));
  sim_->AddFault(
      {.platform = "x", .endpoint = "POST /2/tweets", .fault = Fault::kResetAfterAccept});
  std::unique_ptr<Dispatcher> d = NewDispatcher();
  EXPECT_EQ(Run(*d).retried, 1);
  EXPECT_EQ(LiveOn("x"), 1u);
  clock_.Advance(absl::Hours(1));
  DispatchReport r = Run(*d);
  EXPECT_EQ(r.published, 1);
  EXPECT_EQ(r.found_existing, 1);
  EXPECT_EQ(LiveOn("x"), 1u);
  EXPECT_EQ(StatusOf(id), PostStatus::kPublished);
}

TEST_P(DispatcherTest, AnExpiredXTokenIsRenewedStoredAndThePostPublished) {
  const int64_t account = Connect("x", cardiology_);
  const int64_t id = Scheduled("Free blood pressure checks", {"x"});
  clock_.Advance(absl::Hours(1));
  sim_->AddFault({.platform = "x", .endpoint = "POST /2/tweets", .fault = Fault::kExpiredToken});
  std::unique_ptr<Dispatcher> d = NewDispatcher();
  DispatchReport r = Run(*d);
  EXPECT_EQ(r.published, 1);
  EXPECT_EQ(r.paused_accounts, 0);
  EXPECT_EQ(LiveOn("x"), 1u);
  EXPECT_EQ(StatusOf(id), PostStatus::kPublished);
  absl::StatusOr<domain::AccountCredentials> stored =
      domain::ReadAccountCredentials(db(), box_, account);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_NE(stored->access_token, platformsim::kXAccessToken);
  EXPECT_NE(stored->refresh_token, platformsim::kXRefreshToken);
  EXPECT_EQ(stored->client_id, platformsim::kXClientId);
  std::vector<domain::AuditEvent> events = Events("platform_account.refresh");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entry.details.find(stored->access_token), std::string::npos);
}

TEST_P(DispatcherTest, TransientFailuresGiveUpAfterMaxAttempts) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Wellness fair", {"mastodon"});
  clock_.Advance(absl::Hours(1));
  sim_->AddFault({.platform = "mastodon",
                  .endpoint = "POST /api/v1/statuses",
                  .fault = Fault::kServerError,
                  .count = 5});
  std::unique_ptr<Dispatcher> d = NewDispatcher({.max_attempts = 2, .jitter_seed = 5});
  EXPECT_EQ(Run(*d).retried, 1);
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(Run(*d).failed, 1);
  domain::PublishJob j = Jobs(id)[0];
  EXPECT_EQ(j.status, JobStatus::kFailed);
  EXPECT_EQ(j.attempts, 2);
  EXPECT_NE(j.last_error.find("gave up after 2 attempts"), std::string::npos) << j.last_error;
  EXPECT_EQ(StatusOf(id), PostStatus::kFailed);
  EXPECT_EQ(LiveOn("mastodon"), 0u);
}

TEST_P(DispatcherTest, ExpiredTokenPausesTheAccountInsteadOfFailingPosts) {
  const int64_t account = Connect("mastodon", cardiology_);
  const int64_t a = Scheduled("Clinic hours change", {"mastodon"});
  const int64_t b = Scheduled("New parking garage", {"mastodon"});
  clock_.Advance(absl::Hours(1));
  // Revoked: the post and the credentials check after it are both refused.
  sim_->AddFault(
      {.platform = "mastodon", .endpoint = "*", .fault = Fault::kExpiredToken, .count = 2});
  std::unique_ptr<Dispatcher> d = NewDispatcher();
  DispatchReport r = Run(*d);
  EXPECT_EQ(r.paused_accounts, 1);
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(r.claimed, 1);  // the second job is not claimed once the account is paused
  absl::StatusOr<std::vector<domain::PlatformAccount>> accounts =
      accounts_->List(as("admin"), cardiology_);
  ASSERT_TRUE(accounts.ok());
  EXPECT_EQ((*accounts)[0].status, domain::AccountStatus::kPaused);
  EXPECT_NE((*accounts)[0].status_reason.find("reconnect"), std::string::npos);
  EXPECT_EQ((*accounts)[0].status_reason.find(platformsim::kMastodonToken), std::string::npos);
  EXPECT_EQ(StatusOf(a), PostStatus::kScheduled);
  EXPECT_EQ(Jobs(a)[0].status, JobStatus::kPending);
  EXPECT_EQ(Jobs(a)[0].attempts, 0);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(Run(*d).claimed, 0);  // paused: the jobs wait

  ASSERT_TRUE(accounts_->Resume(as("admin"), account).ok());
  r = Run(*d);
  EXPECT_EQ(r.published, 2);
  EXPECT_EQ(LiveOn("mastodon"), 2u);
  EXPECT_EQ(StatusOf(a), PostStatus::kPublished);
  EXPECT_EQ(StatusOf(b), PostStatus::kPublished);
}

TEST_P(DispatcherTest, CredentialsSealedUnderAnotherKeyPauseTheAccount) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Mobile mammography van", {"mastodon"});
  clock_.Advance(absl::Hours(1));
  domain::SecretBox other(domain::SecretKey(std::string(32, 'q')));
  Dispatcher d(db(), clock_, *audit_, other, *factory_, {.jitter_seed = 9});
  DispatchReport r = Run(d);
  EXPECT_EQ(r.paused_accounts, 1);
  absl::StatusOr<std::vector<domain::PlatformAccount>> accounts =
      accounts_->List(as("admin"), cardiology_);
  ASSERT_TRUE(accounts.ok());
  EXPECT_EQ((*accounts)[0].status, domain::AccountStatus::kPaused);
  EXPECT_NE((*accounts)[0].status_reason.find("cannot open"), std::string::npos)
      << (*accounts)[0].status_reason;
  EXPECT_EQ(Jobs(id)[0].status, JobStatus::kPending);
  EXPECT_EQ(StatusOf(id), PostStatus::kScheduled);
  EXPECT_EQ(LiveOn("mastodon"), 0u);
}

TEST_P(DispatcherTest, DuplicateRefusalFailsThePostAndTellsTheAuthor) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Visiting hours", {"mastodon"});
  clock_.Advance(absl::Hours(1));
  sim_->AddFault(
      {.platform = "mastodon", .endpoint = "POST /api/v1/statuses", .fault = Fault::kDuplicate});
  std::unique_ptr<Dispatcher> d = NewDispatcher();
  EXPECT_EQ(Run(*d).failed, 1);
  domain::PublishJob j = Jobs(id)[0];
  EXPECT_EQ(j.status, JobStatus::kFailed);
  EXPECT_FALSE(j.last_error.empty());
  EXPECT_EQ(j.last_error.find("Visiting hours"), std::string::npos);  // no post text
  EXPECT_EQ(StatusOf(id), PostStatus::kFailed);
  EXPECT_EQ(LiveOn("mastodon"), 0u);
  absl::StatusOr<std::vector<domain::Notification>> mine =
      notifications_->List(as("author").user_id(), {});
  ASSERT_TRUE(mine.ok());
  ASSERT_FALSE(mine->empty());
  EXPECT_EQ((*mine)[0].kind, "publish_failed");
  EXPECT_EQ((*mine)[0].post_id, id);
  EXPECT_NE((*mine)[0].message.find("Mastodon"), std::string::npos);
  EXPECT_EQ(Events("post.fail").size(), 1u);
  clock_.Advance(absl::Hours(5));
  EXPECT_EQ(Run(*d).claimed, 0);  // failed for good
}

TEST_P(DispatcherTest, AJobOfAWorkerThatDiedIsTakenOverAfterItsLease) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Sun safety tips", {"mastodon"});
  clock_.Advance(absl::Hours(1));
  domain::PublishJob j = Jobs(id)[0];
  // A worker claimed the job, got the post onto the platform, and died before recording
  // it.
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  ASSERT_TRUE(db().Execute("UPDATE publish_jobs SET status = 'claimed', claim_token = 'dead', "
                           "lease_until = $1, attempts = 1, maybe_sent = 1 WHERE id = $2",
                           {now + absl::ToInt64Microseconds(absl::Minutes(5)), j.id})
                  .ok());
  publish::MastodonConnector mastodon(
      *http_, {.base_url = sim_->base_url(), .access_token = platformsim::kMastodonToken});
  ASSERT_TRUE(mastodon
                  .Publish({.text = "Sun safety tips",
                            .client_reference = j.client_reference,
                            .created_at = j.created_at})
                  .ok());
  std::unique_ptr<Dispatcher> d = NewDispatcher();
  EXPECT_EQ(Run(*d).claimed, 0);  // the lease holds
  clock_.Advance(absl::Minutes(5));
  DispatchReport r = Run(*d);
  EXPECT_EQ(r.claimed, 1);
  EXPECT_EQ(r.found_existing, 1);
  EXPECT_EQ(LiveOn("mastodon"), 1u);
  EXPECT_EQ(Jobs(id)[0].status, JobStatus::kPublished);
  EXPECT_EQ(Jobs(id)[0].attempts, 2);
  EXPECT_EQ(StatusOf(id), PostStatus::kPublished);
}

TEST_P(DispatcherTest, ALeaseTakenOverLeavesTheFirstWorkerNothingToRecord) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Marathon first aid tents", {"mastodon"});
  clock_.Advance(absl::Hours(1));
  const int64_t job = Jobs(id)[0].id;
  ASSERT_TRUE(db().Execute("UPDATE publish_jobs SET status = 'claimed', claim_token = 'other', "
                           "lease_until = $1 WHERE id = $2",
                           {absl::ToUnixMicros(clock_.Now()) + 1'000'000, job})
                  .ok());
  std::unique_ptr<Dispatcher> d = NewDispatcher();
  EXPECT_EQ(Run(*d).claimed, 0);
  EXPECT_EQ(LiveOn("mastodon"), 0u);
}

// Runs `before` ahead of every Publish of the connectors it hands out.
class HookedFactory final : public ConnectorFactory {
 public:
  HookedFactory(ConnectorFactory& inner, std::function<void()> before)
      : inner_(inner), before_(std::move(before)) {}
  absl::StatusOr<std::unique_ptr<publish::Connector>> ForAccount(
      const domain::PlatformAccount& account,
      const domain::AccountCredentials& credentials) override {
    absl::StatusOr<std::unique_ptr<publish::Connector>> c = inner_.ForAccount(account, credentials);
    if (!c.ok()) return c.status();
    return std::unique_ptr<publish::Connector>(new Hooked(*std::move(c), before_));
  }

 private:
  class Hooked final : public publish::Connector {
   public:
    Hooked(std::unique_ptr<publish::Connector> inner, std::function<void()> before)
        : inner_(std::move(inner)), before_(std::move(before)) {}
    std::string_view platform() const override { return inner_->platform(); }
    absl::StatusOr<publish::PublishedPost> Publish(const publish::PostRequest& post) override {
      before_();
      return inner_->Publish(post);
    }
    absl::Status Delete(std::string_view id) override { return inner_->Delete(id); }
    absl::StatusOr<publish::PostStatus> FetchStatus(std::string_view id) override {
      return inner_->FetchStatus(id);
    }
    absl::StatusOr<std::optional<publish::PublishedPost>> FindByClientReference(
        const publish::PostRequest& post) override {
      return inner_->FindByClientReference(post);
    }
    absl::Status RefreshToken() override { return inner_->RefreshToken(); }

   private:
    std::unique_ptr<publish::Connector> inner_;
    std::function<void()> before_;
  };
  ConnectorFactory& inner_;
  std::function<void()> before_;
};

TEST_P(DispatcherTest, APostCancelledWhileBeingSentIsRecordedAsPublished) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Community health needs survey", {"mastodon"});
  clock_.Advance(absl::Hours(1));
  HookedFactory hooked(*factory_, [&] { EXPECT_TRUE(posts_->Cancel(as("manager"), id).ok()); });
  Dispatcher d(db(), clock_, *audit_, box_, hooked, {.jitter_seed = 2});
  EXPECT_EQ(Run(d).published, 1);
  EXPECT_EQ(LiveOn("mastodon"), 1u);
  domain::PublishJob j = Jobs(id)[0];
  EXPECT_EQ(j.status, JobStatus::kPublished);  // live on the platform: say so
  EXPECT_FALSE(j.url.empty());
  EXPECT_EQ(StatusOf(id), PostStatus::kCancelled);
}

TEST_P(DispatcherTest, TwoDispatchersPublishEachJobOnce) {
  if (GetParam() == domain::testing::Backend::kSqliteMemory) {
    GTEST_SKIP() << "an in-memory SQLite database has one connection";
  }
  Connect("mastodon", cardiology_);
  constexpr int kPosts = 12;
  for (int i = 0; i < kPosts; ++i) Scheduled(core::Cat("Race post number ", i), {"mastodon"});
  clock_.Advance(absl::Hours(1));
  absl::StatusOr<std::unique_ptr<store::Database>> second = Open();
  ASSERT_TRUE(second.ok()) << second.status();
  domain::AuditLog audit2(**second, clock_, domain::SecretKey(std::string(32, 'k')),
                          {.checkpoint_every = 5});
  Dispatcher one(db(), clock_, *audit_, box_, *factory_, {.batch = 3, .jitter_seed = 1});
  Dispatcher two(**second, clock_, audit2, box_, *factory_, {.batch = 3, .jitter_seed = 1});
  std::atomic<int> published{0};
  auto work = [&published](Dispatcher& d) {
    for (int idle = 0; idle < 3;) {
      absl::StatusOr<DispatchReport> r = d.RunOnce();
      ASSERT_TRUE(r.ok()) << r.status();
      published += r->published;
      idle = r->claimed == 0 ? idle + 1 : 0;
    }
  };
  std::thread t1(work, std::ref(one));
  std::thread t2(work, std::ref(two));
  t1.join();
  t2.join();
  EXPECT_EQ(published.load(), kPosts);
  EXPECT_EQ(LiveOn("mastodon"), static_cast<size_t>(kPosts));
  absl::StatusOr<store::Row> left =
      db().QueryRow("SELECT COUNT(*) AS n FROM publish_jobs WHERE status <> 'published'");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left->GetInt64("n"), 0);
  absl::StatusOr<domain::AuditVerifyReport> verified = audit_->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
}

INSTANTIATE_TEST_SUITE_P(Backends, DispatcherTest, CAREPOST_ALL_BACKENDS);

}  // namespace
}  // namespace carepost::dispatch
