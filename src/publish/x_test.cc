// The X connector against platformsim, in process, including every fault.
#include "publish/x.h"

#include "gtest/gtest.h"
#include "platformsim/platformsim.h"

namespace carepost::publish {
namespace {

using platformsim::Fault;

class XTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = platformsim::PlatformSim::Start({.hang_for = absl::Seconds(3)});
    ASSERT_TRUE(sim.ok()) << sim.status();
    sim_ = std::move(*sim);
    auto http = NewHttpClient(
        {.connect_timeout = absl::Seconds(2), .read_timeout = absl::Milliseconds(500)});
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = std::move(*http);
    connector_ = std::make_unique<XConnector>(*http_, Options(platformsim::kXAccessToken));
  }

  XOptions Options(std::string token) {
    XOptions o;
    o.base_url = sim_->base_url();
    o.access_token = std::move(token);
    o.refresh_token = platformsim::kXRefreshToken;
    o.client_id = platformsim::kXClientId;
    o.on_tokens = [this](const XTokens& t) { saved_.push_back(t); };
    o.clock = &clock_;
    return o;
  }

  void AddFault(std::string endpoint, Fault::Kind kind) {
    sim_->AddFault({.platform = "x", .endpoint = std::move(endpoint), .fault = kind, .count = 1});
  }

  PostRequest Post(std::string text, std::string ref = "job-1") {
    return PostRequest{
        .text = std::move(text), .client_reference = std::move(ref), .created_at = absl::Now()};
  }

  core::SimulatedClock clock_{absl::Now()};
  std::unique_ptr<platformsim::PlatformSim> sim_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<XConnector> connector_;
  std::vector<XTokens> saved_;
};

TEST_F(XTest, PublishesChecksAndDeletes) {
  auto p = connector_->Publish(Post("Flu shots today https://ex.org/flu"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->url, "https://x.com/i/web/status/" + p->platform_post_id);
  ASSERT_EQ(sim_->Posts("x").size(), 1u);
  auto status = connector_->FetchStatus(p->platform_post_id);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->live);
  ASSERT_TRUE(connector_->Delete(p->platform_post_id).ok());
  status = connector_->FetchStatus(p->platform_post_id);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_FALSE(status->live);
}

TEST_F(XTest, DuplicateTextIsRefusedByXAndPermanent) {
  ASSERT_TRUE(connector_->Publish(Post("Same words", "job-1")).ok());
  auto again = connector_->Publish(Post("Same words", "job-2"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(FailureKindOf(again.status()), FailureKind::kPermanent) << again.status();
  EXPECT_NE(again.status().message().find("change the text"), absl::string_view::npos);
  AddFault("POST /2/tweets", Fault::kDuplicate);
  EXPECT_EQ(FailureKindOf(connector_->Publish(Post("Other words")).status()),
            FailureKind::kPermanent);
}

TEST_F(XTest, RateLimitUsesXRateLimitReset) {
  sim_->AddFault({.platform = "x",
                  .endpoint = "POST /2/tweets",
                  .fault = Fault::kRateLimit,
                  .retry_after = 600});
  clock_.SetTime(absl::Now());
  auto p = connector_->Publish(Post("hello"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kTransient) << p.status();
  ASSERT_TRUE(RetryAfterOf(p.status()).has_value());
  EXPECT_GT(*RetryAfterOf(p.status()), absl::Seconds(590));
  EXPECT_LE(*RetryAfterOf(p.status()), absl::Seconds(601));
}

TEST_F(XTest, ServerErrorIsTransient) {
  AddFault("POST /2/tweets", Fault::kServerError);
  EXPECT_EQ(FailureKindOf(connector_->Publish(Post("hello")).status()), FailureKind::kTransient);
}

TEST_F(XTest, HangIsOutcomeUnknown) {
  AddFault("POST /2/tweets", Fault::kHang);
  EXPECT_EQ(FailureKindOf(connector_->Publish(Post("hello")).status()),
            FailureKind::kOutcomeUnknown);
}

TEST_F(XTest, ResetAfterAcceptIsFoundByLookup) {
  AddFault("POST /2/tweets", Fault::kResetAfterAccept);
  const PostRequest post = Post("Walk-in clinic 9–5 💉 https://ex.org/flu #flu", "job-77");
  auto p = connector_->Publish(post);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kOutcomeUnknown) << p.status();
  ASSERT_EQ(sim_->Posts("x").size(), 1u);
  // X answers with the link rewritten to t.co; the lookup still matches.
  auto found = connector_->FindByClientReference(post);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->platform_post_id, sim_->Posts("x")[0].id);
  auto none = connector_->FindByClientReference(Post("never posted", "job-78"));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());
}

TEST_F(XTest, ExpiredTokenIsAuthAndRefreshRenewsIt) {
  AddFault("POST /2/tweets", Fault::kExpiredToken);
  auto p = connector_->Publish(Post("hello"));
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kAuth) << p.status();
  ASSERT_TRUE(connector_->RefreshToken().ok());
  ASSERT_EQ(saved_.size(), 1u);
  EXPECT_NE(saved_[0].refresh_token, platformsim::kXRefreshToken);
  EXPECT_EQ(saved_[0].expires_in, absl::Hours(2));
  EXPECT_TRUE(connector_->Publish(Post("hello")).ok());
  // The old refresh token was single use.
  XConnector stale(*http_, Options("gone"));
  EXPECT_EQ(FailureKindOf(stale.RefreshToken()), FailureKind::kAuth);
}

TEST_F(XTest, ImagesAreNotSupportedYet) {
  PostRequest post = Post("with a picture");
  post.media.push_back({.data = "x", .mime_type = "image/png", .alt_text = "alt"});
  auto p = connector_->Publish(post);
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kPermanent);
  EXPECT_TRUE(sim_->Posts("x").empty());
}

TEST(XComparableTextTest, SetsLinksAside) {
  EXPECT_EQ(XComparableText("a  https://ex.org/x\nb"), XComparableText("a https://t.co/abc b"));
  EXPECT_NE(XComparableText("a https://ex.org b"), XComparableText("a b"));
}

}  // namespace
}  // namespace carepost::publish
