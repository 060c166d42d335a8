#include "publish/bluesky.h"

#include <functional>
#include <nlohmann/json.hpp>

#include "core/status_macros.h"
#include "core/strings.h"
#include "publish/bluesky_facets.h"
#include "publish/internal/json_util.h"

namespace carepost::publish {
namespace {

using Json = nlohmann::json;
using internal::Dump;
using internal::Field;
using internal::Str;

constexpr char kPostCollection[] = "app.bsky.feed.post";

struct XrpcError {
  std::string error;
  std::string message;
};

XrpcError ParseError(const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  XrpcError e;
  if (j.is_object()) {
    if (j.value("error", Json()).is_string()) e.error = j["error"].get<std::string>();
    if (j.value("message", Json()).is_string()) e.message = j["message"].get<std::string>();
  }
  return e;
}

std::string Tid(int64_t micros, uint32_t clock_id) {
  static constexpr char kAlphabet[] = "234567abcdefghijklmnopqrstuvwxyz";
  uint64_t v = (static_cast<uint64_t>(micros) << 10) | (clock_id & 0x3FF);
  v &= ~(uint64_t{1} << 63);
  std::string out(13, '2');
  for (int i = 12; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kAlphabet[v & 31];
    v >>= 5;
  }
  return out;
}

// FNV-1a: stable across processes and builds (std::hash is not).
uint32_t Fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

std::string RkeyOf(std::string_view at_uri) {
  const size_t slash = at_uri.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(at_uri.substr(slash + 1));
}

std::string RkeyWithOffset(const PostRequest& post, int offset) {
  return Tid(absl::ToUnixMicros(post.created_at) + offset, Fnv1a(post.client_reference));
}

}  // namespace

std::string ClientReferenceRkey(const PostRequest& post) { return RkeyWithOffset(post, 0); }

struct BlueskyConnector::Xrpc {
  std::string nsid;
  bool procedure = false;  // POST; otherwise GET (a query)
  std::string query;       // "a=1&b=2", already encoded
  std::string body;        // JSON, or raw bytes for uploadBlob
  std::string content_type = "application/json";
  std::string what;             // for messages: "Bluesky: publishing"
  bool mutating = false;        // creates something (outcome unknown after a lost answer)
  bool pass_not_found = false;  // answer RecordNotFound as a response, not a failure
};

BlueskyConnector::BlueskyConnector(HttpClient& http, BlueskyOptions options)
    : http_(http), options_(std::move(options)) {}

absl::StatusOr<std::string> BlueskyConnector::CallOnce(const Xrpc& call, bool* expired) {
  *expired = false;
  HttpRequest req;
  req.method = call.procedure ? "POST" : "GET";
  req.url = core::Cat(options_.service_url, "/xrpc/", call.nsid, call.query.empty() ? "" : "?",
                      call.query);
  req.headers.emplace_back("Authorization", "Bearer " + access_jwt_);
  req.headers.emplace_back("Accept", "application/json");
  if (call.procedure) req.headers.emplace_back("Content-Type", call.content_type);
  req.body = call.body;
  absl::StatusOr<HttpResponse> res = http_.Send(req);
  if (!res.ok()) return FromTransportError(res.status(), call.what, call.mutating);
  if (res->status < 400) return std::move(res->body);
  const XrpcError e = ParseError(res->body);
  if (e.error == "ExpiredToken" || e.error == "InvalidToken") {
    *expired = true;
    return AuthError(core::Cat(call.what, ": the Bluesky session expired; reconnect the account"));
  }
  if (call.pass_not_found && e.error == "RecordNotFound") return std::string();
  if (res->status == 400 && e.error == "InvalidRequest") {
    if (e.message.find("duplicate") != std::string::npos) {
      return PermanentError(core::Cat(call.what,
                                      ": Bluesky refused the post as a duplicate of a "
                                      "recent one; change the text"));
    }
    if (e.message.find("graphemes") != std::string::npos) {
      return PermanentError(core::Cat(call.what,
                                      ": the post is longer than Bluesky's 300 "
                                      "characters; shorten it"));
    }
  }
  if (e.error == "BlobTooLarge") {
    return PermanentError(core::Cat(call.what, ": an image is larger than Bluesky accepts (",
                                    e.message, "); use a smaller image"));
  }
  const std::string said = e.error.empty() ? e.message : core::Cat(e.error, ": ", e.message);
  return ClassifyHttpError(*res, call.what, said, options_.clock->Now());
}

absl::StatusOr<std::string> BlueskyConnector::Call(const Xrpc& call) {
  RETURN_IF_ERROR(EnsureSession());
  bool expired = false;
  absl::StatusOr<std::string> body = CallOnce(call, &expired);
  if (!expired) return body;
  RETURN_IF_ERROR(RefreshToken());
  return CallOnce(call, &expired);
}

absl::Status BlueskyConnector::EnsureSession() {
  if (!access_jwt_.empty()) return absl::OkStatus();
  return CreateSession();
}

absl::Status BlueskyConnector::CreateSession() {
  HttpRequest req{.method = "POST",
                  .url = options_.service_url + "/xrpc/com.atproto.server.createSession"};
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = Dump(Json{{"identifier", options_.identifier}, {"password", options_.app_password}});
  const char* what = "Bluesky: signing in";
  absl::StatusOr<HttpResponse> res = http_.Send(req);
  if (!res.ok()) return FromTransportError(res.status(), what, false);
  if (res->status >= 400) {
    const XrpcError e = ParseError(res->body);
    if (res->status == 401 || e.error == "AuthenticationRequired" || e.error == "AccountTakedown") {
      return AuthError(core::Cat(what, ": Bluesky refused the handle or app password (", e.error,
                                 "); create a new app password and reconnect the account"));
    }
    return ClassifyHttpError(*res, what, e.message, options_.clock->Now());
  }
  Json s = Json::parse(res->body, nullptr, false);
  if (!s.is_object() || !s.value("accessJwt", Json()).is_string() ||
      !s.value("did", Json()).is_string()) {
    return TransientError(core::Cat(what, ": Bluesky's answer has no session"));
  }
  access_jwt_ = s["accessJwt"].get<std::string>();
  refresh_jwt_ = Str(s, "refreshJwt");
  did_ = s["did"].get<std::string>();
  handle_ = Str(s, "handle").empty() ? options_.identifier : Str(s, "handle");
  return absl::OkStatus();
}

absl::Status BlueskyConnector::RefreshToken() {
  if (refresh_jwt_.empty()) return CreateSession();
  HttpRequest req{.method = "POST",
                  .url = options_.service_url + "/xrpc/com.atproto.server.refreshSession"};
  req.headers.emplace_back("Authorization", "Bearer " + refresh_jwt_);
  absl::StatusOr<HttpResponse> res = http_.Send(req);
  if (!res.ok()) return FromTransportError(res.status(), "Bluesky: renewing the session", false);
  if (res->status >= 400) {
    // The refresh token expired or was revoked: sign in again with the app password.
    access_jwt_.clear();
    refresh_jwt_.clear();
    return CreateSession();
  }
  Json s = Json::parse(res->body, nullptr, false);
  if (!s.is_object() || !s.value("accessJwt", Json()).is_string()) {
    return TransientError("Bluesky: renewing the session: the answer has no session");
  }
  access_jwt_ = s["accessJwt"].get<std::string>();
  refresh_jwt_ = Str(s, "refreshJwt");
  if (s.value("did", Json()).is_string()) did_ = s["did"].get<std::string>();
  if (s.value("handle", Json()).is_string()) handle_ = s["handle"].get<std::string>();
  return absl::OkStatus();
}

absl::StatusOr<std::string> BlueskyConnector::ResolveHandle(const std::string& handle) {
  ASSIGN_OR_RETURN(std::string body, Call(Xrpc{.nsid = "com.atproto.identity.resolveHandle",
                                               .query = "handle=" + UrlEncode(handle),
                                               .what = "Bluesky: resolving a mention"}));
  Json j = Json::parse(body, nullptr, false);
  if (!j.is_object() || !j.value("did", Json()).is_string()) return std::string();
  return j["did"].get<std::string>();
}

std::string BlueskyConnector::PostUrl(std::string_view rkey) const {
  return core::Cat(options_.app_view_url, "/profile/", handle_.empty() ? did_ : handle_, "/post/",
                   rkey);
}

absl::StatusOr<PublishedPost> BlueskyConnector::Publish(const PostRequest& post) {
  RETURN_IF_ERROR(CheckPostEncoding(post, "Bluesky"));
  if (post.client_reference.empty()) {
    return absl::InvalidArgumentError("Bluesky: publishing needs a client reference");
  }
  if (post.media.size() > 4)
    return PermanentError("Bluesky: a post takes at most 4 images; remove some");
  RETURN_IF_ERROR(EnsureSession());

  Json facets = Json::array();
  for (const FacetSpan& f : FindFacets(post.text)) {
    Json feature;
    if (f.kind == FacetSpan::kLink) {
      feature = {{"$type", "app.bsky.richtext.facet#link"}, {"uri", f.value}};
    } else if (f.kind == FacetSpan::kTag) {
      feature = {{"$type", "app.bsky.richtext.facet#tag"}, {"tag", f.value}};
    } else {
      absl::StatusOr<std::string> did = ResolveHandle(f.value);
      // A handle that does not resolve stays plain text; other failures stop the post.
      if (!did.ok() && FailureKindOf(did.status()) != FailureKind::kPermanent) return did.status();
      if (!did.ok() || did->empty()) continue;
      feature = {{"$type", "app.bsky.richtext.facet#mention"}, {"did", *did}};
    }
    facets.push_back({{"index", {{"byteStart", f.byte_start}, {"byteEnd", f.byte_end}}},
                      {"features", Json::array({feature})}});
  }

  Json images = Json::array();
  for (size_t i = 0; i < post.media.size(); ++i) {
    const MediaItem& m = post.media[i];
    ASSIGN_OR_RETURN(std::string body,
                     Call(Xrpc{.nsid = "com.atproto.repo.uploadBlob",
                               .procedure = true,
                               .body = m.data,
                               .content_type = m.mime_type,
                               .what = core::Cat("Bluesky: uploading image ", i + 1)}));
    Json j = Json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("blob")) {
      return TransientError(
          core::Cat("Bluesky: uploading image ", i + 1, ": the answer has no blob"));
    }
    images.push_back({{"alt", m.alt_text}, {"image", j["blob"]}});
  }

  Json record = {{"$type", kPostCollection},
                 {"text", post.text},
                 {"createdAt", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", options_.clock->Now(),
                                                absl::UTCTimeZone())}};
  if (!facets.empty()) record["facets"] = facets;
  if (!images.empty()) record["embed"] = {{"$type", "app.bsky.embed.images"}, {"images", images}};

  // A taken record key means an earlier attempt published this post (same text), or,
  // rarely, that another job's key collides: then the next microsecond is tried.
  for (int offset = 0; offset < 3; ++offset) {
    const std::string rkey = RkeyWithOffset(post, offset);
    Json input = {
        {"repo", did_}, {"collection", kPostCollection}, {"rkey", rkey}, {"record", record}};
    absl::StatusOr<std::string> body = Call(Xrpc{.nsid = "com.atproto.repo.createRecord",
                                                 .procedure = true,
                                                 .body = Dump(input),
                                                 .what = "Bluesky: publishing",
                                                 .mutating = true});
    if (body.ok()) {
      Json j = Json::parse(*body, nullptr, false);
      if (!j.is_object() || !j.value("uri", Json()).is_string()) {
        return OutcomeUnknownError("Bluesky: publishing: the answer has no record URI");
      }
      return PublishedPost{j["uri"].get<std::string>(), PostUrl(rkey)};
    }
    if (FailureKindOf(body.status()) != FailureKind::kPermanent) return body.status();
    // Is the key taken?
    ASSIGN_OR_RETURN(std::string existing,
                     Call(Xrpc{.nsid = "com.atproto.repo.getRecord",
                               .query = core::Cat("repo=", UrlEncode(did_),
                                                  "&collection=", kPostCollection, "&rkey=", rkey),
                               .what = "Bluesky: checking an earlier attempt",
                               .pass_not_found = true}));
    if (existing.empty()) return body.status();  // not taken: the refusal stands
    Json j = Json::parse(existing, nullptr, false);
    if (j.is_object() && Str(Field(j, "value"), "text") == post.text &&
        j.value("uri", Json()).is_string()) {
      return PublishedPost{j["uri"].get<std::string>(), PostUrl(rkey)};
    }
  }
  return PermanentError("Bluesky: publishing: no free record key for this post; try again later");
}

absl::Status BlueskyConnector::Delete(std::string_view platform_post_id) {
  const std::string rkey = RkeyOf(platform_post_id);
  if (rkey.empty())
    return absl::InvalidArgumentError("Bluesky: deleting: the post id is not an at:// URI");
  RETURN_IF_ERROR(EnsureSession());
  Json input = {{"repo", did_}, {"collection", kPostCollection}, {"rkey", rkey}};
  return Call(Xrpc{.nsid = "com.atproto.repo.deleteRecord",
                   .procedure = true,
                   .body = Dump(input),
                   .what = "Bluesky: deleting a post"})
      .status();
}

absl::StatusOr<PostStatus> BlueskyConnector::FetchStatus(std::string_view platform_post_id) {
  const std::string rkey = RkeyOf(platform_post_id);
  if (rkey.empty())
    return absl::InvalidArgumentError("Bluesky: checking: the post id is not an at:// URI");
  RETURN_IF_ERROR(EnsureSession());
  ASSIGN_OR_RETURN(std::string body, Call(Xrpc{.nsid = "com.atproto.repo.getRecord",
                                               .query = core::Cat("repo=", UrlEncode(did_),
                                                                  "&collection=", kPostCollection,
                                                                  "&rkey=", UrlEncode(rkey)),
                                               .what = "Bluesky: checking a post",
                                               .pass_not_found = true}));
  if (body.empty()) return PostStatus{};
  return PostStatus{true, PostUrl(rkey)};
}

absl::StatusOr<std::optional<PublishedPost>> BlueskyConnector::FindByClientReference(
    const PostRequest& post) {
  RETURN_IF_ERROR(EnsureSession());
  ASSIGN_OR_RETURN(std::string body,
                   Call(Xrpc{.nsid = "com.atproto.repo.listRecords",
                             .query = core::Cat("repo=", UrlEncode(did_),
                                                "&collection=", kPostCollection, "&limit=100"),
                             .what = "Bluesky: looking for the post"}));
  Json j = Json::parse(body, nullptr, false);
  if (!j.is_object() || !j.value("records", Json()).is_array()) {
    return TransientError("Bluesky: looking for the post: the answer has no records");
  }
  for (int offset = 0; offset < 3; ++offset) {
    const std::string rkey = RkeyWithOffset(post, offset);
    for (const Json& r : j["records"]) {
      if (!r.is_object() || !r.value("uri", Json()).is_string()) continue;
      const std::string uri = r["uri"].get<std::string>();
      if (RkeyOf(uri) != rkey) continue;
      if (Str(Field(r, "value"), "text") != post.text) continue;
      return std::optional<PublishedPost>(PublishedPost{uri, PostUrl(rkey)});
    }
  }
  return std::optional<PublishedPost>();
}

}  // namespace carepost::publish
