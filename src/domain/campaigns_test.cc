#include "domain/campaigns.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/plan_testing.h"

namespace carepost::domain {
namespace {

using ::testing::HasSubstr;

TEST(WithUtmTest, AddsParametersBeforeTheFragment) {
  const UtmParams p{.source = "facebook", .medium = "social", .campaign = "flu-shots-2026"};
  EXPECT_EQ(WithUtm("https://example.org/flu", p),
            "https://example.org/flu?utm_source=facebook&utm_medium=social&"
            "utm_campaign=flu-shots-2026");
  EXPECT_EQ(WithUtm("https://example.org/flu?lang=es#where", p),
            "https://example.org/flu?lang=es&utm_source=facebook&utm_medium=social&"
            "utm_campaign=flu-shots-2026#where");
  EXPECT_EQ(WithUtm("HTTP://example.org/", p),
            "HTTP://example.org/?utm_source=facebook&utm_medium=social&"
            "utm_campaign=flu-shots-2026");
}

TEST(WithUtmTest, ReplacesExistingUtmParametersAndKeepsOthers) {
  const UtmParams p{.source = "x", .medium = "social", .campaign = "heart", .content = "42"};
  EXPECT_EQ(WithUtm("https://e.org/?utm_source=old&a=1&utm_campaign=old&utm_term=t", p),
            "https://e.org/?a=1&utm_term=t&utm_source=x&utm_medium=social&utm_campaign=heart&"
            "utm_content=42");
}

TEST(WithUtmTest, PercentEncodesValues) {
  EXPECT_EQ(WithUtm("https://e.org", {.campaign = "Heart Month & you"}),
            "https://e.org?utm_campaign=Heart%20Month%20%26%20you");
}

TEST(WithUtmTest, LeavesOtherLinksAlone) {
  const UtmParams p{.source = "x", .campaign = "c"};
  EXPECT_EQ(WithUtm("", p), "");
  EXPECT_EQ(WithUtm("mailto:info@example.org", p), "mailto:info@example.org");
  EXPECT_EQ(WithUtm("example.org/flu", p), "example.org/flu");
  EXPECT_EQ(WithUtm("https://example.org/flu", {.source = "x"}), "https://example.org/flu");
}

TEST(UtmSlugTest, LowerCaseDashes) {
  EXPECT_EQ(UtmSlug("Flu Shots 2026!"), "flu-shots-2026");
  EXPECT_EQ(UtmSlug("  Heart -- Month  "), "heart-month");
  EXPECT_EQ(UtmSlug("Café"), "caf");
  EXPECT_EQ(UtmSlug(std::string(300, 'a')).size(), 100u);
}

TEST(CheckDateTest, RealDaysOnly) {
  EXPECT_TRUE(CheckDate("start_date", "2026-02-28").ok());
  EXPECT_TRUE(CheckDate("start_date", "2028-02-29").ok());
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01",
                          "2026-01-01T00:00", "abcd-ef-gh", ""}) {
    absl::Status s = CheckDate("start_date", bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(s.message()), HasSubstr("start_date")) << bad;
  }
}

TEST(CampaignTypeTest, NamesRoundTrip) {
  for (CampaignType t : AllCampaignTypes()) EXPECT_EQ(ParseCampaignType(CampaignTypeName(t)), t);
  EXPECT_EQ(AllCampaignTypes().size(), 7u);
  EXPECT_EQ(ParseCampaignType("Seasonal"), std::nullopt);
}

class CampaignServiceTest : public testing::PlanTest {};

INSTANTIATE_TEST_SUITE_P(Backends, CampaignServiceTest, CAREPOST_ALL_BACKENDS);

TEST_P(CampaignServiceTest, CreateGetUpdateDeleteAudited) {
  absl::StatusOr<int64_t> id = campaigns_->Create(as("manager"), {.brand_id = cardiology_,
                                                                  .name = "Flu Shots 2026",
                                                                  .type = CampaignType::kSeasonal,
                                                                  .goal = "5,000 shots",
                                                                  .start_date = "2026-10-01",
                                                                  .end_date = "2026-11-30",
                                                                  .tags = {"flu", "vaccines"},
                                                                  .observance_key = "nivw"});
  ASSERT_TRUE(id.ok()) << id.status();
  absl::StatusOr<Campaign> c = campaigns_->Get(as("analyst"), *id);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->name, "Flu Shots 2026");
  EXPECT_EQ(c->type, CampaignType::kSeasonal);
  EXPECT_EQ(c->tags, (std::vector<std::string>{"flu", "vaccines"}));
  EXPECT_EQ(c->owner_user_id, as("manager").user_id());
  EXPECT_EQ(c->utm_campaign, "flu-shots-2026");
  EXPECT_EQ(c->organization_id, org_);

  absl::StatusOr<Campaign> u = campaigns_->Update(
      as("admin"), *id,
      {.name = "Flu 2026", .end_date = "2026-12-15", .tags = std::vector<std::string>{}});
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->name, "Flu 2026");
  EXPECT_EQ(u->end_date, "2026-12-15");
  EXPECT_TRUE(u->tags.empty());
  EXPECT_EQ(u->utm_campaign, "flu-shots-2026");  // links keep their campaign tag

  ASSERT_TRUE(campaigns_->Delete(as("manager"), *id).ok());
  EXPECT_EQ(campaigns_->Get(as("manager"), *id).status().code(), absl::StatusCode::kNotFound);
  ASSERT_EQ(Events("campaign.create").size(), 1u);
  EXPECT_EQ(Events("campaign.update").size(), 1u);
  EXPECT_EQ(Events("campaign.delete").size(), 1u);
  const AuditEvent e = Events("campaign.create")[0];
  EXPECT_EQ(e.entry.record_type, "campaign");
  EXPECT_EQ(e.entry.record_id, std::to_string(*id));
  EXPECT_EQ(e.entry.actor, "manager@example.org");
  // Names and goals are free text: they stay out of the audit details.
  EXPECT_THAT(e.entry.details, ::testing::Not(HasSubstr("Flu")));
}

TEST_P(CampaignServiceTest, OnlyManagersAndAdminsPlanAndOnlyTheirOrganization) {
  const NewCampaign c{
      .brand_id = cardiology_, .name = "Heart Month", .type = CampaignType::kAwareness};
  for (const char* who :
       {"author", "cardio_author", "clinical_reviewer", "compliance", "responder", "analyst"}) {
    EXPECT_EQ(campaigns_->Create(as(who), c).status().code(), absl::StatusCode::kPermissionDenied)
        << who;
  }
  EXPECT_EQ(campaigns_->Create(as("outsider"), c).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<int64_t> id = campaigns_->Create(as("manager"), c);
  ASSERT_TRUE(id.ok()) << id.status();
  // Reading needs posts.read for the brand; another organization sees nothing.
  EXPECT_TRUE(campaigns_->Get(as("cardio_author"), *id).ok());
  EXPECT_EQ(campaigns_->Get(as("responder"), *id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->Get(as("outsider"), *id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->Update(as("author"), *id, {.name = "x"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(campaigns_->Delete(as("outsider"), *id).code(), absl::StatusCode::kNotFound);
}

TEST_P(CampaignServiceTest, ListIsScopedToReadableBrandsAndPaged) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        campaigns_
            ->Create(as("manager"), {.brand_id = cardiology_, .name = "C" + std::to_string(i)})
            .ok());
    ASSERT_TRUE(
        campaigns_->Create(as("manager"), {.brand_id = oncology_, .name = "O" + std::to_string(i)})
            .ok());
  }
  absl::StatusOr<std::vector<Campaign>> all = campaigns_->List(as("analyst"), {});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 6u);
  absl::StatusOr<std::vector<Campaign>> cardio = campaigns_->List(as("cardio_author"), {});
  ASSERT_TRUE(cardio.ok());
  ASSERT_EQ(cardio->size(), 3u);
  for (const Campaign& c : *cardio) EXPECT_EQ(c.brand_id, cardiology_);
  EXPECT_TRUE(campaigns_->List(as("cardio_author"), {.brand_id = oncology_})->empty());
  EXPECT_TRUE(campaigns_->List(as("responder"), {})->empty());
  EXPECT_TRUE(campaigns_->List(as("outsider"), {})->empty());
  absl::StatusOr<std::vector<Campaign>> page =
      campaigns_->List(as("analyst"), {.brand_id = oncology_, .limit = 2});
  ASSERT_EQ(page->size(), 2u);
  absl::StatusOr<std::vector<Campaign>> next = campaigns_->List(
      as("analyst"), {.brand_id = oncology_, .after_id = page->back().id, .limit = 2});
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ(next->front().name, "O2");
}

TEST_P(CampaignServiceTest, BadFieldsAreNamed) {
  const auto create = [&](NewCampaign c) {
    c.brand_id = cardiology_;
    if (c.name.empty()) c.name = "Ok";
    return campaigns_->Create(as("manager"), c).status();
  };
  const std::vector<std::pair<NewCampaign, std::string>> cases = {
      {{.name = std::string(201, 'n')}, "name"},
      {{.name = "a\nb"}, "name"},
      {{.start_date = "2026-02-30"}, "start_date"},
      {{.start_date = "2026-03-02", .end_date = "2026-03-01"}, "end_date"},
      {{.tags = {""}}, "tags"},
      {{.observance_key = "Heart Month"}, "observance_key"},
      {{.utm_campaign = "a b"}, "utm_campaign"},
  };
  for (const auto& [c, field] : cases) {
    const absl::Status s = create(c);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(std::string(s.message()), HasSubstr(field));
  }
  EXPECT_EQ(
      campaigns_->Create(as("manager"), {.brand_id = other_brand_, .name = "x"}).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(campaigns_
                ->Create(as("manager"), {.brand_id = cardiology_,
                                         .name = "x",
                                         .owner_user_id = as("outsider").user_id()})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(CampaignServiceTest, ACampaignWithPostsIsNotDeleted) {
  absl::StatusOr<int64_t> id =
      campaigns_->Create(as("manager"), {.brand_id = cardiology_, .name = "Heart Month"});
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(posts_
                  ->Create(as("author"), {.brand_id = cardiology_,
                                          .campaign_id = *id,
                                          .content = {.master_text = "Know your numbers."}})
                  .ok());
  EXPECT_EQ(campaigns_->Delete(as("manager"), *id).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace carepost::domain
