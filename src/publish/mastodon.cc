#include "publish/mastodon.h"

#include <nlohmann/json.hpp>

#include "core/status_macros.h"
#include "core/strings.h"
#include "publish/internal/json_util.h"

namespace carepost::publish {
namespace {

using Json = nlohmann::json;

// The "error" member of a Mastodon error body, or "".
std::string ErrorText(const HttpResponse& res) {
  Json body = Json::parse(res.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    return body["error"].get<std::string>();
  }
  return {};
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string CollapseSpace(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
    } else {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string MastodonContentToText(std::string_view html) {
  std::string out;
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] == '<') {
      const size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;
      std::string_view tag = html.substr(i + 1, end - i - 1);
      if (tag.rfind("br", 0) == 0 || (tag.rfind("p", 0) == 0 && !out.empty())) out.push_back('\n');
      i = end + 1;
      continue;
    }
    if (html[i] == '&') {
      const size_t semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view entity = html.substr(i + 1, semi - i - 1);
        std::string decoded;
        if (entity == "amp")
          decoded = "&";
        else if (entity == "lt")
          decoded = "<";
        else if (entity == "gt")
          decoded = ">";
        else if (entity == "quot")
          decoded = "\"";
        else if (entity == "apos")
          decoded = "'";
        else if (entity.size() > 1 && entity[0] == '#') {
          const bool hex = entity[1] == 'x' || entity[1] == 'X';
          const std::string digits(entity.substr(hex ? 2 : 1));
          char* endp = nullptr;
          const long cp = std::strtol(digits.c_str(), &endp, hex ? 16 : 10);
          if (!digits.empty() && *endp == '\0' && cp > 0 && cp <= 0x10FFFF) {
            char buf[4];
            int n = 0;
            const auto c = static_cast<char32_t>(cp);
            if (c < 0x80) {
              buf[n++] = static_cast<char>(c);
            } else if (c < 0x800) {
              buf[n++] = static_cast<char>(0xC0 | (c >> 6));
              buf[n++] = static_cast<char>(0x80 | (c & 0x3F));
            } else if (c < 0x10000) {
              buf[n++] = static_cast<char>(0xE0 | (c >> 12));
              buf[n++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
              buf[n++] = static_cast<char>(0x80 | (c & 0x3F));
            } else {
              buf[n++] = static_cast<char>(0xF0 | (c >> 18));
              buf[n++] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
              buf[n++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
              buf[n++] = static_cast<char>(0x80 | (c & 0x3F));
            }
            decoded.assign(buf, static_cast<size_t>(n));
          }
        }
        if (!decoded.empty()) {
          out += decoded;
          i = semi + 1;
          continue;
        }
      }
    }
    out.push_back(html[i]);
    ++i;
  }
  return out;
}

MastodonConnector::MastodonConnector(HttpClient& http, MastodonOptions options)
    : http_(http), options_(std::move(options)) {}

absl::StatusOr<HttpResponse> MastodonConnector::Call(HttpRequest request, std::string_view what,
                                                     bool mutating, bool pass_not_found) {
  request.url = options_.base_url + request.url;
  request.headers.emplace_back("Authorization", "Bearer " + options_.access_token);
  request.headers.emplace_back("Accept", "application/json");
  absl::StatusOr<HttpResponse> res = http_.Send(request);
  if (!res.ok()) return FromTransportError(res.status(), what, mutating);
  if (res->status < 400 || (pass_not_found && res->status == 404)) return res;
  const std::string said = ErrorText(*res);
  if (res->status == 422) {
    if (Contains(said, "finished processing")) {
      return TransientError(core::Cat(what,
                                      ": Mastodon is still processing an attached image; "
                                      "carepost will try again"));
    }
    if (Contains(said, "character limit")) {
      return PermanentError(core::Cat(what,
                                      ": the post is longer than this Mastodon server "
                                      "allows (",
                                      said, "); shorten it"));
    }
    if (Contains(said, "duplicate")) {
      return PermanentError(core::Cat(what,
                                      ": Mastodon refused the post as a duplicate of a "
                                      "recent one; change the text"));
    }
  }
  if (res->status == 403) {
    return PermanentError(core::Cat(what, ": Mastodon refused the request (HTTP 403: ", said,
                                    "); check that the account's token has the write scopes"));
  }
  return ClassifyHttpError(*res, what, said, options_.clock->Now());
}

absl::StatusOr<std::string> MastodonConnector::Upload(const MediaItem& item, size_t index) {
  const std::string what = core::Cat("Mastodon: uploading image ", index + 1);
  // A boundary that does not occur in the data.
  std::string boundary = "carepost-boundary-7d3f9a";
  while (item.data.find(boundary) != std::string::npos ||
         item.alt_text.find(boundary) != std::string::npos) {
    boundary += "x";
  }
  std::string body;
  core::Append(
      &body, "--", boundary, "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n",
      item.alt_text, "\r\n--", boundary,
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"image-", index + 1,
      "\"\r\nContent-Type: ", item.mime_type, "\r\n\r\n", item.data, "\r\n--", boundary, "--\r\n");
  HttpRequest req{.method = "POST", .url = "/api/v2/media"};
  req.headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
  req.body = std::move(body);
  // Uploading twice only leaves an unattached copy, which Mastodon discards.
  ASSIGN_OR_RETURN(HttpResponse res, Call(std::move(req), what, /*mutating=*/false));
  Json media = Json::parse(res.body, nullptr, false);
  if (!media.is_object() || !media.value("id", Json()).is_string()) {
    return TransientError(core::Cat(what, ": Mastodon's answer has no media id"));
  }
  const std::string id = media["id"].get<std::string>();
  if (res.status == 200) return id;
  // 202: processing goes on; poll until the attachment has a URL.
  for (int poll = 0; poll < options_.media_polls; ++poll) {
    options_.sleep(options_.media_poll_interval);
    ASSIGN_OR_RETURN(HttpResponse check,
                     Call(HttpRequest{.method = "GET", .url = "/api/v1/media/" + id}, what, false));
    if (check.status == 200) return id;
  }
  return TransientError(core::Cat(what, ": Mastodon is still processing the image after ",
                                  options_.media_polls, " checks; carepost will try again"));
}

absl::StatusOr<PublishedPost> MastodonConnector::Publish(const PostRequest& post) {
  RETURN_IF_ERROR(CheckPostEncoding(post, "Mastodon"));
  if (post.client_reference.empty()) {
    return absl::InvalidArgumentError(
        "Mastodon: publishing needs a client reference (the idempotency key)");
  }
  if (post.media.size() > 4) {
    return PermanentError("Mastodon: a post takes at most 4 images; remove some");
  }
  Json media_ids = Json::array();
  for (size_t i = 0; i < post.media.size(); ++i) {
    ASSIGN_OR_RETURN(std::string id, Upload(post.media[i], i));
    media_ids.push_back(id);
  }
  Json body = {{"status", post.text}, {"visibility", "public"}};
  if (!media_ids.empty()) body["media_ids"] = media_ids;
  HttpRequest req{.method = "POST", .url = "/api/v1/statuses"};
  req.headers.emplace_back("Content-Type", "application/json");
  req.headers.emplace_back("Idempotency-Key", post.client_reference);
  req.body = internal::Dump(body);
  ASSIGN_OR_RETURN(HttpResponse res,
                   Call(std::move(req), "Mastodon: publishing", /*mutating=*/true));
  Json status = Json::parse(res.body, nullptr, false);
  if (!status.is_object() || !status.value("id", Json()).is_string()) {
    // The post exists (2xx) but the answer is unreadable: look it up.
    return OutcomeUnknownError("Mastodon: publishing: the answer has no status id");
  }
  return PublishedPost{status["id"].get<std::string>(), status.value("url", Json()).is_string()
                                                            ? status["url"].get<std::string>()
                                                            : ""};
}

absl::Status MastodonConnector::Delete(std::string_view platform_post_id) {
  // 404: already gone.
  return Call(HttpRequest{.method = "DELETE",
                          .url = core::Cat("/api/v1/statuses/", UrlEncode(platform_post_id))},
              "Mastodon: deleting a post", false, /*pass_not_found=*/true)
      .status();
}

absl::StatusOr<PostStatus> MastodonConnector::FetchStatus(std::string_view platform_post_id) {
  ASSIGN_OR_RETURN(
      HttpResponse res,
      Call(HttpRequest{.method = "GET",
                       .url = core::Cat("/api/v1/statuses/", UrlEncode(platform_post_id))},
           "Mastodon: checking a post", false, /*pass_not_found=*/true));
  if (res.status == 404) return PostStatus{};
  Json status = Json::parse(res.body, nullptr, false);
  PostStatus out;
  out.live = true;
  if (status.is_object() && status.value("url", Json()).is_string())
    out.url = status["url"].get<std::string>();
  return out;
}

absl::StatusOr<std::string> MastodonConnector::AccountId() {
  if (!account_id_.empty()) return account_id_;
  ASSIGN_OR_RETURN(HttpResponse res,
                   Call(HttpRequest{.method = "GET", .url = "/api/v1/accounts/verify_credentials"},
                        "Mastodon: checking the account", false));
  Json account = Json::parse(res.body, nullptr, false);
  if (!account.is_object() || !account.value("id", Json()).is_string()) {
    return TransientError("Mastodon: checking the account: the answer has no account id");
  }
  account_id_ = account["id"].get<std::string>();
  return account_id_;
}

absl::StatusOr<std::optional<PublishedPost>> MastodonConnector::FindByClientReference(
    const PostRequest& post) {
  ASSIGN_OR_RETURN(std::string account, AccountId());
  ASSIGN_OR_RETURN(
      HttpResponse res,
      Call(HttpRequest{.method = "GET",
                       .url = core::Cat(
                           "/api/v1/accounts/", UrlEncode(account),
                           "/statuses?limit=40&exclude_replies=true&exclude_reblogs=true")},
           "Mastodon: looking for the post", false));
  Json list = Json::parse(res.body, nullptr, false);
  if (!list.is_array())
    return TransientError("Mastodon: looking for the post: the answer is not a list");
  const std::string want = CollapseSpace(post.text);
  const absl::Time not_before = post.created_at - absl::Minutes(1);
  for (const Json& status : list) {
    if (!status.is_object() || !status.value("id", Json()).is_string()) continue;
    absl::Time created;
    std::string err;
    if (status.value("created_at", Json()).is_string() &&
        absl::ParseTime(absl::RFC3339_full, status["created_at"].get<std::string>(), &created,
                        &err) &&
        created < not_before) {
      continue;
    }
    const std::string content =
        status.value("content", Json()).is_string() ? status["content"].get<std::string>() : "";
    if (CollapseSpace(MastodonContentToText(content)) != want) continue;
    return std::optional<PublishedPost>(PublishedPost{
        status["id"].get<std::string>(),
        status.value("url", Json()).is_string() ? status["url"].get<std::string>() : ""});
  }
  return std::optional<PublishedPost>();
}

absl::Status MastodonConnector::RefreshToken() {
  account_id_.clear();
  return AccountId().status();
}

}  // namespace carepost::publish
