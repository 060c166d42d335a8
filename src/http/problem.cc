#include "http/problem.h"

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"

namespace carepost::http {
namespace {

struct Info {
  const char* slug;
  const char* title;
};

Info InfoOf(ProblemType type) {
  switch (type) {
    case ProblemType::kInvalidJson:
      return {"invalid-json", "The request body is not valid JSON"};
    case ProblemType::kInvalidField:
      return {"invalid-field", "A request field is missing or invalid"};
    case ProblemType::kInvalidCsv:
      return {"invalid-csv", "The calendar file has problems"};
    case ProblemType::kNotFound:
      return {"not-found", "Not found"};
    case ProblemType::kMethodNotAllowed:
      return {"method-not-allowed", "Method not allowed"};
    case ProblemType::kBodyTooLarge:
      return {"body-too-large", "The request body is too large"};
    case ProblemType::kUnsupportedMedia:
      return {"unsupported-media-type", "Unsupported media type"};
    case ProblemType::kBadRequest:
      return {"bad-request", "Malformed request"};
    case ProblemType::kUnauthorized:
      return {"unauthorized", "Sign-in required"};
    case ProblemType::kForbidden:
      return {"forbidden", "Not allowed for your roles"};
    case ProblemType::kCsrf:
      return {"csrf", "Missing or wrong CSRF token"};
    case ProblemType::kConflict:
      return {"conflict", "It exists already"};
    case ProblemType::kIdempotencyKey:
      return {"idempotency-key", "Idempotency-Key reused"};
    case ProblemType::kTooManyRequests:
      return {"too-many-requests", "Too many requests"};
    case ProblemType::kInternal:
      return {"internal", "Internal error"};
    case ProblemType::kUnavailable:
      return {"unavailable", "Service unavailable"};
  }
  return {"internal", "Internal error"};
}

}  // namespace

std::string ProblemTypeUri(ProblemType type) {
  return std::string("urn:carepost:problem:") + InfoOf(type).slug;
}

Response Problem(int status, ProblemType type, std::string_view detail, std::string_view field) {
  nlohmann::ordered_json j;
  j["type"] = ProblemTypeUri(type);
  j["title"] = InfoOf(type).title;
  j["status"] = status;
  j["detail"] = std::string(detail);
  if (!field.empty()) j["field"] = std::string(field);
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

void AddSecurityHeaders(Response* response) {
  response->SetHeader("Content-Security-Policy",
                      "default-src 'self'; script-src 'self'; object-src 'none'; "
                      "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  response->SetHeader("X-Content-Type-Options", "nosniff");
  response->SetHeader("X-Frame-Options", "DENY");
  response->SetHeader("Referrer-Policy", "no-referrer");
  // Responses may hold PHI: nothing is cached unless the handler chose otherwise
  // (the web app's hashed files, webui/assets.h).
  bool has_cache_control = false;
  for (const auto& [name, value] : response->headers) {
    if (absl::EqualsIgnoreCase(name, "Cache-Control")) has_cache_control = true;
  }
  if (!has_cache_control) response->SetHeader("Cache-Control", "no-store");
}

}  // namespace carepost::http
