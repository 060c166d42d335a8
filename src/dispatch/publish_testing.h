// File: dispatch/publish_testing.h
//
// Test-only: the planning fixture (domain/plan_testing.h) plus what publishing needs —
// a secrets box, the account service, the outbox hooked into PostService, an
// in-process platformsim, connectors pointed at it, and helpers that connect accounts
// and bring a post to scheduled. Runs on every store backend.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dispatch/connector_factory.h"
#include "dispatch/dispatcher.h"
#include "domain/outbox.h"
#include "domain/plan_testing.h"
#include "domain/platform_accounts.h"
#include "platformsim/platformsim.h"
#include "publish/http_client.h"

namespace carepost::dispatch::testing {

class PublishTest : public domain::testing::PlanTest {
 protected:
  void SetUp() override {
    PlanTest::SetUp();
    if (HasFatalFailure()) return;
    accounts_ = std::make_unique<domain::PlatformAccountService>(db(), clock_, *audit_, box_);
    posts_->set_schedule_hook(&outbox_);
    absl::StatusOr<std::unique_ptr<platformsim::PlatformSim>> sim =
        platformsim::PlatformSim::Start({});
    ASSERT_TRUE(sim.ok()) << sim.status();
    sim_ = *std::move(sim);
    absl::StatusOr<std::unique_ptr<publish::HttpClient>> http =
        publish::NewHttpClient({.read_timeout = absl::Seconds(5)});
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = *std::move(http);
    factory_ = NewConnectorFactory(
        *http_, clock_,
        [this](int64_t id, const domain::AccountCredentials& c, absl::Duration expires_in) {
          absl::Status saved = domain::SaveAccountCredentials(
              db(), box_, *audit_, id, c, clock_.Now() + expires_in, clock_.Now());
          EXPECT_TRUE(saved.ok()) << saved;
        });
  }

  void TearDown() override {
    if (sim_ != nullptr) sim_->Stop();
    PlanTest::TearDown();
  }

  int64_t Connect(const std::string& platform, int64_t brand) {
    domain::NewPlatformAccount a{
        .brand_id = brand, .platform = platform, .base_url = sim_->base_url()};
    if (platform == "mastodon") {
      a.handle = "@carepost@sim";
      a.credentials.access_token = platformsim::kMastodonToken;
    } else if (platform == "bluesky") {
      a.handle = platformsim::kBlueskyHandle;
      a.credentials.app_password = platformsim::kBlueskyAppPassword;
    } else {
      a.handle = platformsim::kXUsername;
      a.credentials.access_token = platformsim::kXAccessToken;
      a.credentials.refresh_token = platformsim::kXRefreshToken;
      a.credentials.client_id = platformsim::kXClientId;
    }
    absl::StatusOr<int64_t> id = accounts_->Connect(as("admin"), a);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }

  // A Cardiology post with a variant per platform (master text), approved by a manager
  // and scheduled an hour from now.
  int64_t Scheduled(const std::string& text, const std::vector<std::string>& platforms) {
    domain::PostContent content{.master_text = text};
    for (const std::string& p : platforms) content.variants.push_back({.platform = p});
    absl::StatusOr<int64_t> id =
        posts_->Create(as("author"), {.brand_id = cardiology_, .content = content, .guard = {}});
    EXPECT_TRUE(id.ok()) << id.status();
    if (!id.ok()) return 0;
    EXPECT_TRUE(posts_->Submit(as("author"), *id).ok());
    EXPECT_TRUE(posts_->Approve(as("manager"), *id).ok());
    absl::StatusOr<domain::Post> p =
        posts_->Schedule(as("manager"), *id, clock_.Now() + absl::Hours(1), "America/New_York");
    EXPECT_TRUE(p.ok()) << p.status();
    return *id;
  }

  std::vector<domain::PublishJob> Jobs(int64_t post_id) {
    absl::StatusOr<std::vector<domain::PublishJob>> jobs = domain::ListPublishJobs(db(), post_id);
    EXPECT_TRUE(jobs.ok()) << jobs.status();
    return jobs.value_or(std::vector<domain::PublishJob>{});
  }

  // Live (not deleted) posts on the simulated platform.
  size_t LiveOn(const std::string& platform) {
    size_t n = 0;
    const std::vector<platformsim::StoredPost> posts = sim_->Posts(platform);
    for (const platformsim::StoredPost& p : posts) n += p.deleted ? 0 : 1;
    return n;
  }

  std::unique_ptr<Dispatcher> NewDispatcher(DispatcherOptions options = {.jitter_seed = 7}) {
    return std::make_unique<Dispatcher>(db(), clock_, *audit_, box_, *factory_, options);
  }

  domain::SecretBox box_{domain::SecretKey(std::string(32, 'b'))};
  domain::Outbox outbox_;
  std::unique_ptr<domain::PlatformAccountService> accounts_;
  std::unique_ptr<platformsim::PlatformSim> sim_;
  std::unique_ptr<publish::HttpClient> http_;
  std::unique_ptr<ConnectorFactory> factory_;
};

}  // namespace carepost::dispatch::testing
