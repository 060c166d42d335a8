// Every connector against a platform that answers with odd JSON (wrong types, wrong
// shapes, not JSON at all): each call must end in an error value or a result, never an
// exception out of the publish layer.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "publish/bluesky.h"
#include "publish/connector.h"
#include "publish/mastodon.h"
#include "publish/x.h"

namespace carepost::publish {
namespace {

// Answers every request with the same status and body.
class CannedHttpClient final : public HttpClient {
 public:
  absl::StatusOr<HttpResponse> Send(const HttpRequest&) override {
    return HttpResponse{status, {}, body};
  }
  int status = 200;
  std::string body;
};

const std::vector<std::string> kOddBodies = {
    "",
    "not json",
    "[]",
    "\"text\"",
    "42",
    "null",
    R"({"id": 5, "url": [], "created_at": 1, "content": {}})",
    R"({"data": [], "errors": "x", "detail": 3, "title": []})",
    R"({"data": "x"})",
    R"({"data": {"id": 7}})",
    R"({"accessJwt": 1, "refreshJwt": 2, "did": 3, "handle": 4})",
    R"({"accessJwt": "a", "refreshJwt": 2, "did": "did:plc:x", "handle": 4})",
    R"({"records": [1, {"uri": 2}, {"uri": "at://d/c/k", "value": 3}, {"uri": "at://d/c/k", "value": {"text": 1}}]})",
    R"({"uri": 1, "cid": 2, "blob": "x", "value": []})",
    R"([{"id": 1}, {"id": "2", "content": 3, "created_at": []}, "s"])",
    R"({"error": 1, "message": []})",
    R"({"errors": [1, "x"], "detail": "d"})",
    R"({"access_token": "t", "refresh_token": 5, "expires_in": "soon"})",
};

void Exercise(Connector& c) {
  PostRequest post{.text = "hello https://ex.org @alice.sim.test #tag",
                   .client_reference = "job-1",
                   .created_at = absl::FromUnixSeconds(1'760'000'000)};
  post.media.push_back({.data = "img", .mime_type = "image/png", .alt_text = "alt"});
  PostRequest text_only = post;
  text_only.media.clear();
  (void)c.Publish(post);
  (void)c.Publish(text_only);
  (void)c.Delete("at://did:plc:x/app.bsky.feed.post/3kabc");
  (void)c.FetchStatus("at://did:plc:x/app.bsky.feed.post/3kabc");
  (void)c.FindByClientReference(post);
  (void)c.RefreshToken();
}

TEST(OddAnswersTest, NoConnectorThrows) {
  for (int status : {200, 201, 202, 206, 400, 401, 403, 404, 422, 429, 500}) {
    for (const std::string& body : kOddBodies) {
      CannedHttpClient http;
      http.status = status;
      http.body = body;
      MastodonConnector mastodon(http, {.base_url = "https://m.example",
                                        .access_token = "t",
                                        .media_polls = 2,
                                        .sleep = [](absl::Duration) {}});
      BlueskyConnector bluesky(
          http, {.service_url = "https://pds.example", .identifier = "h", .app_password = "p"});
      XConnector x(http, {.base_url = "https://x.example",
                          .access_token = "t",
                          .refresh_token = "r",
                          .client_id = "c"});
      EXPECT_NO_THROW(Exercise(mastodon)) << status << " " << body;
      EXPECT_NO_THROW(Exercise(bluesky)) << status << " " << body;
      EXPECT_NO_THROW(Exercise(x)) << status << " " << body;
    }
  }
}

TEST(OddAnswersTest, InvalidUtf8TextIsRefusedBeforeSending) {
  CannedHttpClient http;
  MastodonConnector mastodon(http, {.base_url = "https://m.example", .access_token = "t"});
  PostRequest post{.text = "bad \xC3\x28 byte", .client_reference = "job-1"};
  auto p = mastodon.Publish(post);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FailureKindOf(p.status()), FailureKind::kPermanent);
  EXPECT_NE(p.status().message().find("byte 4"), absl::string_view::npos) << p.status();
  post.text = "fine";
  post.media.push_back({.data = "x", .mime_type = "image/png", .alt_text = "\xFF"});
  XConnector x(http, {.base_url = "https://x.example", .access_token = "t"});
  BlueskyConnector bluesky(
      http, {.service_url = "https://pds.example", .identifier = "h", .app_password = "p"});
  EXPECT_EQ(bluesky.Publish(post).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(x.Publish(post).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carepost::publish
