#include "publish/connector.h"

#include <charconv>

#include "absl/strings/cord.h"
#include "core/strings.h"
#include "core/utf8.h"

namespace carepost::publish {
namespace {

constexpr char kKindPayload[] = "carepost.publish/failure-kind";
constexpr char kRetryAfterPayload[] = "carepost.publish/retry-after-ms";

absl::Status WithKind(absl::Status s, FailureKind kind) {
  s.SetPayload(kKindPayload, absl::Cord(std::string(FailureKindName(kind))));
  return s;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string_view FailureKindName(FailureKind kind) {
  switch (kind) {
    case FailureKind::kNone:
      return "none";
    case FailureKind::kTransient:
      return "transient";
    case FailureKind::kPermanent:
      return "permanent";
    case FailureKind::kAuth:
      return "auth";
    case FailureKind::kOutcomeUnknown:
      return "outcome-unknown";
  }
  return "none";
}

absl::Status TransientError(std::string message, std::optional<absl::Duration> retry_after,
                            bool rate_limited) {
  absl::Status s = WithKind(
      rate_limited ? absl::ResourceExhaustedError(message) : absl::UnavailableError(message),
      FailureKind::kTransient);
  if (retry_after.has_value()) {
    s.SetPayload(kRetryAfterPayload,
                 absl::Cord(std::to_string(absl::ToInt64Milliseconds(*retry_after))));
  }
  return s;
}

absl::Status PermanentError(std::string message) {
  return WithKind(absl::FailedPreconditionError(message), FailureKind::kPermanent);
}

absl::Status AuthError(std::string message) {
  return WithKind(absl::UnauthenticatedError(message), FailureKind::kAuth);
}

absl::Status OutcomeUnknownError(std::string message) {
  return WithKind(absl::UnknownError(message), FailureKind::kOutcomeUnknown);
}

FailureKind FailureKindOf(const absl::Status& status) {
  if (status.ok()) return FailureKind::kNone;
  if (auto payload = status.GetPayload(kKindPayload)) {
    const std::string name(*payload);
    for (FailureKind k : {FailureKind::kTransient, FailureKind::kPermanent, FailureKind::kAuth,
                          FailureKind::kOutcomeUnknown}) {
      if (name == FailureKindName(k)) return k;
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kUnauthenticated:
      return FailureKind::kAuth;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDeadlineExceeded:
      return FailureKind::kTransient;
    default:
      return FailureKind::kPermanent;
  }
}

std::optional<absl::Duration> RetryAfterOf(const absl::Status& status) {
  auto payload = status.GetPayload(kRetryAfterPayload);
  if (!payload) return std::nullopt;
  auto ms = ParseInt(std::string(*payload));
  if (!ms) return std::nullopt;
  return absl::Milliseconds(*ms);
}

absl::Status FromTransportError(const absl::Status& transport, std::string_view what,
                                bool mutating) {
  const std::string detail(transport.message());
  if (mutating && RequestMayHaveBeenSent(transport)) {
    return OutcomeUnknownError(
        core::Cat(what, ": no complete answer from the platform (", detail,
                  "); it may have published the post, so look it up before trying again"));
  }
  return TransientError(core::Cat(what, ": could not reach the platform (", detail, ")"));
}

absl::Status CheckPostEncoding(const PostRequest& post, std::string_view platform) {
  if (core::Utf8Check c = core::ValidateUtf8(post.text); !c.ok) {
    return absl::InvalidArgumentError(
        core::Cat(platform, ": the post text is not valid UTF-8 at byte ", c.error_offset));
  }
  for (size_t i = 0; i < post.media.size(); ++i) {
    if (core::Utf8Check c = core::ValidateUtf8(post.media[i].alt_text); !c.ok) {
      return absl::InvalidArgumentError(core::Cat(platform, ": the alt text of image ", i + 1,
                                                  " is not valid UTF-8 at byte ", c.error_offset));
    }
  }
  return absl::OkStatus();
}

std::optional<absl::Duration> ParseRetryAfter(std::string_view value, absl::Time now) {
  if (value.empty()) return std::nullopt;
  if (auto seconds = ParseInt(value)) {
    return absl::Seconds(std::max<int64_t>(0, *seconds));
  }
  absl::Time at;
  std::string err;
  if (absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", std::string(value), &at, &err)) {
    return std::max(absl::ZeroDuration(), at - now);
  }
  return std::nullopt;
}

namespace {
// RateLimit-Reset (Bluesky: epoch seconds), X-RateLimit-Reset (Mastodon: ISO 8601) or
// x-rate-limit-reset (X: epoch seconds).
std::optional<absl::Duration> ParseReset(std::string_view value, absl::Time now) {
  if (value.empty()) return std::nullopt;
  if (auto epoch = ParseInt(value)) {
    // Small numbers are delta seconds (the IETF RateLimit draft), large ones epochs.
    if (*epoch < 1'000'000'000) return absl::Seconds(std::max<int64_t>(0, *epoch));
    return std::max(absl::ZeroDuration(), absl::FromUnixSeconds(*epoch) - now);
  }
  absl::Time at;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, std::string(value), &at, &err)) {
    return std::max(absl::ZeroDuration(), at - now);
  }
  return std::nullopt;
}
}  // namespace

absl::Status ClassifyHttpError(const HttpResponse& response, std::string_view what,
                               std::string_view platform_message, absl::Time now) {
  const std::string said = platform_message.empty()
                               ? std::string()
                               : core::Cat(" (the platform said: ", platform_message, ")");
  const int code = response.status;
  if (code == 401) {
    return AuthError(core::Cat(what, ": the account's access was refused (HTTP 401)", said,
                               "; reconnect the account"));
  }
  if (code == 408 || code == 425 || code == 429 || code >= 500) {
    std::optional<absl::Duration> wait = ParseRetryAfter(response.Header("retry-after"), now);
    if (!wait) wait = ParseReset(response.Header("ratelimit-reset"), now);
    if (!wait) wait = ParseReset(response.Header("x-ratelimit-reset"), now);
    if (!wait) wait = ParseReset(response.Header("x-rate-limit-reset"), now);
    if (code == 429) {
      return TransientError(core::Cat(what, ": the platform's rate limit was reached (HTTP 429)",
                                      said, "; carepost will try again"),
                            wait, /*rate_limited=*/true);
    }
    return TransientError(core::Cat(what, ": the platform had a temporary problem (HTTP ", code,
                                    ")", said, "; carepost will try again"),
                          wait);
  }
  return PermanentError(
      core::Cat(what, ": the platform refused the request (HTTP ", code, ")", said));
}

}  // namespace carepost::publish
