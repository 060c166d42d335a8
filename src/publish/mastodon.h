// File: publish/mastodon.h
//
// The Mastodon connector (REST API v1, media API v2; Mastodon 4.x).
//
//   MastodonConnector mastodon(http, {.base_url = "https://mastodon.example",
//                                     .access_token = token});
//   ASSIGN_OR_RETURN(PublishedPost p, mastodon.Publish(post));
//
// - Publish uploads each image with POST /api/v2/media (multipart: file, description =
//   alt text). A 202 means the server is still processing: GET /api/v1/media/:id is
//   polled (206 while processing, 200 when done) up to Options::media_polls times.
//   Then POST /api/v1/statuses (JSON: status, media_ids) with the post's client
//   reference as the Idempotency-Key, so a retry within the server's key lifetime (an
//   hour) returns the status already created instead of a second one.
// - FindByClientReference reads the account's recent statuses (verify_credentials, then
//   GET /api/v1/accounts/:id/statuses) and matches the post's text against each
//   status's content with the HTML removed, among statuses created no earlier than a
//   minute before the job was. Mastodon keeps no client reference on a status.
// - Delete: DELETE /api/v1/statuses/:id (404 counts as done). FetchStatus: GET
//   /api/v1/statuses/:id. RefreshToken: GET /api/v1/accounts/verify_credentials
//   (Mastodon access tokens do not expire; a revoked one is an auth failure).
//
// Thread safety: not safe for concurrent calls (see connector.h).
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "publish/connector.h"
#include "publish/http_client.h"

namespace carepost::publish {

struct MastodonOptions {
  // The instance, without a trailing slash: "https://mastodon.social".
  std::string base_url;
  // An OAuth access token with the write:statuses and write:media scopes. Never logged.
  std::string access_token;
  // How often to ask whether an upload has finished processing, and how long to wait
  // between asks. Past the last poll, Publish fails transient ("still processing").
  int media_polls = 10;
  absl::Duration media_poll_interval = absl::Seconds(1);
  // How the connector waits between polls; tests replace it.
  std::function<void(absl::Duration)> sleep = [](absl::Duration d) { absl::SleepFor(d); };
  // Time source for Retry-After dates.
  core::Clock* clock = &core::SystemClock::Get();
};

class MastodonConnector final : public Connector {
 public:
  // `http` must outlive the connector.
  MastodonConnector(HttpClient& http, MastodonOptions options);

  std::string_view platform() const override { return "mastodon"; }
  absl::StatusOr<PublishedPost> Publish(const PostRequest& post) override;
  absl::Status Delete(std::string_view platform_post_id) override;
  absl::StatusOr<PostStatus> FetchStatus(std::string_view platform_post_id) override;
  absl::StatusOr<std::optional<PublishedPost>> FindByClientReference(
      const PostRequest& post) override;
  absl::Status RefreshToken() override;

 private:
  // Sends `request` (url relative to base_url) with the token; error responses become
  // classified failures, except 404 when `pass_not_found`.
  absl::StatusOr<HttpResponse> Call(HttpRequest request, std::string_view what, bool mutating,
                                    bool pass_not_found = false);
  absl::StatusOr<std::string> Upload(const MediaItem& item, size_t index);
  absl::StatusOr<std::string> AccountId();

  HttpClient& http_;
  const MastodonOptions options_;
  std::string account_id_;  // from verify_credentials, cached
};

// Plain text of a status's HTML content: tags removed (<br> and </p><p> become line
// breaks), the five basic entities and numeric ones decoded. For matching posts.
std::string MastodonContentToText(std::string_view html);

}  // namespace carepost::publish
