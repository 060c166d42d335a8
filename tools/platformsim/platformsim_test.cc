// platformsim's own contract: the control API, and requests refused the way the
// platforms refuse them.
#include "platformsim/platformsim.h"

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "publish/http_client.h"

namespace carepost::platformsim {
namespace {

using Json = nlohmann::json;
using publish::HttpRequest;
using publish::HttpResponse;

class PlatformSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = PlatformSim::Start({});
    ASSERT_TRUE(sim.ok()) << sim.status();
    sim_ = std::move(*sim);
    auto http = publish::NewHttpClient({.read_timeout = absl::Seconds(5)});
    ASSERT_TRUE(http.ok());
    http_ = std::move(*http);
  }

  HttpResponse Send(std::string method, std::string path, std::string body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpRequest req{.method = std::move(method),
                    .url = sim_->base_url() + path,
                    .headers = std::move(headers),
                    .body = std::move(body)};
    if (!req.body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    auto res = http_->Send(req);
    EXPECT_TRUE(res.ok()) << res.status();
    return res.ok() ? *res : HttpResponse{};
  }

  std::string BlueskyToken() {
    HttpResponse r =
        Send("POST", "/xrpc/com.atproto.server.createSession",
             Json{{"identifier", kBlueskyHandle}, {"password", kBlueskyAppPassword}}.dump());
    return Json::parse(r.body)["accessJwt"].get<std::string>();
  }

  std::unique_ptr<PlatformSim> sim_;
  std::unique_ptr<publish::HttpClient> http_;
};

TEST_F(PlatformSimTest, FaultsAreScriptedOverHttpAndConsumed) {
  HttpResponse r =
      Send("POST", "/_sim/faults",
           R"({"platform":"mastodon","endpoint":"GET /api/v1/accounts/verify_credentials",)"
           R"("fault":"rate_limit","count":2,"retry_after":11})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"Authorization", std::string("Bearer ") + kMastodonToken}};
  for (int i = 0; i < 2; ++i) {
    r = Send("GET", "/api/v1/accounts/verify_credentials", "", auth);
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.Header("retry-after"), "11");
    EXPECT_FALSE(r.Header("x-ratelimit-reset").empty());
  }
  r = Send("GET", "/api/v1/accounts/verify_credentials", "", auth);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Json::parse(r.body)["username"], kMastodonUsername);
}

TEST_F(PlatformSimTest, RejectsUnknownFaults) {
  HttpResponse r =
      Send("POST", "/_sim/faults", R"({"platform":"mastodon","endpoint":"*","fault":"gremlins"})");
  EXPECT_EQ(r.status, 400);
}

TEST_F(PlatformSimTest, MalformedFieldsAreRefusedNotFatal) {
  HttpResponse r = Send("POST", "/_sim/faults",
                        R"({"platform":"mastodon","endpoint":"*","fault":"hang","count":"two"})");
  EXPECT_EQ(r.status, 400);
  r = Send("POST", "/api/v1/statuses", R"({"status":"hi","visibility":7})",
           {{"Authorization", std::string("Bearer ") + kMastodonToken}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Send("GET", "/_sim/posts").status, 200) << "the server is still up";
}

TEST_F(PlatformSimTest, ListsPublishedPosts) {
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"Authorization", std::string("Bearer ") + kMastodonToken}};
  HttpResponse r = Send("POST", "/api/v1/statuses", R"({"status":"hello"})", auth);
  ASSERT_EQ(r.status, 200) << r.body;
  r = Send("GET", "/_sim/posts?platform=mastodon");
  Json posts = Json::parse(r.body)["posts"];
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0]["text"], "hello");
  EXPECT_EQ(posts[0]["stored"]["content"], "<p>hello</p>");
  ASSERT_EQ(Send("POST", "/_sim/reset").status, 200);
  EXPECT_TRUE(sim_->Posts("").empty());
}

TEST_F(PlatformSimTest, MastodonNeedsTheToken) {
  HttpResponse r = Send("POST", "/api/v1/statuses", R"({"status":"hello"})");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json::parse(r.body)["error"], "The access token is invalid");
  r = Send("POST", "/api/v1/statuses", R"({"status":""})",
           {{"Authorization", std::string("Bearer ") + kMastodonToken}});
  EXPECT_EQ(r.status, 422);
}

TEST_F(PlatformSimTest, BlueskyRejectsFacetsOutsideOrInsideACharacter) {
  const std::string token = BlueskyToken();
  auto create = [&](const Json& facets) {
    Json record = {{"$type", "app.bsky.feed.post"},
                   {"text", "é #x"},
                   {"createdAt", "2026-01-01T00:00:00.000Z"},
                   {"facets", facets}};
    return Send(
        "POST", "/xrpc/com.atproto.repo.createRecord",
        Json{{"repo", kBlueskyDid}, {"collection", "app.bsky.feed.post"}, {"record", record}}
            .dump(),
        {{"Authorization", "Bearer " + token}});
  };
  auto tag = [](int start, int end) {
    return Json::array(
        {{{"index", {{"byteStart", start}, {"byteEnd", end}}},
          {"features", Json::array({{{"$type", "app.bsky.richtext.facet#tag"}, {"tag", "x"}}})}}});
  };
  EXPECT_EQ(create(tag(3, 5)).status, 200);  // "#x" is bytes 3..5 ("é" is 2 bytes)
  EXPECT_EQ(create(tag(3, 9)).status, 400);  // past the end
  HttpResponse r = create(tag(1, 5));        // starts inside "é"
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("splits a UTF-8 character"), std::string::npos);
}

TEST_F(PlatformSimTest, BlueskyNeedsASession) {
  HttpResponse r =
      Send("POST", "/xrpc/com.atproto.repo.createRecord", "{}", {{"Authorization", "Bearer nope"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json::parse(r.body)["error"], "AuthenticationRequired");
  r = Send("POST", "/xrpc/com.atproto.server.createSession",
           Json{{"identifier", kBlueskyHandle}, {"password", "wrong"}}.dump());
  EXPECT_EQ(r.status, 401);
}

}  // namespace
}  // namespace carepost::platformsim
