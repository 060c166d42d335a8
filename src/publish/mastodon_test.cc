// The Mastodon connector against platformsim, in process, including every fault.
#include "publish/mastodon.h"

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "platformsim/platformsim.h"

namespace carepost::publish {
namespace {

using platformsim::Fault;

class MastodonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = platformsim::PlatformSim::Start({.hang_for = absl::Seconds(3)});
    ASSERT_TRUE(sim.ok()) << sim.status();
    sim_ = std::move(*sim);
    auto http = NewHttpClient(
        {.connect_timeout = absl::Seconds(2), .read_timeout = absl::Milliseconds(500)});
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = std::move(*http);
    connector_ = std::make_unique<MastodonConnector>(*http_, Options(platformsim::kMastodonToken));
  }

  MastodonOptions Options(std::string token) {
    MastodonOptions o;
    o.base_url = sim_->base_url();
    o.access_token = std::move(token);
    o.media_polls = 3;
    o.sleep = [this](absl::Duration) { ++sleeps_; };
    return o;
  }

  void AddFault(std::string endpoint, Fault::Kind kind, int count = 1) {
    sim_->AddFault({.platform = "mastodon",
                    .endpoint = std::move(endpoint),
                    .fault = kind,
                    .count = count,
                    .retry_after = 7});
  }

  PostRequest Post(std::string text, std::string ref = "job-1") {
    return PostRequest{
        .text = std::move(text), .client_reference = std::move(ref), .created_at = absl::Now()};
  }

  std::unique_ptr<platformsim::PlatformSim> sim_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<MastodonConnector> connector_;
  int sleeps_ = 0;
};

TEST_F(MastodonTest, PublishesAndReportsTheStatus) {
  auto p =
      connector_->Publish(Post("Flu shots are free on Saturday & Sunday <3 https://ex.org/flu"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->platform_post_id.empty());
  EXPECT_EQ(p->url, sim_->base_url() + "/@carepost/" + p->platform_post_id);
  auto posts = sim_->Posts("mastodon");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].id, p->platform_post_id);
  EXPECT_EQ(posts[0].text, "Flu shots are free on Saturday & Sunday <3 https://ex.org/flu");

  auto status = connector_->FetchStatus(p->platform_post_id);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->live);
  EXPECT_EQ(status->url, p->url);

  ASSERT_TRUE(connector_->Delete(p->platform_post_id).ok());
  EXPECT_TRUE(sim_->Posts("mastodon")[0].deleted);
  status = connector_->FetchStatus(p->platform_post_id);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_FALSE(status->live);
  EXPECT_TRUE(connector_->Delete(p->platform_post_id).ok())
      << "deleting twice is done, not an error";
}

TEST_F(MastodonTest, SameIdempotencyKeyGivesTheSameStatus) {
  auto first = connector_->Publish(Post("Clinic hours change next week", "job-42"));
  auto second = connector_->Publish(Post("Clinic hours change next week", "job-42"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->platform_post_id, second->platform_post_id);
  EXPECT_EQ(sim_->Posts("mastodon").size(), 1u);
  auto third = connector_->Publish(Post("Clinic hours change next week", "job-43"));
  ASSERT_TRUE(third.ok());
  EXPECT_NE(third->platform_post_id, first->platform_post_id);
  EXPECT_EQ(sim_->Posts("mastodon").size(), 2u);
}

TEST_F(MastodonTest, UploadsImagesWithAltTextAndWaitsForProcessing) {
  AddFault("POST /api/v2/media", Fault::kMediaProcessing, 2);
  PostRequest post = Post("Our new wing");
  post.media.push_back({.data = std::string("\xFF\xD8\xFF\xE0 jpeg bytes", 15),
                        .mime_type = "image/jpeg",
                        .alt_text = "A bright hospital corridor with windows"});
  auto p = connector_->Publish(post);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(sleeps_, 3);  // two polls answer 206, the third 200
  EXPECT_TRUE(connector_->Publish(post).ok()) << "the fault affected one upload only";
  auto stored = nlohmann::json::parse(sim_->Posts("mastodon")[0].json);
  ASSERT_EQ(stored["media_attachments"].size(), 1u);
  EXPECT_EQ(stored["media_attachments"][0]["description"],
            "A bright hospital corridor with windows");
}

TEST_F(MastodonTest, MediaStillProcessingIsTransient) {
  AddFault("POST /api/v2/media", Fault::kMediaProcessing, 10);
  PostRequest post = Post("Our new wing");
  post.media.push_back({.data = "png", .mime_type = "image/png", .alt_text = "alt"});
  auto p = connector_->Publish(post);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kTransient) << p.status();
  EXPECT_NE(p.status().message().find("still processing"), absl::string_view::npos);
  EXPECT_TRUE(sim_->Posts("mastodon").empty());
}

TEST_F(MastodonTest, RateLimitIsTransientWithRetryAfter) {
  AddFault("POST /api/v1/statuses", Fault::kRateLimit);
  auto p = connector_->Publish(Post("hello"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kTransient) << p.status();
  EXPECT_EQ(RetryAfterOf(p.status()), absl::Seconds(7));
  EXPECT_TRUE(connector_->Publish(Post("hello")).ok()) << "the fault was for one request";
}

TEST_F(MastodonTest, ServerErrorIsTransient) {
  AddFault("POST /api/v1/statuses", Fault::kServerError);
  auto p = connector_->Publish(Post("hello"));
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kTransient) << p.status();
}

TEST_F(MastodonTest, HangIsOutcomeUnknown) {
  AddFault("POST /api/v1/statuses", Fault::kHang);
  auto p = connector_->Publish(Post("hello"));
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kOutcomeUnknown) << p.status();
}

TEST_F(MastodonTest, ResetAfterAcceptIsFoundByLookupAndNotDuplicated) {
  AddFault("POST /api/v1/statuses", Fault::kResetAfterAccept);
  const PostRequest post = Post("Walk-in flu clinic today, 9–5 💉 https://ex.org/flu", "job-77");
  auto p = connector_->Publish(post);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kOutcomeUnknown) << p.status();
  ASSERT_EQ(sim_->Posts("mastodon").size(), 1u) << "the platform stored it before the reset";

  auto found = connector_->FindByClientReference(post);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->platform_post_id, sim_->Posts("mastodon")[0].id);

  // A retry (same key) answers with the same status and stores nothing new.
  auto retry = connector_->Publish(post);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->platform_post_id, (*found)->platform_post_id);
  EXPECT_EQ(sim_->Posts("mastodon").size(), 1u);
}

TEST_F(MastodonTest, LookupFindsNothingForAPostNeverMade) {
  ASSERT_TRUE(connector_->Publish(Post("something else", "job-1")).ok());
  auto found = connector_->FindByClientReference(Post("never published", "job-2"));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_F(MastodonTest, ExpiredTokenIsAuth) {
  AddFault("POST /api/v1/statuses", Fault::kExpiredToken);
  auto p = connector_->Publish(Post("hello"));
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kAuth) << p.status();
  MastodonConnector revoked(*http_, Options("not-the-token"));
  EXPECT_EQ(FailureKindOf(revoked.RefreshToken()), FailureKind::kAuth);
  EXPECT_TRUE(connector_->RefreshToken().ok());
}

TEST_F(MastodonTest, DuplicateIsPermanentWithAdvice) {
  AddFault("POST /api/v1/statuses", Fault::kDuplicate);
  auto p = connector_->Publish(Post("hello"));
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kPermanent) << p.status();
  EXPECT_NE(p.status().message().find("change the text"), absl::string_view::npos);
}

TEST_F(MastodonTest, TooLongIsPermanentWithAdvice) {
  auto p = connector_->Publish(Post(std::string(501, 'a')));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kPermanent) << p.status();
  EXPECT_NE(p.status().message().find("shorten it"), absl::string_view::npos);
  // 500 characters that are not all single bytes fit.
  std::string ok;
  for (int i = 0; i < 500; ++i) ok += "é";
  EXPECT_TRUE(connector_->Publish(Post(ok, "job-long")).ok());
}

TEST_F(MastodonTest, ErrorsNeverCarryTheToken) {
  sim_->Stop();
  auto p = connector_->Publish(Post("hello"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kTransient) << p.status();
  EXPECT_EQ(p.status().message().find(platformsim::kMastodonToken), absl::string_view::npos);
}

TEST(MastodonContentToTextTest, StripsHtml) {
  EXPECT_EQ(MastodonContentToText("<p>a &amp; b &lt;3<br>c</p><p>d &#39;e&#x27; &#233;</p>"),
            "a & b <3\nc\nd 'e' é");
}

}  // namespace
}  // namespace carepost::publish
