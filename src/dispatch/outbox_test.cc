// The outbox (domain/outbox.h) and connected accounts (domain/platform_accounts.h), as
// PostService's transactions drive them. On every store backend.
#include "domain/outbox.h"

#include <gtest/gtest.h>

#include <set>

#include "dispatch/publish_testing.h"

namespace carepost::dispatch {
namespace {

using domain::JobStatus;
using domain::PostStatus;

class OutboxTest : public testing::PublishTest {};

TEST_P(OutboxTest, SchedulingWritesOneJobPerMatchingAccount) {
  const int64_t mastodon = Connect("mastodon", cardiology_);
  const int64_t bluesky = Connect("bluesky", cardiology_);
  Connect("x", cardiology_);       // no x variant: no job
  Connect("mastodon", oncology_);  // another brand: no job
  const int64_t id = Scheduled("Flu shots this Saturday", {"mastodon", "bluesky"});
  std::vector<domain::PublishJob> jobs = Jobs(id);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].account_id, mastodon);
  EXPECT_EQ(jobs[1].account_id, bluesky);
  const absl::Time at = *posts_->Get(as("admin"), id)->scheduled_at;
  std::set<std::string> refs;
  for (const domain::PublishJob& j : jobs) {
    EXPECT_EQ(j.status, JobStatus::kPending);
    EXPECT_EQ(j.due_at, at);
    EXPECT_EQ(j.next_attempt_at, at);
    EXPECT_EQ(j.attempts, 0);
    EXPECT_EQ(j.client_reference.rfind("cp-", 0), 0u) << j.client_reference;
    refs.insert(j.client_reference);
  }
  EXPECT_EQ(refs.size(), 2u);
}

// A hook that writes the jobs and then fails: the schedule must leave nothing behind.
class FailingHook final : public domain::ScheduleHook {
 public:
  explicit FailingHook(domain::Outbox& outbox) : outbox_(outbox) {}
  absl::Status OnScheduled(store::Tx& tx, const domain::Post& post, absl::Time when,
                           absl::Time now) override {
    absl::Status s = outbox_.OnScheduled(tx, post, when, now);
    if (!s.ok()) return s;
    return absl::InternalError("injected failure after writing the jobs");
  }
  absl::Status OnUnscheduled(store::Tx& tx, int64_t post_id, absl::Time now) override {
    return outbox_.OnUnscheduled(tx, post_id, now);
  }

 private:
  domain::Outbox& outbox_;
};

TEST_P(OutboxTest, JobsAreWrittenInTheSchedulingTransaction) {
  Connect("mastodon", cardiology_);
  FailingHook failing(outbox_);
  posts_->set_schedule_hook(&failing);
  absl::StatusOr<int64_t> id = posts_->Create(
      as("author"),
      {.brand_id = cardiology_,
       .content = {.master_text = "Heart month", .variants = {{.platform = "mastodon"}}},
       .guard = {}});
  ASSERT_TRUE(id.ok()) << id.status();
  ASSERT_TRUE(posts_->Submit(as("author"), *id).ok());
  ASSERT_TRUE(posts_->Approve(as("manager"), *id).ok());
  absl::StatusOr<domain::Post> p =
      posts_->Schedule(as("manager"), *id, clock_.Now() + absl::Hours(1), "America/New_York");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(posts_->Get(as("admin"), *id)->status, PostStatus::kApproved);
  EXPECT_TRUE(Jobs(*id).empty());
  EXPECT_TRUE(Events("post.schedule").empty());
}

TEST_P(OutboxTest, MovingMovesAndCancellingCancelsPendingJobs) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Blood drive", {"mastodon"});
  const absl::Time later = clock_.Now() + absl::Hours(30);
  ASSERT_TRUE(posts_->Schedule(as("manager"), id, later).ok());
  std::vector<domain::PublishJob> jobs = Jobs(id);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].due_at, later);
  EXPECT_EQ(jobs[0].next_attempt_at, later);
  const std::string ref = jobs[0].client_reference;

  ASSERT_TRUE(posts_->Cancel(as("manager"), id).ok());
  jobs = Jobs(id);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].status, JobStatus::kCancelled);
  EXPECT_EQ(jobs[0].client_reference, ref);
}

// Series ending and patient authorizations being withdrawn take scheduled posts off the
// schedule inside their own transactions, through PostService::LeftScheduleInTx.
TEST_P(OutboxTest, OtherServicesTakingAPostOffTheScheduleCancelItsJobs) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Flu clinic hours", {"mastodon"});
  ASSERT_EQ(Jobs(id)[0].status, JobStatus::kPending);
  ASSERT_TRUE(db().WithTransaction([&](store::Tx& tx) -> absl::Status {
                    return posts_->LeftScheduleInTx(tx, id, clock_.Now());
                  })
                  .ok());
  EXPECT_EQ(Jobs(id)[0].status, JobStatus::kCancelled);
}

TEST_P(OutboxTest, AnEditBackToReviewCancelsAndRescheduleRevivesWithANewReference) {
  Connect("mastodon", cardiology_);
  const int64_t id = Scheduled("Walk with a doc", {"mastodon"});
  const std::string ref = Jobs(id)[0].client_reference;
  domain::PostEdit edit;
  edit.content = domain::PostContent{.master_text = "Walk with a doctor",
                                     .variants = {{.platform = "mastodon"}}};
  edit.guard = domain::GuardReport{};
  ASSERT_TRUE(posts_->Update(as("author"), id, edit).ok());
  EXPECT_EQ(posts_->Get(as("admin"), id)->status, PostStatus::kInReview);
  EXPECT_EQ(Jobs(id)[0].status, JobStatus::kCancelled);

  ASSERT_TRUE(posts_->Approve(as("manager"), id).ok());
  ASSERT_TRUE(posts_->Schedule(as("manager"), id, clock_.Now() + absl::Hours(2)).ok());
  std::vector<domain::PublishJob> jobs = Jobs(id);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].status, JobStatus::kPending);
  EXPECT_NE(jobs[0].client_reference, ref);
  EXPECT_EQ(jobs[0].due_at, clock_.Now() + absl::Hours(2));
}

TEST_P(OutboxTest, AccountsNeedSecretsManageAndKeepCredentialsSealed) {
  domain::NewPlatformAccount a{.brand_id = cardiology_,
                               .platform = "mastodon",
                               .handle = "@heart@sim",
                               .base_url = sim_->base_url(),
                               .credentials = {.access_token = "very-secret-token-123"}};
  EXPECT_EQ(accounts_->Connect(as("manager"), a).status().code(),
            absl::StatusCode::kPermissionDenied);
  domain::NewPlatformAccount bad = a;
  bad.platform = "myspace";
  absl::StatusOr<int64_t> refused = accounts_->Connect(as("admin"), bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("platform"), std::string_view::npos);

  absl::StatusOr<int64_t> id = accounts_->Connect(as("admin"), a);
  ASSERT_TRUE(id.ok()) << id.status();
  absl::StatusOr<store::Row> raw =
      db().QueryRow("SELECT credentials FROM platform_accounts WHERE id = $1", {*id});
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->GetBlob("credentials")->find("very-secret-token-123"), std::string::npos);
  absl::StatusOr<domain::AccountCredentials> creds =
      domain::ReadAccountCredentials(db(), box_, *id);
  ASSERT_TRUE(creds.ok()) << creds.status();
  EXPECT_EQ(creds->access_token, "very-secret-token-123");
  // Another key cannot open them, and the error does not leak them.
  domain::SecretBox other(domain::SecretKey(std::string(32, 'z')));
  absl::StatusOr<domain::AccountCredentials> wrong =
      domain::ReadAccountCredentials(db(), other, *id);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kDataLoss);

  std::vector<domain::AuditEvent> events = Events("platform_account.connect");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entry.details.find("very-secret"), std::string::npos);

  EXPECT_EQ(accounts_->Pause(as("author"), *id, "tragedy").code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(accounts_->Pause(as("admin"), *id, "community tragedy").ok());
  absl::StatusOr<std::vector<domain::PlatformAccount>> listed =
      accounts_->List(as("author"), cardiology_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].status, domain::AccountStatus::kPaused);
  EXPECT_EQ((*listed)[0].status_reason, "community tragedy");
  EXPECT_EQ(Events("platform_account.pause").size(), 1u);
  ASSERT_TRUE(accounts_->Resume(as("admin"), *id).ok());
  EXPECT_EQ(Events("platform_account.resume").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, CAREPOST_ALL_BACKENDS);

}  // namespace
}  // namespace carepost::dispatch
