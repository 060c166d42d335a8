// File: publish/x.h
//
// The X connector (API v2, OAuth 2.0 user context).
//
//   XConnector x(http, {.base_url = "https://api.x.com", .access_token = token,
//                       .refresh_token = refresh, .client_id = client_id,
//                       .on_tokens = [&](const XTokens& t) { store.SaveTokens(t); }});
//   ASSIGN_OR_RETURN(PublishedPost p, x.Publish(post));
//
// - Publish: POST /2/tweets {"text"}. X takes no idempotency key; after an outcome
//   unknown, FindByClientReference reads the account's recent posts (GET /2/users/me,
//   then GET /2/users/:id/tweets) and matches the text with every URL set aside (X
//   answers with links rewritten to t.co). X itself refuses a post identical to a
//   recent one (403 duplicate content), which the connector reports as permanent.
// - Delete: DELETE /2/tweets/:id. FetchStatus: GET /2/tweets/:id (an "errors" answer
//   with no "data" means gone).
// - RefreshToken: POST /2/oauth2/token (grant_type=refresh_token, client_id); access
//   tokens last two hours. New tokens go to Options::on_tokens for safekeeping before
//   the connector uses them.
// - Not yet: images and video (media upload), replies, polls, quote posts.
//
// Thread safety: not safe for concurrent calls (see connector.h).
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "publish/connector.h"
#include "publish/http_client.h"

namespace carepost::publish {

struct XTokens {
  std::string access_token;
  std::string refresh_token;
  absl::Duration expires_in = absl::ZeroDuration();
};

struct XOptions {
  // "https://api.x.com", without a trailing slash.
  std::string base_url = "https://api.x.com";
  // OAuth 2.0 user-context tokens (tweet.write, tweet.read, users.read,
  // offline.access) and the app's client id. Never logged.
  std::string access_token;
  std::string refresh_token;
  std::string client_id;
  // Called with new tokens after a refresh (the refresh token changes each time).
  std::function<void(const XTokens&)> on_tokens;
  // Public post URLs: <web_url>/i/web/status/<id>.
  std::string web_url = "https://x.com";
  core::Clock* clock = &core::SystemClock::Get();
};

class XConnector final : public Connector {
 public:
  // `http` must outlive the connector.
  XConnector(HttpClient& http, XOptions options);

  std::string_view platform() const override { return "x"; }
  absl::StatusOr<PublishedPost> Publish(const PostRequest& post) override;
  absl::Status Delete(std::string_view platform_post_id) override;
  absl::StatusOr<PostStatus> FetchStatus(std::string_view platform_post_id) override;
  absl::StatusOr<std::optional<PublishedPost>> FindByClientReference(
      const PostRequest& post) override;
  absl::Status RefreshToken() override;

 private:
  absl::StatusOr<HttpResponse> Call(HttpRequest request, std::string_view what, bool mutating,
                                    bool pass_not_found = false);
  std::string PostUrl(std::string_view id) const;

  HttpClient& http_;
  XOptions options_;
  std::string user_id_;  // from /2/users/me, cached
};

// `text` with each http(s) URL replaced by one placeholder and white space collapsed:
// what survives X's rewriting of links to t.co. For matching posts.
std::string XComparableText(std::string_view text);

}  // namespace carepost::publish
