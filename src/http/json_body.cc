#include "http/json_body.h"

#include <nlohmann/json.hpp>

#include "core/strings.h"
#include "http/problem.h"

namespace carepost::http {

namespace {

bool IsJsonContentType(std::string_view ct) {
  const size_t semi = ct.find(';');
  std::string base(ct.substr(0, semi));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (char& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return base == "application/json";
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::optional<Response> ParseJsonObject(const Request& request,
                                        std::initializer_list<std::string_view> allowed,
                                        nlohmann::json* out) {
  if (!IsJsonContentType(request.Header("content-type"))) {
    return Problem(415, ProblemType::kUnsupportedMedia,
                   "send the body as JSON with Content-Type: application/json");
  }
  std::string names;
  for (std::string_view a : allowed) {
    if (!names.empty()) names += ", ";
    names += a;
  }
  try {
    *out = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    return Problem(400, ProblemType::kInvalidJson,
                   core::Cat("the body is not valid JSON (error at byte ", e.byte,
                             "); send an object with the fields ", names));
  }
  if (!out->is_object()) {
    return Problem(400, ProblemType::kInvalidJson,
                   core::Cat("the body must be a JSON object with the fields ", names));
  }
  for (const auto& [key, value] : out->items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) {
      return Problem(422, ProblemType::kInvalidField,
                     core::Cat("unknown field; the fields are ", names),
                     key.size() <= 64 ? std::string_view(key) : std::string_view("(long name)"));
    }
  }
  return std::nullopt;
}

Response ProblemFromStatus(const absl::Status& status, std::string_view field) {
  const std::string message(status.message());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return Problem(422, ProblemType::kInvalidField, message, field);
    case absl::StatusCode::kNotFound:
      return Problem(404, ProblemType::kNotFound, message);
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
      return Problem(409, ProblemType::kConflict, message, field);
    case absl::StatusCode::kPermissionDenied:
      return Problem(403, ProblemType::kForbidden, message);
    case absl::StatusCode::kUnauthenticated:
      return Problem(401, ProblemType::kUnauthorized, message);
    case absl::StatusCode::kResourceExhausted: {
      Response r = Problem(429, ProblemType::kTooManyRequests, message);
      r.SetHeader("Retry-After", "60");
      return r;
    }
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kDeadlineExceeded:
      return Problem(503, ProblemType::kUnavailable,
                     "the database is busy or unreachable; retry in a moment");
    default:
      return Problem(500, ProblemType::kInternal,
                     "something went wrong on the server; the request id identifies it in the "
                     "server log");
  }
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

nlohmann::json OptionalJson(const std::optional<int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json OptionalTimeJson(const std::optional<absl::Time>& t) {
  return t ? nlohmann::json(Rfc3339(*t)) : nlohmann::json(nullptr);
}

std::optional<absl::Time> ParseRfc3339(std::string_view text) {
  if (text.size() > 64) return std::nullopt;
  absl::Time t;
  std::string err;
  const std::string s(text);
  if (absl::ParseTime(absl::RFC3339_full, s, &t, &err)) return t;
  if (absl::ParseTime("%Y-%m-%d", s, absl::UTCTimeZone(), &t, &err)) return t;
  return std::nullopt;
}

std::optional<std::string> QueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (PercentDecode(pair.substr(0, eq)) == name) {
      return eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

Response JsonValueResponse(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

std::optional<Response> ReadTimeParam(std::string_view query, std::string_view name,
                                      std::optional<absl::Time>* out) {
  std::optional<std::string> v = QueryParam(query, name);
  if (!v || v->empty()) return std::nullopt;
  std::optional<absl::Time> t = ParseRfc3339(*v);
  if (!t) {
    return Problem(422, ProblemType::kInvalidField,
                   core::Cat(name, " must be a date (2026-12-04) or an RFC 3339 time"), name);
  }
  *out = *t;
  return std::nullopt;
}

}  // namespace carepost::http
