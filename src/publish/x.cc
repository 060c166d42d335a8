#include "publish/x.h"

#include <nlohmann/json.hpp>

#include "core/status_macros.h"
#include "core/strings.h"
#include "publish/internal/json_util.h"

namespace carepost::publish {
namespace {

using Json = nlohmann::json;
using internal::Dump;
using internal::Field;
using internal::Str;

// X answers errors as problem details: {"title", "detail", "type", "status"}, and
// validation errors with an "errors" array of {"message"}.
std::string ProblemText(const HttpResponse& res) {
  Json body = Json::parse(res.body, nullptr, false);
  if (!body.is_object()) return {};
  if (body.value("detail", Json()).is_string()) {
    std::string out = body["detail"].get<std::string>();
    const Json& errors = Field(body, "errors");
    if (errors.is_array() && !errors.empty() && !Str(errors[0], "message").empty()) {
      out += core::Cat(": ", Str(errors[0], "message"));
    }
    return out;
  }
  return Str(body, "title");
}

}  // namespace

std::string XComparableText(std::string_view text) {
  std::string out;
  size_t i = 0;
  bool space = false;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      ++i;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    if (text.substr(i, 8) == "https://" || text.substr(i, 7) == "http://") {
      while (i < text.size() && text[i] != ' ' && text[i] != '\n' && text[i] != '\t') ++i;
      out += "<url>";
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

XConnector::XConnector(HttpClient& http, XOptions options)
    : http_(http), options_(std::move(options)) {}

std::string XConnector::PostUrl(std::string_view id) const {
  return core::Cat(options_.web_url, "/i/web/status/", id);
}

absl::StatusOr<HttpResponse> XConnector::Call(HttpRequest request, std::string_view what,
                                              bool mutating, bool pass_not_found) {
  request.url = options_.base_url + request.url;
  request.headers.emplace_back("Authorization", "Bearer " + options_.access_token);
  absl::StatusOr<HttpResponse> res = http_.Send(request);
  if (!res.ok()) return FromTransportError(res.status(), what, mutating);
  if (res->status < 400 || (pass_not_found && res->status == 404)) return res;
  const std::string said = ProblemText(*res);
  if (res->status == 403 && said.find("duplicate content") != std::string::npos) {
    return PermanentError(core::Cat(what,
                                    ": X refused the post as a duplicate of a recent one; "
                                    "change the text"));
  }
  if (res->status == 403) {
    return PermanentError(core::Cat(what, ": X refused the post (", said,
                                    "); check the account's access level and the post"));
  }
  return ClassifyHttpError(*res, what, said, options_.clock->Now());
}

absl::StatusOr<PublishedPost> XConnector::Publish(const PostRequest& post) {
  RETURN_IF_ERROR(CheckPostEncoding(post, "X"));
  if (!post.media.empty()) {
    return PermanentError(
        "X: images are not supported by carepost's X connector yet; "
        "publish this post without them or on another platform");
  }
  HttpRequest req{.method = "POST", .url = "/2/tweets"};
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = Dump(Json{{"text", post.text}});
  ASSIGN_OR_RETURN(HttpResponse res, Call(std::move(req), "X: publishing", /*mutating=*/true));
  Json body = Json::parse(res.body, nullptr, false);
  if (!body.is_object() || Str(Field(body, "data"), "id").empty()) {
    return OutcomeUnknownError("X: publishing: the answer has no post id");
  }
  const std::string id = Str(Field(body, "data"), "id");
  return PublishedPost{id, PostUrl(id)};
}

absl::Status XConnector::Delete(std::string_view platform_post_id) {
  return Call(HttpRequest{.method = "DELETE",
                          .url = core::Cat("/2/tweets/", UrlEncode(platform_post_id))},
              "X: deleting a post", false, /*pass_not_found=*/true)
      .status();
}

absl::StatusOr<PostStatus> XConnector::FetchStatus(std::string_view platform_post_id) {
  ASSIGN_OR_RETURN(HttpResponse res,
                   Call(HttpRequest{.method = "GET",
                                    .url = core::Cat("/2/tweets/", UrlEncode(platform_post_id))},
                        "X: checking a post", false, /*pass_not_found=*/true));
  Json body = Json::parse(res.body, nullptr, false);
  // A deleted post answers 200 with only "errors" (Not Found Error).
  if (res.status == 404 || !body.is_object() || !body.contains("data")) return PostStatus{};
  return PostStatus{true, PostUrl(platform_post_id)};
}

absl::StatusOr<std::optional<PublishedPost>> XConnector::FindByClientReference(
    const PostRequest& post) {
  if (user_id_.empty()) {
    ASSIGN_OR_RETURN(HttpResponse me, Call(HttpRequest{.method = "GET", .url = "/2/users/me"},
                                           "X: checking the account", false));
    Json body = Json::parse(me.body, nullptr, false);
    if (!body.is_object() || Str(Field(body, "data"), "id").empty()) {
      return TransientError("X: checking the account: the answer has no user id");
    }
    user_id_ = Str(Field(body, "data"), "id");
  }
  const std::string since = absl::FormatTime(
      "%Y-%m-%dT%H:%M:%SZ", post.created_at - absl::Minutes(1), absl::UTCTimeZone());
  ASSIGN_OR_RETURN(
      HttpResponse res,
      Call(HttpRequest{.method = "GET",
                       .url = core::Cat("/2/users/", UrlEncode(user_id_),
                                        "/tweets?max_results=100&start_time=", UrlEncode(since))},
           "X: looking for the post", false));
  Json body = Json::parse(res.body, nullptr, false);
  if (!body.is_object()) return TransientError("X: looking for the post: the answer is not JSON");
  if (!body.contains("data")) return std::optional<PublishedPost>();  // no posts in the window
  const std::string want = XComparableText(post.text);
  for (const Json& t : body["data"]) {
    if (!t.is_object() || !t.value("id", Json()).is_string() ||
        !t.value("text", Json()).is_string())
      continue;
    if (XComparableText(t["text"].get<std::string>()) != want) continue;
    const std::string id = t["id"].get<std::string>();
    return std::optional<PublishedPost>(PublishedPost{id, PostUrl(id)});
  }
  return std::optional<PublishedPost>();
}

absl::Status XConnector::RefreshToken() {
  if (options_.refresh_token.empty()) {
    return AuthError("X: the account has no refresh token; reconnect it");
  }
  HttpRequest req{.method = "POST", .url = options_.base_url + "/2/oauth2/token"};
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.body = core::Cat("grant_type=refresh_token&refresh_token=", UrlEncode(options_.refresh_token),
                       "&client_id=", UrlEncode(options_.client_id));
  const char* what = "X: renewing the access token";
  absl::StatusOr<HttpResponse> res = http_.Send(req);
  if (!res.ok()) return FromTransportError(res.status(), what, false);
  if (res->status == 400 || res->status == 401) {
    // invalid_grant: the refresh token was used, revoked or expired.
    return AuthError(core::Cat(what, ": X refused the refresh token; reconnect the account"));
  }
  if (res->status >= 400) return ClassifyHttpError(*res, what, "", options_.clock->Now());
  Json body = Json::parse(res->body, nullptr, false);
  if (!body.is_object() || !body.value("access_token", Json()).is_string()) {
    return TransientError(core::Cat(what, ": the answer has no access token"));
  }
  XTokens tokens;
  tokens.access_token = body["access_token"].get<std::string>();
  tokens.refresh_token =
      Str(body, "refresh_token").empty() ? options_.refresh_token : Str(body, "refresh_token");
  if (body.value("expires_in", Json()).is_number_integer()) {
    tokens.expires_in = absl::Seconds(body["expires_in"].get<int64_t>());
  }
  if (options_.on_tokens) options_.on_tokens(tokens);
  options_.access_token = tokens.access_token;
  options_.refresh_token = tokens.refresh_token;
  return absl::OkStatus();
}

}  // namespace carepost::publish
