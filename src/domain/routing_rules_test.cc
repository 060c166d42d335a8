#include "domain/routing_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/plan_testing.h"

namespace carepost::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const GuardFinding kAlarmist{
    .field = "master", .kind = "alarmist", .type = "fear", .severity = "review"};
const GuardFinding kNote{
    .field = "master", .kind = "reading_level", .type = "grade", .severity = "info"};

Routing Route(const BrandRouting& rules, const RoutingFacts& facts) {
  return ApplyRoutingRules(*RouteFindings(facts.findings), rules, facts);
}

TEST(ApplyRoutingRulesTest, NoRulesKeepsTheFindingsRouting) {
  EXPECT_THAT(Route({}, {.findings = {kAlarmist}}).required, ElementsAre(Approval::kManager));
}

TEST(ApplyRoutingRulesTest, RulesAddApprovalsByFindingPlatformAndCampaign) {
  const BrandRouting rules{
      .rules = {
          {.finding_kind = "alarmist",
           .min_severity = "review",
           .require = Approval::kClinicalReviewer},
          {.campaign_type = "misinformation_response", .require = Approval::kClinicalReviewer},
          {.platform = "tiktok", .require = Approval::kCompliance},
      }};
  // Alarmist wording at review: clinical review instead of the manager's.
  EXPECT_THAT(Route(rules, {.findings = {kAlarmist}}).required,
              ElementsAre(Approval::kClinicalReviewer));
  // Below the rule's severity floor, or another kind: the manager as before.
  GuardFinding mild = kAlarmist;
  mild.severity = "info";
  EXPECT_THAT(Route(rules, {.findings = {mild, kNote}}).required, ElementsAre(Approval::kManager));
  EXPECT_THAT(Route(rules, {.campaign_type = "misinformation_response"}).required,
              ElementsAre(Approval::kClinicalReviewer));
  EXPECT_THAT(Route(rules, {.campaign_type = "seasonal"}).required,
              ElementsAre(Approval::kManager));
  EXPECT_THAT(Route(rules, {.platforms = {"x", "tiktok"}}).required,
              ElementsAre(Approval::kCompliance));
  EXPECT_THAT(Route(rules, {.platforms = {"tiktok"}, .findings = {kAlarmist}}).required,
              ElementsAre(Approval::kClinicalReviewer, Approval::kCompliance));
  // The block stays the findings'.
  EXPECT_FALSE(Route(rules, {.platforms = {"tiktok"}}).blocked);
}

TEST(ApplyRoutingRulesTest, AnExplicitManagerRuleKeepsTheManagerBesideReviewers) {
  const BrandRouting rules{.rules = {{.require = Approval::kManager},
                                     {.platform = "x", .require = Approval::kCompliance}}};
  EXPECT_THAT(Route(rules, {.platforms = {"x"}}).required,
              ElementsAre(Approval::kManager, Approval::kCompliance));
}

TEST(RoutingRulesJsonTest, RoundTripsAndNamesTheBadRule) {
  const BrandRouting rules{.rules = {{.platform = "x", .require = Approval::kCompliance},
                                     {.finding_kind = "alarmist",
                                      .min_severity = "block",
                                      .require = Approval::kClinicalReviewer}}};
  absl::StatusOr<BrandRouting> back = ParseRoutingRules(RoutingRulesJson(rules));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->rules, rules.rules);
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {R"({"rules":[{"platform":"myspace","require":"manager"}]})", "rules[0].platform"},
           {R"({"rules":[{"require":"boss"}]})", "rules[0].require"},
           {R"({"rules":[{"platform":"x"}]})", "rules[0].require"},
           {R"({"rules":[{"require":"manager"},{"min_severity":"block","require":"manager"}]})",
            "rules[1].min_severity"},
           {R"({"rules":[{"finding_kind":"gossip","require":"manager"}]})",
            "rules[0].finding_kind"},
           {R"({"rules":[{"colour":"red","require":"manager"}]})", "rules[0] has only"},
           {R"({"rules":{}})", "rules must be a list"},
       }) {
    absl::StatusOr<BrandRouting> bad = ParseRoutingRules(text);
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(bad.status().message()), HasSubstr(expected)) << text;
  }
}

class RoutingRuleServiceTest : public testing::PlanTest {
 protected:
  void SetUp() override {
    PlanTest::SetUp();
    if (HasFatalFailure()) return;
    rules_ = std::make_unique<RoutingRuleService>(db(), clock_, *audit_);
  }
  std::unique_ptr<RoutingRuleService> rules_;
};

TEST_P(RoutingRuleServiceTest, ManagersSetTheRulesAndPostsFollowThem) {
  const BrandRouting tiktok{.rules = {{.platform = "tiktok", .require = Approval::kCompliance}}};
  EXPECT_EQ(rules_->Put(as("author"), cardiology_, tiktok).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(rules_->Put(as("outsider"), cardiology_, tiktok).status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<BrandRouting> stored = rules_->Put(as("manager"), cardiology_, tiktok);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->rules, tiktok.rules);
  EXPECT_EQ(rules_->Get(as("author"), cardiology_)->rules, tiktok.rules);
  EXPECT_TRUE(rules_->Get(as("author"), oncology_)->rules.empty());
  EXPECT_EQ(Events("routing.update").size(), 1u);

  // A TikTok post of Cardiology needs compliance; of Oncology, a manager as before.
  NewPost post{
      .brand_id = cardiology_,
      .content = {.master_text = "Flu shots today.", .variants = {{.platform = "tiktok"}}}};
  absl::StatusOr<int64_t> id = posts_->Create(as("author"), post);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_THAT(posts_->Get(as("author"), *id)->routing.required, ElementsAre(Approval::kCompliance));
  post.brand_id = oncology_;
  id = posts_->Create(as("author"), post);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_THAT(posts_->Get(as("author"), *id)->routing.required, ElementsAre(Approval::kManager));
  // An edit is routed by the rules too: dropping TikTok drops compliance.
  post.brand_id = cardiology_;
  id = posts_->Create(as("author"), post);
  PostEdit edit{
      .content = PostContent{.master_text = "Flu shots today.", .variants = {{.platform = "x"}}},
      .guard = GuardReport{}};
  absl::StatusOr<Post> edited = posts_->Update(as("author"), *id, edit);
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_THAT(edited->routing.required, ElementsAre(Approval::kManager));
}

TEST_P(RoutingRuleServiceTest, MovingAPostToAnotherCampaignCannotSkipAnApproval) {
  const BrandRouting rules{.rules = {{.campaign_type = "misinformation_response",
                                      .require = Approval::kClinicalReviewer}}};
  ASSERT_TRUE(rules_->Put(as("manager"), cardiology_, rules).ok());
  absl::StatusOr<int64_t> flu = campaigns_->Create(
      as("manager"), {.brand_id = cardiology_, .name = "Flu", .type = CampaignType::kSeasonal});
  absl::StatusOr<int64_t> myths = campaigns_->Create(
      as("manager"),
      {.brand_id = cardiology_, .name = "Myths", .type = CampaignType::kMisinformationResponse});
  ASSERT_TRUE(flu.ok() && myths.ok());
  const auto create = [&] {
    absl::StatusOr<int64_t> id = posts_->Create(
        as("author"),
        {.brand_id = cardiology_,
         .campaign_id = *flu,
         .content = {.master_text = "Vaccines are safe.", .variants = {{.platform = "x"}}}});
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  };
  // A draft moved into the misinformation campaign now needs a clinical reviewer.
  const int64_t draft = create();
  EXPECT_THAT(posts_->Get(as("author"), draft)->routing.required, ElementsAre(Approval::kManager));
  absl::StatusOr<Post> moved =
      posts_->Update(as("author"), draft, {.campaign_id = std::optional<int64_t>(*myths)});
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_THAT(moved->routing.required, ::testing::Contains(Approval::kClinicalReviewer));
  ASSERT_TRUE(posts_->Submit(as("author"), draft).ok());
  // A manager alone can no longer approve it.
  (void)posts_->Approve(as("manager"), draft);
  EXPECT_EQ(posts_->Get(as("author"), draft)->status, PostStatus::kInReview);
  // An approved post cannot change campaign without going back to review.
  const int64_t approved = create();
  ASSERT_TRUE(posts_->Submit(as("author"), approved).ok());
  ASSERT_EQ(posts_->Approve(as("manager"), approved)->status, PostStatus::kApproved);
  absl::Status s =
      posts_->Update(as("author"), approved, {.campaign_id = std::optional<int64_t>(*myths)})
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("campaign_id"));
  EXPECT_EQ(posts_->Get(as("author"), approved)->campaign_id, *flu);
}

INSTANTIATE_TEST_SUITE_P(Backends, RoutingRuleServiceTest, CAREPOST_ALL_BACKENDS);

}  // namespace
}  // namespace carepost::domain
