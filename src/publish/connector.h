// File: publish/connector.h
//
// One small interface in front of every platform, and the one way a connector reports
// failure. The dispatcher (next step of issue 5) holds a Connector per connected
// account and never sees a platform's wire format.
//
//   PostRequest post{.text = "Flu shots are free this Saturday https://ex.org/flu",
//                    .client_reference = "job-8812", .created_at = clock.Now()};
//   absl::StatusOr<PublishedPost> done = connector.Publish(post);
//   if (!done.ok()) {
//     switch (FailureKindOf(done.status())) {
//       case FailureKind::kTransient:      // retry later, not before RetryAfterOf(...)
//       case FailureKind::kPermanent:      // tell the author: done.status().message()
//       case FailureKind::kAuth:           // RefreshToken(), or ask for a reconnect
//       case FailureKind::kOutcomeUnknown: // FindByClientReference(post) before retrying
//     }
//   }
//
// Failures are absl::Status values with a payload naming their FailureKind, so they
// travel through RETURN_IF_ERROR like any other error. Messages are written for the
// author ("Mastodon rejected the post: it is longer than 500 characters; shorten it")
// and never contain tokens, passwords or the post's text.
//
// Thread safety: a Connector is used by one dispatcher worker at a time; it holds the
// account's session (Bluesky) and is not safe for concurrent calls.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "publish/http_client.h"

namespace carepost::publish {

// An image to attach. The bytes are the stripped copy the media layer stored.
struct MediaItem {
  std::string data;
  std::string mime_type;  // "image/jpeg", "image/png", ...
  std::string alt_text;   // required by carepost for every image
};

struct PostRequest {
  // The text as approved, links included (connectors make them clickable where the
  // platform needs to be told: Bluesky facets).
  std::string text;
  std::vector<MediaItem> media;
  // Stable for one (post, account) job across every retry: the idempotency key where
  // the platform takes one, and what FindByClientReference looks for.
  std::string client_reference;
  // When the job was created. Stable across retries like client_reference; connectors
  // derive keys from it (Bluesky's record key) and bound look-ups with it.
  absl::Time created_at = absl::UnixEpoch();
};

struct PublishedPost {
  std::string platform_post_id;  // what Delete and FetchStatus take
  std::string url;               // the public page of the post
};

struct PostStatus {
  bool live = false;  // false: deleted, or never existed
  std::string url;    // when live
};

class Connector {
 public:
  virtual ~Connector() = default;
  // "mastodon", "bluesky", ...
  virtual std::string_view platform() const = 0;
  // Publishes the post (uploading its media first).
  [[nodiscard]] virtual absl::StatusOr<PublishedPost> Publish(const PostRequest& post) = 0;
  // Deletes a published post. OK when it is already gone.
  [[nodiscard]] virtual absl::Status Delete(std::string_view platform_post_id) = 0;
  // Whether a published post is still live.
  [[nodiscard]] virtual absl::StatusOr<PostStatus> FetchStatus(
      std::string_view platform_post_id) = 0;
  // Looks for a post this account published for `post.client_reference` (after an
  // outcome-unknown Publish). nullopt: the platform has no such post, so publishing
  // again cannot duplicate it.
  [[nodiscard]] virtual absl::StatusOr<std::optional<PublishedPost>> FindByClientReference(
      const PostRequest& post) = 0;
  // Checks or renews the account's credentials: a new session where the platform
  // issues short-lived tokens (Bluesky), a credentials check where tokens do not
  // expire (Mastodon). Auth failure when the account must be reconnected.
  [[nodiscard]] virtual absl::Status RefreshToken() = 0;
};

enum class FailureKind {
  kNone,            // the status is OK
  kTransient,       // try again later (rate limit, server error, could not connect)
  kPermanent,       // the platform will not take this post; the author must change it
  kAuth,            // the token expired or was revoked
  kOutcomeUnknown,  // the request may have been processed; look before retrying
};
std::string_view FailureKindName(FailureKind kind);

// Failure constructors. Codes: transient Unavailable (ResourceExhausted when
// `rate_limited`), permanent FailedPrecondition, auth Unauthenticated, outcome unknown
// Unknown.
absl::Status TransientError(std::string message,
                            std::optional<absl::Duration> retry_after = std::nullopt,
                            bool rate_limited = false);
absl::Status PermanentError(std::string message);
absl::Status AuthError(std::string message);
absl::Status OutcomeUnknownError(std::string message);

// The kind of a connector failure. Statuses without a kind (a bug, or an HttpClient
// error passed through) are classified by code: Unauthenticated auth;
// Unavailable/ResourceExhausted/DeadlineExceeded transient; others permanent.
FailureKind FailureKindOf(const absl::Status& status);
// How long the platform asked us to wait, when it said.
std::optional<absl::Duration> RetryAfterOf(const absl::Status& status);

// Turns an HttpClient error into a connector failure: outcome unknown when the
// request may have reached the platform and `mutating` (a POST that creates
// something), transient otherwise. `what` names the call ("Mastodon: publishing").
absl::Status FromTransportError(const absl::Status& transport, std::string_view what,
                                bool mutating);

// Classifies an HTTP error response (status >= 400) the way most platforms mean it:
// 401 auth; 408, 425, 429 and 5xx transient, honouring Retry-After (seconds or an
// HTTP date) and RateLimit-Reset / X-RateLimit-Reset / x-rate-limit-reset (epoch
// seconds or an ISO 8601 time); other 4xx permanent. `platform_message` is the platform's own
// explanation, appended for the author.
absl::Status ClassifyHttpError(const HttpResponse& response, std::string_view what,
                               std::string_view platform_message, absl::Time now);

// InvalidArgument (a permanent failure) naming the field and byte offset when the
// post's text or an image's alt text is not valid UTF-8. Every connector checks this
// before sending anything.
absl::Status CheckPostEncoding(const PostRequest& post, std::string_view platform);

// Retry-After's value (delta seconds or IMF-fixdate) as a duration from `now`.
std::optional<absl::Duration> ParseRetryAfter(std::string_view value, absl::Time now);

}  // namespace carepost::publish
