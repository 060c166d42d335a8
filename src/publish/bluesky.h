// File: publish/bluesky.h
//
// The Bluesky connector: AT Protocol XRPC against the account's PDS, with an app
// password.
//
//   BlueskyConnector bluesky(http, {.service_url = "https://bsky.social",
//                                   .identifier = "clinic.bsky.social",
//                                   .app_password = app_password});
//   ASSIGN_OR_RETURN(PublishedPost p, bluesky.Publish(post));   // p.platform_post_id
//                                                               // is the at:// URI
//
// - Sessions: com.atproto.server.createSession (identifier + app password) gives an
//   access and a refresh token; com.atproto.server.refreshSession renews them. When a
//   call answers ExpiredToken the connector renews the session once and repeats the
//   call; RefreshToken() renews on demand, falling back to a new session.
// - Publish: each image goes up with com.atproto.repo.uploadBlob and into an
//   app.bsky.embed.images embed with its alt text (at most 4). Links, mentions and
//   hashtags in the text become app.bsky.richtext.facet entries with UTF-8 byte ranges
//   (bluesky_facets.h); a mention's handle is resolved to a DID with
//   com.atproto.identity.resolveHandle, and one that does not resolve stays plain text.
//   The record goes in with com.atproto.repo.createRecord under a record key derived
//   from the job (ClientReferenceRkey): a TID whose time is the job's creation time and
//   whose clock id comes from the client reference. A retry therefore writes the same
//   record key, and when that key is already taken the post was published: the
//   connector answers with the existing record instead of a duplicate.
// - FindByClientReference: com.atproto.repo.listRecords of app.bsky.feed.post (the 100
//   newest), looking for that record key.
// - Delete: com.atproto.repo.deleteRecord. FetchStatus: com.atproto.repo.getRecord.
//
// Thread safety: not safe for concurrent calls (see connector.h).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "core/clock.h"
#include "publish/connector.h"
#include "publish/http_client.h"

namespace carepost::publish {

struct BlueskyOptions {
  // The account's PDS, without a trailing slash ("https://bsky.social" for accounts
  // hosted by Bluesky).
  std::string service_url;
  // Handle or DID, and an app password (never the account password). Never logged.
  std::string identifier;
  std::string app_password;
  // Where post URLs point: <app_view_url>/profile/<handle>/post/<rkey>.
  std::string app_view_url = "https://bsky.app";
  // Time source for Retry-After dates.
  core::Clock* clock = &core::SystemClock::Get();
};

class BlueskyConnector final : public Connector {
 public:
  // `http` must outlive the connector.
  BlueskyConnector(HttpClient& http, BlueskyOptions options);

  std::string_view platform() const override { return "bluesky"; }
  absl::StatusOr<PublishedPost> Publish(const PostRequest& post) override;
  absl::Status Delete(std::string_view platform_post_id) override;
  absl::StatusOr<PostStatus> FetchStatus(std::string_view platform_post_id) override;
  absl::StatusOr<std::optional<PublishedPost>> FindByClientReference(
      const PostRequest& post) override;
  absl::Status RefreshToken() override;

 private:
  struct Xrpc;
  // Calls an XRPC method (query when body is empty and !post, else procedure) with the
  // session's access token, renewing the session once on ExpiredToken.
  absl::StatusOr<std::string> Call(const Xrpc& call);
  absl::StatusOr<std::string> CallOnce(const Xrpc& call, bool* expired);
  absl::Status EnsureSession();
  absl::Status CreateSession();
  absl::StatusOr<std::string> ResolveHandle(const std::string& handle);
  std::string PostUrl(std::string_view rkey) const;

  HttpClient& http_;
  const BlueskyOptions options_;
  std::string access_jwt_;   // never logged
  std::string refresh_jwt_;  // never logged
  std::string did_;
  std::string handle_;
};

// The record key a job's post is written under: a TID (13 characters of
// base32-sortable) of `created_at` in microseconds and 10 bits of the client
// reference's hash.
std::string ClientReferenceRkey(const PostRequest& post);

}  // namespace carepost::publish
