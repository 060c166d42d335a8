#include "domain/posts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "domain/plan_testing.h"

namespace carepost::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

const absl::Duration kDay = absl::Hours(24);

GuardReport Findings(std::vector<GuardFinding> findings) {
  return GuardReport{.findings = std::move(findings), .display_json = R"({"master":[]})"};
}
const GuardFinding kClaim{
    .field = "master", .kind = "medical_claim", .type = "cure", .severity = "review"};
const GuardFinding kPhi{.field = "x.text", .kind = "phi", .type = "NAME", .severity = "block"};
const GuardFinding kLong{
    .field = "x.text", .kind = "platform_limit", .type = "length", .severity = "block"};

TEST(RouteFindingsTest, FindingsPickTheReviewers) {
  const auto route = [](std::vector<GuardFinding> f) { return *RouteFindings(f); };
  EXPECT_THAT(route({}).required, ElementsAre(Approval::kManager));
  EXPECT_FALSE(route({}).blocked);
  EXPECT_THAT(route({{.kind = "alarmist", .severity = "review"},
                     {.kind = "reading_level", .severity = "info"}})
                  .required,
              ElementsAre(Approval::kManager));
  EXPECT_THAT(route({kClaim}).required, ElementsAre(Approval::kClinicalReviewer));
  EXPECT_THAT(route({{.kind = "misinformation", .severity = "block"}}).required,
              ElementsAre(Approval::kClinicalReviewer));
  EXPECT_THAT(route({kPhi}).required, ElementsAre(Approval::kCompliance));
  EXPECT_THAT(route({{.kind = "patient_confirmation", .severity = "block"}}).required,
              ElementsAre(Approval::kCompliance));
  EXPECT_THAT(route({kPhi, kClaim}).required,
              ElementsAre(Approval::kClinicalReviewer, Approval::kCompliance));
  EXPECT_TRUE(route({kPhi}).blocked);
  EXPECT_FALSE(route({kClaim}).blocked);
  EXPECT_TRUE(route({kLong}).blocked);
  EXPECT_THAT(route({kLong}).required, ElementsAre(Approval::kManager));
  EXPECT_EQ(RouteFindings({{.kind = "phi", .severity = "fatal"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PostNamesTest, RoundTripAndReservedStates) {
  for (PostStatus s : kAllPostStatuses) EXPECT_EQ(ParsePostStatus(PostStatusName(s)), s);
  EXPECT_EQ(ParsePostStatus("published"), PostStatus::kPublished);
  // Stored and API values are exact: the CSV codec's case-insensitive reading stays there.
  EXPECT_EQ(ParsePostStatus("Published"), std::nullopt);
  for (Approval a : AllApprovals()) {
    EXPECT_EQ(ParseApproval(ApprovalName(a)), a);
    EXPECT_NE(FindPermission(ApprovalPermission(a)), nullptr);
  }
  for (plan::Platform p : plan::kAllPlatforms) EXPECT_TRUE(IsPostPlatform(plan::PlatformName(p)));
  EXPECT_TRUE(IsPostPlatform("bluesky"));
  EXPECT_FALSE(IsPostPlatform("Bluesky"));
  EXPECT_FALSE(IsPostPlatform("myspace"));
}

TEST(TimeZoneTest, OnlyZonesTheTzDatabaseKnows) {
  for (const char* ok : {"America/New_York", "UTC", "Etc/GMT+5", "America/Port-au-Prince",
                         "US/Pacific", "Australia/Lord_Howe"}) {
    EXPECT_TRUE(CheckTimeZone(ok).ok()) << ok;
  }
  // Well-formed names that are not zones are refused too, not only malformed ones.
  for (const std::string& bad :
       {std::string(), std::string(65, 'a'), std::string("New York"), std::string("../etc/passwd"),
        std::string("Europe/Z\xc3\xbcrich"), std::string("America/Springfield"),
        std::string("Mars/Olympus_Mons")}) {
    absl::Status status = CheckTimeZone(bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(status.message()), HasSubstr("time_zone")) << bad;
  }
}

class PostServiceTest : public testing::PlanTest {
 protected:
  // A draft by `author` in Cardiology with an X variant.
  int64_t Draft(const std::string& author = "author", GuardReport guard = Findings({})) {
    absl::StatusOr<int64_t> id = posts_->Create(
        as(author), {.brand_id = cardiology_,
                     .content = {.master_text = "Flu shots are free this week at every clinic.",
                                 .variants = {{.platform = "x",
                                               .text = "Free flu shots this week.",
                                               .link = "https://example.org/flu",
                                               .hashtags = {"FluShot"}}}},
                     .guard = std::move(guard),
                     .scheduled_at = clock_.Now() + 3 * kDay,
                     .time_zone = "America/New_York"});
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }

  PostStatus StatusOf(int64_t id) { return posts_->Get(as("admin"), id)->status; }

  // A post brought to `status` along the usual path (manager approval).
  int64_t PostIn(PostStatus status) {
    const int64_t id = Draft();
    if (status == PostStatus::kDraft) return id;
    EXPECT_TRUE(posts_->Submit(as("author"), id).ok());
    if (status == PostStatus::kInReview) return id;
    if (status == PostStatus::kCancelled) {
      EXPECT_TRUE(posts_->Cancel(as("author"), id).ok());
      return id;
    }
    EXPECT_TRUE(posts_->Approve(as("manager"), id).ok());
    if (status == PostStatus::kApproved) return id;
    EXPECT_TRUE(posts_->Schedule(as("manager"), id).ok());
    return id;
  }

  PostContent Edited(const std::string& text) {
    return {.master_text = text, .variants = {{.platform = "facebook", .text = text}}};
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, PostServiceTest, CAREPOST_ALL_BACKENDS);

TEST_P(PostServiceTest, CreateKeepsContentRoutingAndFindings) {
  const int64_t id = Draft("author", Findings({kClaim}));
  absl::StatusOr<Post> p = posts_->Get(as("analyst"), id);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->status, PostStatus::kDraft);
  EXPECT_EQ(p->revision, 1);
  EXPECT_EQ(p->author_user_id, as("author").user_id());
  EXPECT_EQ(p->brand_id, cardiology_);
  ASSERT_EQ(p->content.variants.size(), 1u);
  EXPECT_EQ(p->content.variants[0].platform, "x");
  EXPECT_EQ(p->content.variants[0].hashtags, std::vector<std::string>{"FluShot"});
  EXPECT_THAT(p->routing.required, ElementsAre(Approval::kClinicalReviewer));
  EXPECT_EQ(p->findings_json, R"({"master":[]})");
  EXPECT_EQ(p->scheduled_at, clock_.Now() + 3 * kDay);
  EXPECT_EQ(p->time_zone, "America/New_York");
  ASSERT_EQ(Events("post.create").size(), 1u);
  // Post text never reaches the audit log.
  EXPECT_THAT(Events("post.create")[0].entry.details, ::testing::Not(HasSubstr("Flu")));
}

TEST_P(PostServiceTest, WritingNeedsPostsDraftForTheBrand) {
  const NewPost post{.brand_id = oncology_, .content = {.master_text = "Hello"}};
  for (const char* who :
       {"clinical_reviewer", "compliance", "responder", "analyst", "cardio_author"}) {
    EXPECT_EQ(posts_->Create(as(who), post).status().code(), absl::StatusCode::kPermissionDenied)
        << who;
  }
  EXPECT_EQ(posts_->Create(as("outsider"), post).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(posts_
                  ->Create(as("cardio_author"),
                           {.brand_id = cardiology_, .content = {.master_text = "Hello"}})
                  .ok());
  const int64_t id = Draft();
  EXPECT_EQ(posts_->Get(as("responder"), id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(posts_->Get(as("outsider"), id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(posts_->Submit(as("outsider"), id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(posts_->Submit(as("analyst"), id).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_P(PostServiceTest, BadContentIsRefusedNamingTheField) {
  const std::vector<std::pair<PostContent, std::string>> cases = {
      {{.master_text = ""}, "master_text"},
      {{.master_text = "a", .variants = {{.platform = "myspace"}}}, "platform"},
      {{.master_text = "a", .variants = {{.platform = "x"}, {.platform = "x"}}}, "x"},
      {{.master_text = "a", .variants = {{.platform = "x", .link = "ftp://e.org"}}}, "link"},
      {{.master_text = "a", .variants = {{.platform = "x", .hashtags = {"#flu"}}}}, "hashtags"},
      {{.master_text = "a", .variants = {{.platform = "x", .hashtags = {"two words"}}}},
       "hashtags"},
      {{.master_text = std::string("a\0b", 3)}, "master_text"},
  };
  for (const auto& [content, field] : cases) {
    const absl::Status s =
        posts_->Create(as("author"), {.brand_id = cardiology_, .content = content}).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(std::string(s.message()), HasSubstr(field));
  }
  EXPECT_THAT(std::string(posts_
                              ->Create(as("author"), {.brand_id = cardiology_,
                                                      .content = {.master_text = "a"},
                                                      .scheduled_at = clock_.Now()})
                              .status()
                              .message()),
              HasSubstr("time_zone"));
  EXPECT_EQ(posts_
                ->Create(as("author"), {.brand_id = cardiology_,
                                        .content = {.master_text = "a"},
                                        .scheduled_at = clock_.Now(),
                                        .time_zone = "Mars/Olympus Mons"})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  // A campaign of another brand.
  absl::StatusOr<int64_t> onc =
      campaigns_->Create(as("manager"), {.brand_id = oncology_, .name = "Onc"});
  ASSERT_TRUE(onc.ok());
  EXPECT_THAT(std::string(posts_
                              ->Create(as("author"), {.brand_id = cardiology_,
                                                      .campaign_id = *onc,
                                                      .content = {.master_text = "a"}})
                              .status()
                              .message()),
              HasSubstr("campaign_id"));
}

TEST_P(PostServiceTest, HappyPathIsAuditedStepByStep) {
  const int64_t id = Draft();
  absl::StatusOr<Post> p = posts_->Submit(as("author"), id, "Ready for review");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->status, PostStatus::kInReview);
  p = posts_->Approve(as("manager"), id, "Looks good");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->status, PostStatus::kApproved);
  ASSERT_EQ(p->approvals.size(), 1u);
  EXPECT_EQ(p->approvals[0].approval, Approval::kManager);
  EXPECT_EQ(p->approvals[0].user_id, as("manager").user_id());
  p = posts_->Schedule(as("manager2"), id, clock_.Now() + kDay, "America/Chicago");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->status, PostStatus::kScheduled);
  EXPECT_EQ(p->scheduled_at, clock_.Now() + kDay);
  EXPECT_EQ(p->time_zone, "America/Chicago");

  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> expected = {
      {"post.submit", "author@example.org", "draft", "in_review"},
      {"post.approve", "manager@example.org", "in_review", "approved"},
      {"post.schedule", "manager2@example.org", "approved", "scheduled"},
  };
  for (const auto& [action, actor, from, to] : expected) {
    const std::vector<AuditEvent> events = Events(action);
    ASSERT_EQ(events.size(), 1u) << action;
    EXPECT_EQ(events[0].entry.actor, actor);
    EXPECT_EQ(events[0].entry.record_type, "post");
    EXPECT_EQ(events[0].entry.record_id, std::to_string(id));
    const nlohmann::json d = nlohmann::json::parse(events[0].entry.details);
    EXPECT_EQ(d["from"], from) << action;
    EXPECT_EQ(d["to"], to) << action;
  }
  absl::StatusOr<std::vector<PostComment>> comments = posts_->Comments(as("analyst"), id);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 2u);
  EXPECT_EQ((*comments)[0].body, "Ready for review");
  EXPECT_EQ((*comments)[1].user_id, as("manager").user_id());
  absl::StatusOr<AuditVerifyReport> report = audit_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

// Every operation from every state: allowed ones move the post, the others are refused
// with FailedPrecondition and change nothing.
TEST_P(PostServiceTest, EveryTransitionAllowedOrRefused) {
  enum Op { kSubmit, kApprove, kRequestChanges, kSchedule, kCancel, kEditContent };
  const std::vector<PostStatus> states = {PostStatus::kDraft, PostStatus::kInReview,
                                          PostStatus::kApproved, PostStatus::kScheduled,
                                          PostStatus::kCancelled};
  // state -> op -> the resulting state, or nullopt when refused.
  const std::map<PostStatus, std::map<Op, std::optional<PostStatus>>> table = {
      {PostStatus::kDraft,
       {{kSubmit, PostStatus::kInReview},
        {kApprove, {}},
        {kRequestChanges, {}},
        {kSchedule, {}},
        {kCancel, PostStatus::kCancelled},
        {kEditContent, PostStatus::kDraft}}},
      {PostStatus::kInReview,
       {{kSubmit, {}},
        {kApprove, PostStatus::kApproved},
        {kRequestChanges, PostStatus::kDraft},
        {kSchedule, {}},
        {kCancel, PostStatus::kCancelled},
        {kEditContent, PostStatus::kInReview}}},
      {PostStatus::kApproved,
       {{kSubmit, {}},
        {kApprove, {}},
        {kRequestChanges, {}},
        {kSchedule, PostStatus::kScheduled},
        {kCancel, PostStatus::kCancelled},
        {kEditContent, PostStatus::kInReview}}},
      {PostStatus::kScheduled,
       {{kSubmit, {}},
        {kApprove, {}},
        {kRequestChanges, {}},
        {kSchedule, PostStatus::kScheduled},
        {kCancel, PostStatus::kCancelled},
        {kEditContent, PostStatus::kInReview}}},
      {PostStatus::kCancelled,
       {{kSubmit, {}},
        {kApprove, {}},
        {kRequestChanges, {}},
        {kSchedule, {}},
        {kCancel, {}},
        {kEditContent, {}}}},
  };
  for (PostStatus from : states) {
    for (const auto& [op, to] : table.at(from)) {
      SCOPED_TRACE(std::string(PostStatusName(from)) + " op " + std::to_string(op));
      const int64_t id = PostIn(from);
      ASSERT_EQ(StatusOf(id), from);
      absl::Status s;
      switch (op) {
        case kSubmit:
          s = posts_->Submit(as("author"), id).status();
          break;
        case kApprove:
          s = posts_->Approve(as("manager"), id).status();
          break;
        case kRequestChanges:
          s = posts_->RequestChanges(as("manager"), id, "Please add the clinic hours").status();
          break;
        case kSchedule:
          s = posts_->Schedule(as("manager"), id, clock_.Now() + 2 * kDay, "UTC").status();
          break;
        case kCancel:
          s = posts_->Cancel(as("manager"), id, "Clinic closed").status();
          break;
        case kEditContent:
          s = posts_
                  ->Update(as("author"), id, {.content = Edited("New text"), .guard = Findings({})})
                  .status();
          break;
      }
      if (to.has_value()) {
        EXPECT_TRUE(s.ok()) << s;
        EXPECT_EQ(StatusOf(id), *to);
      } else {
        EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
        EXPECT_EQ(StatusOf(id), from);
      }
    }
  }
}

TEST_P(PostServiceTest, NobodyApprovesTheirOwnPost) {
  const int64_t id = Draft("manager");
  ASSERT_TRUE(posts_->Submit(as("manager"), id).ok());
  absl::Status s = posts_->Approve(as("manager"), id).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(s.message()), HasSubstr("own post"));
  EXPECT_EQ(posts_->RequestChanges(as("manager"), id, "hmm").status().code(),
            absl::StatusCode::kPermissionDenied);
  // Nor the last editor: manager2 edits it, so only someone else may approve.
  ASSERT_TRUE(
      posts_->Update(as("manager2"), id, {.content = Edited("Better"), .guard = Findings({})})
          .ok());
  EXPECT_EQ(posts_->Approve(as("manager2"), id).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(posts_->Approve(as("manager"), id).status().code(),
            absl::StatusCode::kPermissionDenied);
  const Caller third = MakeCaller("manager3", Role::kManager, cardiology_);
  absl::StatusOr<Post> p = posts_->Approve(third, id);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->status, PostStatus::kApproved);
}

TEST_P(PostServiceTest, FindingsRouteToTheRightReviewers) {
  // A medical claim: clinical review only.
  int64_t id = Draft("author", Findings({kClaim}));
  ASSERT_TRUE(posts_->Submit(as("author"), id).ok());
  for (const char* who : {"manager", "compliance", "admin", "analyst"}) {
    EXPECT_EQ(posts_->Approve(as(who), id).status().code(), absl::StatusCode::kPermissionDenied)
        << who;
  }
  EXPECT_EQ(posts_->Approve(as("clinical_reviewer"), id)->status, PostStatus::kApproved);

  // PHI and a claim: both, in any order; one alone is not enough.
  id = Draft("author", Findings({kPhi, kClaim}));
  ASSERT_TRUE(posts_->Submit(as("author"), id).ok());
  absl::StatusOr<Post> p = posts_->Approve(as("compliance"), id);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->status, PostStatus::kInReview);
  EXPECT_EQ(posts_->Approve(as("compliance"), id).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(posts_->Approve(as("manager"), id).status().code(),
            absl::StatusCode::kPermissionDenied);
  p = posts_->Approve(as("clinical_reviewer"), id);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->status, PostStatus::kApproved);
  ASSERT_EQ(p->approvals.size(), 2u);
  const std::vector<AuditEvent> approvals = Events("post.approve");
  ASSERT_EQ(approvals.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(approvals[1].entry.details)["to"], "in_review");
  EXPECT_EQ(nlohmann::json::parse(approvals[2].entry.details)["to"], "approved");

  // A reviewer whose approval the post does not need cannot request changes either.
  id = Draft("author", Findings({kClaim}));
  ASSERT_TRUE(posts_->Submit(as("author"), id).ok());
  EXPECT_EQ(posts_->RequestChanges(as("compliance"), id, "No").status().code(),
            absl::StatusCode::kPermissionDenied);
}

// Two reviewers approving at the same moment: each sees the other's approval, so the
// post ends approved (not stuck in review with every approval given).
TEST_P(PostServiceTest, ConcurrentApprovalsCompleteTheReview) {
  for (int round = 0; round < 5; ++round) {
    const int64_t id = Draft("author", Findings({kPhi, kClaim}));
    ASSERT_TRUE(posts_->Submit(as("author"), id).ok());
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (const char* who : {"clinical_reviewer", "compliance"}) {
      threads.emplace_back([&, who] {
        absl::StatusOr<Post> p = posts_->Approve(as(who), id);
        if (p.ok()) {
          ++ok;
        } else {
          ADD_FAILURE() << who << ": " << p.status();
        }
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(ok.load(), 2);
    EXPECT_EQ(StatusOf(id), PostStatus::kApproved) << "round " << round;
  }
}

TEST_P(PostServiceTest, ABlockPreventsSchedulingUntilComplianceOverridesWithAReason) {
  const int64_t id = Draft("author", Findings({kPhi}));
  ASSERT_TRUE(posts_->Submit(as("author"), id).ok());
  ASSERT_EQ(posts_->Approve(as("compliance"), id)->status, PostStatus::kApproved);
  absl::Status s = posts_->Schedule(as("manager"), id).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("blocks"));
  for (const char* who : {"manager", "admin", "clinical_reviewer", "author"}) {
    EXPECT_EQ(
        posts_->Override(as(who), id, "The patient signed a HIPAA authorization.").status().code(),
        absl::StatusCode::kPermissionDenied)
        << who;
  }
  EXPECT_EQ(posts_->Override(as("compliance"), id, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(posts_->Override(as("compliance"), id, "ok").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Events("guard.override").empty());
  absl::StatusOr<Post> p =
      posts_->Override(as("compliance"), id, "Authorization on file, form 2026-114.");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->override_.has_value());
  EXPECT_EQ(p->override_->user_id, as("compliance").user_id());
  EXPECT_EQ(posts_->Override(as("compliance"), id, "Again, for the same revision.").status().code(),
            absl::StatusCode::kFailedPrecondition);
  const std::vector<AuditEvent> overrides = Events("guard.override");
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_EQ(overrides[0].entry.actor, "compliance@example.org");
  EXPECT_EQ(overrides[0].entry.record_id, std::to_string(id));
  absl::StatusOr<std::vector<PostComment>> comments = posts_->Comments(as("manager"), id);
  ASSERT_FALSE(comments->empty());
  EXPECT_EQ(comments->back().kind, "override");
  EXPECT_EQ(comments->back().body, "Authorization on file, form 2026-114.");
  EXPECT_EQ(posts_->Schedule(as("manager"), id)->status, PostStatus::kScheduled);
  EXPECT_TRUE(
      nlohmann::json::parse(Events("post.schedule")[0].entry.details)["overridden"].get<bool>());

  // An edit makes a new revision: the override belonged to the old one.
  p = posts_->Update(as("author"), id,
                     {.content = Edited("Still names someone"), .guard = Findings({kPhi})});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->override_.has_value());
  ASSERT_EQ(posts_->Approve(as("compliance"), id)->status, PostStatus::kApproved);
  EXPECT_EQ(posts_->Schedule(as("manager"), id).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Nothing to override.
  const int64_t clean = PostIn(PostStatus::kApproved);
  EXPECT_EQ(
      posts_->Override(as("compliance"), clean, "Nothing blocks here at all.").status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_P(PostServiceTest, EditingAnApprovedPostReturnsItToReviewKeepingTheOldRevision) {
  const int64_t id = PostIn(PostStatus::kScheduled);
  absl::StatusOr<Post> p = posts_->Update(
      as("author"), id,
      {.content = Edited("Flu shots are free until Friday."), .guard = Findings({kClaim})});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->status, PostStatus::kInReview);
  EXPECT_EQ(p->revision, 2);
  EXPECT_TRUE(p->approvals.empty());
  EXPECT_THAT(p->routing.required, ElementsAre(Approval::kClinicalReviewer));
  EXPECT_EQ(p->scheduled_at, clock_.Now() + 3 * kDay);  // the plan keeps its time
  absl::StatusOr<std::vector<PostRevision>> revisions = posts_->Revisions(as("analyst"), id);
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].content.master_text, "Flu shots are free this week at every clinic.");
  ASSERT_EQ((*revisions)[0].content.variants.size(), 1u);
  EXPECT_EQ((*revisions)[0].content.variants[0].platform, "x");
  EXPECT_EQ((*revisions)[1].content.master_text, "Flu shots are free until Friday.");
  EXPECT_EQ((*revisions)[1].content.variants[0].platform, "facebook");
  EXPECT_EQ((*revisions)[1].edited_by, as("author").user_id());
  const nlohmann::json d = nlohmann::json::parse(Events("post.update").back().entry.details);
  EXPECT_EQ(d["from"], "scheduled");
  EXPECT_EQ(d["to"], "in_review");
  EXPECT_EQ(d["revision"], 2);
  // The clinical reviewer is told it waits for them.
  absl::StatusOr<std::vector<Notification>> n =
      notifications_->List(as("clinical_reviewer").user_id(), {});
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(n->size(), 1u);
  EXPECT_EQ((*n)[0].kind, "review_requested");
  EXPECT_EQ((*n)[0].post_id, id);

  // The same content again is no new revision.
  p = posts_->Update(
      as("author"), id,
      {.content = Edited("Flu shots are free until Friday."), .guard = Findings({kClaim})});
  EXPECT_EQ(p->revision, 2);
}

TEST_P(PostServiceTest, DraftsAreEditedInPlaceUntilSubmitted) {
  const int64_t id = Draft();
  ASSERT_EQ(
      posts_->Update(as("author"), id, {.content = Edited("v1b"), .guard = Findings({})})->revision,
      1);
  ASSERT_TRUE(posts_->Submit(as("author"), id).ok());
  ASSERT_TRUE(posts_->RequestChanges(as("manager"), id, "Say where the clinics are").ok());
  EXPECT_EQ(StatusOf(id), PostStatus::kDraft);
  absl::StatusOr<Post> p =
      posts_->Update(as("author"), id, {.content = Edited("v2"), .guard = Findings({})});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->revision, 2);
  EXPECT_EQ(p->status, PostStatus::kDraft);
  p = posts_->Update(as("author"), id, {.content = Edited("v2b"), .guard = Findings({})});
  EXPECT_EQ(p->revision, 2);
  absl::StatusOr<std::vector<PostRevision>> revisions = posts_->Revisions(as("author"), id);
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].content.master_text, "v1b");
  EXPECT_TRUE((*revisions)[0].submitted_at.has_value());
  EXPECT_EQ((*revisions)[1].content.master_text, "v2b");
  // Content needs its guard report.
  EXPECT_EQ(posts_->Update(as("author"), id, {.content = Edited("v3")}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(PostServiceTest, RequestChangesNeedsACommentAndTellsTheAuthor) {
  const int64_t id = PostIn(PostStatus::kInReview);
  EXPECT_EQ(posts_->RequestChanges(as("manager"), id, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(posts_->RequestChanges(as("manager"), id, "Add the clinic hours.").ok());
  absl::StatusOr<std::vector<PostComment>> comments = posts_->Comments(as("author"), id);
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ((*comments)[0].kind, "request_changes");
  EXPECT_EQ((*comments)[0].body, "Add the clinic hours.");
  absl::StatusOr<std::vector<Notification>> n = notifications_->List(as("author").user_id(), {});
  ASSERT_EQ(n->size(), 1u);
  EXPECT_EQ((*n)[0].kind, "changes_requested");
  // The message is carepost's, not the reviewer's text.
  EXPECT_THAT((*n)[0].message, ::testing::Not(HasSubstr("clinic")));
  ASSERT_EQ(Events("post.request_changes").size(), 1u);
}

TEST_P(PostServiceTest, NotificationsReachReviewersAndAuthorAndCanBeMarkedRead) {
  const int64_t id = Draft();
  ASSERT_TRUE(posts_->Submit(as("author"), id).ok());
  // Both managers may give the approval this post needs; nobody else is told.
  for (const char* who : {"manager", "manager2"}) {
    EXPECT_EQ(*notifications_->UnreadCount(as(who).user_id()), 1) << who;
  }
  for (const char* who : {"author", "clinical_reviewer", "compliance", "admin", "analyst"}) {
    EXPECT_EQ(*notifications_->UnreadCount(as(who).user_id()), 0) << who;
  }
  ASSERT_TRUE(posts_->Approve(as("manager"), id).ok());
  absl::StatusOr<std::vector<Notification>> n =
      notifications_->List(as("author").user_id(), {.unread_only = true});
  ASSERT_EQ(n->size(), 1u);
  EXPECT_EQ((*n)[0].kind, "approved");
  EXPECT_EQ(notifications_->MarkRead(as("manager").user_id(), (*n)[0].id).code(),
            absl::StatusCode::kNotFound);  // not theirs
  ASSERT_TRUE(notifications_->MarkRead(as("author").user_id(), (*n)[0].id).ok());
  ASSERT_TRUE(notifications_->MarkRead(as("author").user_id(), (*n)[0].id).ok());
  EXPECT_EQ(*notifications_->UnreadCount(as("author").user_id()), 0);
  EXPECT_EQ(notifications_->List(as("author").user_id(), {})->size(), 1u);
  EXPECT_EQ(*notifications_->MarkAllRead(as("manager2").user_id()), 1);
  EXPECT_EQ(*notifications_->UnreadCount(as("manager2").user_id()), 0);
}

TEST_P(PostServiceTest, SchedulingRules) {
  const int64_t id = PostIn(PostStatus::kApproved);
  for (const char* who : {"author", "clinical_reviewer", "compliance", "analyst"}) {
    EXPECT_EQ(posts_->Schedule(as(who), id).status().code(), absl::StatusCode::kPermissionDenied)
        << who;
  }
  EXPECT_EQ(
      posts_->Schedule(as("manager"), id, clock_.Now() - absl::Minutes(1), "UTC").status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(posts_->Schedule(as("manager"), id, clock_.Now() + kDay, "Not a zone").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Moving a scheduled post is scheduling it again; editing its time is refused.
  ASSERT_TRUE(posts_->Schedule(as("admin"), id).ok());
  EXPECT_EQ(posts_->Update(as("author"), id, {.scheduled_at = clock_.Now() + kDay}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Post> p = posts_->Schedule(as("manager"), id, clock_.Now() + 5 * kDay);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->scheduled_at, clock_.Now() + 5 * kDay);
  EXPECT_EQ(p->time_zone, "America/New_York");
  // Cancelling a scheduled post takes posts.schedule.
  EXPECT_EQ(posts_->Cancel(as("author"), id).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(posts_->Cancel(as("manager"), id)->status, PostStatus::kCancelled);
  // A draft's time can be changed while drafting; a post without time cannot be scheduled.
  absl::StatusOr<int64_t> bare =
      posts_->Create(as("author"), {.brand_id = cardiology_, .content = {.master_text = "Hi"}});
  ASSERT_TRUE(bare.ok());
  ASSERT_TRUE(posts_->Submit(as("author"), *bare).ok());
  ASSERT_TRUE(posts_->Approve(as("manager"), *bare).ok());
  EXPECT_THAT(std::string(posts_->Schedule(as("manager"), *bare).status().message()),
              HasSubstr("scheduled_at"));
  p = posts_->Update(as("author"), *bare,
                     {.scheduled_at = clock_.Now() + kDay, .time_zone = "Europe/Berlin"});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->status, PostStatus::kApproved);  // a new time is no new content
  EXPECT_EQ(posts_->Schedule(as("manager"), *bare)->status, PostStatus::kScheduled);
}

TEST_P(PostServiceTest, TimesInThePastAreRefusedNamingTheField) {
  const int64_t id = Draft();
  const std::optional<absl::Time> planned = posts_->Get(as("author"), id)->scheduled_at;
  for (absl::Time past : {clock_.Now() - absl::Minutes(1), clock_.Now()}) {
    absl::Status s =
        posts_->Update(as("author"), id, {.scheduled_at = past, .time_zone = "UTC"}).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()),
                ::testing::StartsWith("scheduled_at must be in the future"));
  }
  // Nothing changed, and the refusal was not audited as an update.
  EXPECT_EQ(posts_->Get(as("author"), id)->scheduled_at, planned);
  EXPECT_TRUE(Events("post.update").empty());
  // A time set earlier that has since passed does not stop other edits.
  ASSERT_TRUE(
      posts_->Update(as("author"), id, {.scheduled_at = clock_.Now() + kDay, .time_zone = "UTC"})
          .ok());
  clock_.Advance(2 * kDay);
  EXPECT_TRUE(posts_->Update(as("author"), id, {.campaign_id = std::optional<int64_t>()}).ok());
  // Clearing the time is always allowed.
  absl::StatusOr<Post> p =
      posts_->Update(as("author"), id, {.scheduled_at = std::optional<absl::Time>()});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->scheduled_at.has_value());
  // Schedule() says the same.
  const int64_t approved = PostIn(PostStatus::kApproved);
  absl::Status s =
      posts_->Schedule(as("manager"), approved, clock_.Now() - absl::Hours(1), "UTC").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              ::testing::StartsWith("scheduled_at must be in the future"));
}

TEST_P(PostServiceTest, InlineCommentsPointAtASpanOfARevision) {
  const int64_t id = PostIn(PostStatus::kInReview);
  // "Free flu shots this week.\n\n#FluShot": X's text as published; "flu shots" is [5, 14).
  absl::StatusOr<PostComment> c =
      posts_->AddComment(as("clinical_reviewer"), id, "Which clinics?",
                         CommentAnchor{.field = "x.text", .start = 5, .end = 14});
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE(c->anchor.has_value());
  EXPECT_EQ(c->anchor->revision, 1);  // 0 means the current revision
  // An edit makes revision 2; a comment may still point into revision 1.
  ASSERT_TRUE(posts_
                  ->Update(as("author"), id,
                           {.content = Edited("Free flu shots at all five clinics."),
                            .guard = Findings({})})
                  .ok());
  c = posts_->AddComment(as("manager"), id, "Good.",
                         CommentAnchor{.revision = 1, .field = "master", .start = 0, .end = 4});
  ASSERT_TRUE(c.ok()) << c.status();
  // Revision 2 has no X version; revision 3 does not exist; spans are checked.
  struct Case {
    CommentAnchor anchor;
    const char* names;
  };
  for (const Case& k :
       {Case{{.field = "x.text", .start = 0, .end = 4}, "anchor.field"},
        Case{{.field = "facebook.link", .start = 0, .end = 4}, "anchor.field"},
        Case{{.revision = 3, .field = "master", .start = 0, .end = 4}, "anchor.revision"},
        Case{{.field = "master", .start = 0, .end = 400}, "anchor.end"},
        Case{{.field = "master", .start = 40, .end = 41}, "anchor.start"}}) {
    const absl::Status s = posts_->AddComment(as("manager"), id, "x", k.anchor).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << k.names;
    EXPECT_THAT(std::string(s.message()), ::testing::StartsWith(k.names));
  }
  absl::StatusOr<std::vector<PostComment>> all = posts_->Comments(as("author"), id);
  ASSERT_TRUE(all.ok()) << all.status();
  int anchored = 0;
  for (const PostComment& x : *all) anchored += x.anchor.has_value();
  EXPECT_EQ(anchored, 2);
  EXPECT_EQ(all->back().anchor->revision, 1);
  EXPECT_EQ(all->back().anchor->field, "master");
  EXPECT_EQ(all->back().anchor->end, 4);
  // Audited with where it points, never the words.
  const std::vector<AuditEvent> events = Events("post.comment");
  ASSERT_EQ(events.size(), 2u);
  const nlohmann::json d = nlohmann::json::parse(events[0].entry.details);
  EXPECT_EQ(d["anchor"]["field"], "x.text");
  EXPECT_EQ(d["anchor"]["start"], 5);
  EXPECT_EQ(events[0].entry.details.find("clinics"), std::string::npos);
}

TEST_P(PostServiceTest, DeleteOnlyNeverSubmittedDrafts) {
  const int64_t fresh = Draft();
  EXPECT_EQ(posts_->Delete(as("analyst"), fresh).code(), absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(posts_->Delete(as("author"), fresh).ok());
  EXPECT_EQ(posts_->Get(as("author"), fresh).status().code(), absl::StatusCode::kNotFound);
  ASSERT_EQ(Events("post.delete").size(), 1u);
  const int64_t id = PostIn(PostStatus::kInReview);
  ASSERT_TRUE(posts_->RequestChanges(as("manager"), id, "Shorter please").ok());
  EXPECT_EQ(posts_->Delete(as("author"), id).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(PostServiceTest, ListFiltersForTheCalendarAndTheQueue) {
  absl::StatusOr<int64_t> flu =
      campaigns_->Create(as("manager"), {.brand_id = cardiology_, .name = "Flu"});
  ASSERT_TRUE(flu.ok());
  const absl::Time t0 = clock_.Now();
  std::vector<int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<int64_t> id = posts_->Create(
        as("author"), {.brand_id = i < 3 ? cardiology_ : oncology_,
                       .campaign_id = i < 2 ? std::optional<int64_t>(*flu) : std::nullopt,
                       .content = {.master_text = "Post " + std::to_string(i),
                                   .variants = {{.platform = i % 2 == 0 ? "x" : "bluesky"}}},
                       .scheduled_at = t0 + (i + 1) * kDay,
                       .time_zone = "UTC"});
    ASSERT_TRUE(id.ok()) << id.status();
    ids.push_back(*id);
  }
  ASSERT_TRUE(posts_->Submit(as("author"), ids[1]).ok());
  const auto list = [&](const std::string& who, PostQuery q) {
    std::vector<int64_t> out;
    absl::StatusOr<std::vector<Post>> posts = posts_->List(as(who), q);
    EXPECT_TRUE(posts.ok()) << posts.status();
    if (posts.ok()) {
      for (const Post& p : *posts) out.push_back(p.id);
    }
    return out;
  };
  EXPECT_EQ(list("analyst", {}), ids);
  EXPECT_THAT(list("cardio_author", {}), ElementsAre(ids[0], ids[1], ids[2]));
  EXPECT_THAT(list("analyst", {.brand_id = oncology_}), ElementsAre(ids[3]));
  EXPECT_THAT(list("analyst", {.campaign_id = *flu}), ElementsAre(ids[0], ids[1]));
  EXPECT_THAT(list("analyst", {.platform = "bluesky"}), ElementsAre(ids[1], ids[3]));
  EXPECT_THAT(list("analyst", {.status = PostStatus::kInReview}), ElementsAre(ids[1]));
  EXPECT_THAT(list("analyst", {.from = t0 + 2 * kDay, .to = t0 + 4 * kDay}),
              ElementsAre(ids[1], ids[2]));
  EXPECT_THAT(list("analyst", {.limit = 2}), ElementsAre(ids[0], ids[1]));
  EXPECT_THAT(list("analyst", {.after_id = ids[1], .limit = 2}), ElementsAre(ids[2], ids[3]));
  EXPECT_THAT(list("manager", {.awaiting_my_review = true}), ElementsAre(ids[1]));
  EXPECT_TRUE(list("clinical_reviewer", {.awaiting_my_review = true}).empty());
  EXPECT_TRUE(list("author", {.awaiting_my_review = true}).empty());
  EXPECT_TRUE(list("responder", {}).empty());
  EXPECT_TRUE(list("outsider", {}).empty());
}

TEST_P(PostServiceTest, ReadsAreAuditedByWhomAndWhich) {
  const int64_t a = Draft("author", Findings({kPhi}));
  const int64_t b = Draft("author", Findings({}));
  ASSERT_TRUE(Events("post.view").empty());
  ASSERT_TRUE(posts_->Get(as("analyst"), a).ok());
  ASSERT_TRUE(posts_->Revisions(as("analyst"), a).ok());
  ASSERT_TRUE(posts_->Comments(as("analyst"), a).ok());
  std::vector<AuditEvent> views = Events("post.view");
  ASSERT_EQ(views.size(), 3u);
  for (const AuditEvent& e : views) {
    EXPECT_EQ(e.entry.record_id, std::to_string(a));
    EXPECT_EQ(e.entry.actor_user_id, as("analyst").user_id());
  }
  std::vector<std::string> reads;
  for (const AuditEvent& e : views) reads.push_back(nlohmann::json::parse(e.entry.details)["read"]);
  EXPECT_THAT(reads, ::testing::UnorderedElementsAre("post", "revisions", "comments"));

  ASSERT_TRUE(posts_->List(as("analyst"), {.summary_only = true}).ok());
  std::vector<AuditEvent> lists = Events("post.list");
  ASSERT_EQ(lists.size(), 1u);
  const nlohmann::json details = nlohmann::json::parse(lists[0].entry.details);
  EXPECT_EQ(details["read"], "calendar");
  EXPECT_EQ(details["post_ids"], nlohmann::json::array({a, b}));
  // A read refused, or a list with nothing in it, read nothing.
  EXPECT_FALSE(posts_->Get(as("outsider"), a).ok());
  ASSERT_TRUE(posts_->List(as("responder"), {}).ok());
  EXPECT_EQ(Events("post.view").size(), 3u);
  EXPECT_EQ(Events("post.list").size(), 1u);
}

TEST_P(PostServiceTest, SummaryListsReadWhatTheCalendarDraws) {
  const int64_t blocked = Draft("author", Findings({kPhi}));
  ASSERT_TRUE(posts_->Submit(as("author"), blocked).ok());
  ASSERT_TRUE(posts_->Approve(as("compliance"), blocked).ok());
  ASSERT_TRUE(posts_->Override(as("compliance"), blocked, "Authorization on file, form 7.").ok());
  absl::StatusOr<int64_t> plain = posts_->Create(
      as("author"),
      {.brand_id = cardiology_,
       .content = {.master_text = "Flu shots Saturday",
                   .variants = {{.platform = "x", .text = "Flu shots!", .hashtags = {"flu"}},
                                {.platform = "bluesky", .link = "https://example.org/flu"}}}});
  ASSERT_TRUE(plain.ok()) << plain.status();

  absl::StatusOr<std::vector<Post>> full = posts_->List(as("analyst"), {});
  absl::StatusOr<std::vector<Post>> summary = posts_->List(as("analyst"), {.summary_only = true});
  ASSERT_TRUE(full.ok()) << full.status();
  ASSERT_TRUE(summary.ok()) << summary.status();
  ASSERT_EQ(summary->size(), full->size());
  for (size_t i = 0; i < full->size(); ++i) {
    const Post& f = (*full)[i];
    const Post& s = (*summary)[i];
    EXPECT_EQ(s.id, f.id);
    EXPECT_EQ(s.status, f.status);
    EXPECT_EQ(s.content.master_text, f.content.master_text);
    EXPECT_EQ(s.routing.blocked, f.routing.blocked);
    EXPECT_EQ(s.override_.has_value(), f.override_.has_value());
    EXPECT_EQ(s.findings_json, "{}");
    EXPECT_TRUE(s.approvals.empty());
    ASSERT_EQ(s.content.variants.size(), f.content.variants.size());
    for (size_t v = 0; v < f.content.variants.size(); ++v) {
      EXPECT_EQ(s.content.variants[v].platform, f.content.variants[v].platform);
      EXPECT_TRUE(s.content.variants[v].text.empty());
      EXPECT_TRUE(s.content.variants[v].hashtags.empty());
    }
  }
  const auto by_id = [&](int64_t id) {
    for (const Post& p : *summary)
      if (p.id == id) return p;
    return Post{};
  };
  EXPECT_TRUE(by_id(blocked).routing.blocked);
  EXPECT_TRUE(by_id(blocked).override_.has_value());
  EXPECT_THAT(by_id(*plain).content.variants,
              ElementsAre(Field(&Variant::platform, "bluesky"), Field(&Variant::platform, "x")));
}

}  // namespace
}  // namespace carepost::domain
