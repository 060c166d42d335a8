// The Bluesky connector against platformsim, in process, including every fault.
#include "publish/bluesky.h"

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "platformsim/platformsim.h"

namespace carepost::publish {
namespace {

using platformsim::Fault;
using Json = nlohmann::json;

class BlueskyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = platformsim::PlatformSim::Start({.hang_for = absl::Seconds(3)});
    ASSERT_TRUE(sim.ok()) << sim.status();
    sim_ = std::move(*sim);
    auto http = NewHttpClient(
        {.connect_timeout = absl::Seconds(2), .read_timeout = absl::Milliseconds(500)});
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = std::move(*http);
    connector_ =
        std::make_unique<BlueskyConnector>(*http_, Options(platformsim::kBlueskyAppPassword));
  }

  BlueskyOptions Options(std::string password) {
    BlueskyOptions o;
    o.service_url = sim_->base_url();
    o.identifier = platformsim::kBlueskyHandle;
    o.app_password = std::move(password);
    return o;
  }

  void AddFault(std::string nsid, Fault::Kind kind, int count = 1) {
    sim_->AddFault({.platform = "bluesky",
                    .endpoint = std::move(nsid),
                    .fault = kind,
                    .count = count,
                    .retry_after = 7});
  }

  PostRequest Post(std::string text, std::string ref = "job-1") {
    return PostRequest{.text = std::move(text),
                       .client_reference = std::move(ref),
                       .created_at = absl::FromUnixMicros(1'760'000'000'123'456)};
  }

  Json StoredRecord(size_t i = 0) {
    return Json::parse(sim_->Posts("bluesky").at(i).json)["value"];
  }

  std::unique_ptr<platformsim::PlatformSim> sim_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<BlueskyConnector> connector_;
};

// The bytes of `text` a facet covers.
std::string Covered(const std::string& text, const Json& facet) {
  const size_t start = facet["index"]["byteStart"].get<size_t>();
  const size_t end = facet["index"]["byteEnd"].get<size_t>();
  return text.substr(start, end - start);
}

TEST_F(BlueskyTest, PublishesWithFacetsAtUtf8ByteOffsets) {
  const std::string text =
      "💉 Vacunación gratis 👍🏽 https://ex.org/flu con @alice.sim.test y @nobody.sim.test #gripe";
  auto p = connector_->Publish(Post(text));
  ASSERT_TRUE(p.ok()) << p.status();
  const std::string rkey = ClientReferenceRkey(Post(text));
  EXPECT_EQ(p->platform_post_id,
            std::string("at://") + platformsim::kBlueskyDid + "/app.bsky.feed.post/" + rkey);
  EXPECT_EQ(p->url, std::string("https://bsky.app/profile/") + platformsim::kBlueskyHandle +
                        "/post/" + rkey);

  Json record = StoredRecord();
  EXPECT_EQ(record["text"], text);
  const Json& facets = record["facets"];
  ASSERT_EQ(facets.size(), 3u) << "the unresolvable @nobody stays plain text";
  EXPECT_EQ(Covered(text, facets[0]), "https://ex.org/flu");
  EXPECT_EQ(facets[0]["index"]["byteStart"], 33);  // 4+1+11+1+6+1+8+1
  EXPECT_EQ(facets[0]["features"][0]["$type"], "app.bsky.richtext.facet#link");
  EXPECT_EQ(facets[0]["features"][0]["uri"], "https://ex.org/flu");
  EXPECT_EQ(Covered(text, facets[1]), "@alice.sim.test");
  EXPECT_EQ(facets[1]["features"][0]["$type"], "app.bsky.richtext.facet#mention");
  EXPECT_EQ(facets[1]["features"][0]["did"], platformsim::kBlueskyOtherDid);
  EXPECT_EQ(Covered(text, facets[2]), "#gripe");
  EXPECT_EQ(facets[2]["features"][0]["tag"], "gripe");

  auto status = connector_->FetchStatus(p->platform_post_id);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->live);
  ASSERT_TRUE(connector_->Delete(p->platform_post_id).ok());
  status = connector_->FetchStatus(p->platform_post_id);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_FALSE(status->live);
}

TEST_F(BlueskyTest, UploadsImagesIntoAnImagesEmbedWithAltText) {
  PostRequest post = Post("New MRI suite");
  post.media.push_back(
      {.data = "\x89PNG fake", .mime_type = "image/png", .alt_text = "The MRI suite, empty"});
  post.media.push_back(
      {.data = "\xFF\xD8 fake", .mime_type = "image/jpeg", .alt_text = "Staff at the console"});
  auto p = connector_->Publish(post);
  ASSERT_TRUE(p.ok()) << p.status();
  Json embed = StoredRecord()["embed"];
  EXPECT_EQ(embed["$type"], "app.bsky.embed.images");
  ASSERT_EQ(embed["images"].size(), 2u);
  EXPECT_EQ(embed["images"][0]["alt"], "The MRI suite, empty");
  EXPECT_EQ(embed["images"][0]["image"]["mimeType"], "image/png");
  EXPECT_EQ(embed["images"][1]["alt"], "Staff at the console");
}

TEST_F(BlueskyTest, CountsGraphemesNotBytes) {
  std::string ok;
  for (int i = 0; i < 300; ++i) ok += "👍🏽";  // 300 graphemes, 2400 bytes
  EXPECT_TRUE(connector_->Publish(Post(ok, "job-ok")).ok());
  auto p = connector_->Publish(Post(ok + "!", "job-long"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kPermanent) << p.status();
  EXPECT_NE(p.status().message().find("shorten it"), absl::string_view::npos);
}

TEST_F(BlueskyTest, RateLimitIsTransientWithRetryAfter) {
  AddFault("com.atproto.repo.createRecord", Fault::kRateLimit);
  auto p = connector_->Publish(Post("hello"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kTransient) << p.status();
  EXPECT_EQ(RetryAfterOf(p.status()), absl::Seconds(7));
}

TEST_F(BlueskyTest, ServerErrorIsTransient) {
  AddFault("com.atproto.repo.createRecord", Fault::kServerError);
  EXPECT_EQ(FailureKindOf(connector_->Publish(Post("hello")).status()), FailureKind::kTransient);
}

TEST_F(BlueskyTest, HangIsOutcomeUnknown) {
  AddFault("com.atproto.repo.createRecord", Fault::kHang);
  EXPECT_EQ(FailureKindOf(connector_->Publish(Post("hello")).status()),
            FailureKind::kOutcomeUnknown);
}

TEST_F(BlueskyTest, ResetAfterAcceptIsFoundByLookupAndNotDuplicated) {
  AddFault("com.atproto.repo.createRecord", Fault::kResetAfterAccept);
  const PostRequest post = Post("Walk-in flu clinic today 💉 #flu", "job-77");
  auto p = connector_->Publish(post);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kOutcomeUnknown) << p.status();
  ASSERT_EQ(sim_->Posts("bluesky").size(), 1u) << "the PDS stored it before the reset";

  auto found = connector_->FindByClientReference(post);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->platform_post_id, sim_->Posts("bluesky")[0].id);

  // A blind retry writes the same record key, sees it taken, and answers with it.
  auto retry = connector_->Publish(post);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->platform_post_id, (*found)->platform_post_id);
  EXPECT_EQ(sim_->Posts("bluesky").size(), 1u);
}

TEST_F(BlueskyTest, LookupFindsNothingForAPostNeverMade) {
  ASSERT_TRUE(connector_->Publish(Post("one", "job-1")).ok());
  auto found = connector_->FindByClientReference(Post("two", "job-2"));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_F(BlueskyTest, ExpiredTokenRenewsTheSessionAndGoesOn) {
  ASSERT_TRUE(connector_->RefreshToken().ok());  // signs in
  AddFault("com.atproto.repo.createRecord", Fault::kExpiredToken);
  auto p = connector_->Publish(Post("hello"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(sim_->Posts("bluesky").size(), 1u);
}

TEST_F(BlueskyTest, WrongAppPasswordIsAuth) {
  BlueskyConnector wrong(*http_, Options("not-the-password"));
  auto p = wrong.Publish(Post("hello"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kAuth) << p.status();
  EXPECT_EQ(p.status().message().find("not-the-password"), absl::string_view::npos);
  EXPECT_EQ(FailureKindOf(wrong.RefreshToken()), FailureKind::kAuth);
}

TEST_F(BlueskyTest, DuplicateIsPermanentWithAdvice) {
  AddFault("com.atproto.repo.createRecord", Fault::kDuplicate);
  auto p = connector_->Publish(Post("hello"));
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kPermanent) << p.status();
  EXPECT_NE(p.status().message().find("change the text"), absl::string_view::npos);
}

TEST(BlueskyRkeyTest, IsAStableTid) {
  PostRequest a{.text = "x",
                .client_reference = "job-1",
                .created_at = absl::FromUnixMicros(1'760'000'000'000'000)};
  PostRequest b = a;
  b.client_reference = "job-2";
  EXPECT_EQ(ClientReferenceRkey(a), ClientReferenceRkey(a));
  EXPECT_NE(ClientReferenceRkey(a), ClientReferenceRkey(b));
  EXPECT_EQ(ClientReferenceRkey(a).size(), 13u);
  EXPECT_EQ(ClientReferenceRkey(a).find_first_not_of("234567abcdefghijklmnopqrstuvwxyz"),
            std::string::npos);
}

}  // namespace
}  // namespace carepost::publish
