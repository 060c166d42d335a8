// File: http/problem.h
//
// Errors as RFC 9457 problem details (application/problem+json):
//
//   {"type": "urn:carepost:problem:invalid-field", "title": "A field is invalid",
//    "status": 400, "detail": "field 'context' must be one of post, reply, inbound",
//    "field": "context"}
//
// `type` is stable (clients branch on it); `detail` says what to fix and never quotes
// request content (it may be PHI).
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace carepost::http {

// The problem types carepost answers with; the slug is the stable part of `type`.
enum class ProblemType {
  kInvalidJson,       // 400 the body is not JSON
  kInvalidField,      // 400/422 a field is missing or has a wrong value
  kInvalidCsv,        // 422 an uploaded calendar file has problems (listed by row, column)
  kNotFound,          // 404 no such route or resource
  kMethodNotAllowed,  // 405 the route exists, the method does not
  kBodyTooLarge,      // 413 the body exceeds the limit
  kUnsupportedMedia,  // 415 the body is not application/json
  kBadRequest,        // 400 malformed HTTP
  kUnauthorized,      // 401 sign-in required (or the credentials are wrong)
  kForbidden,         // 403 the user's roles do not allow this
  kCsrf,              // 403 the X-CSRF-Token header is missing or wrong
  kConflict,          // 409 the thing exists already
  kIdempotencyKey,    // 422/409 Idempotency-Key reused with another request, or in flight
  kTooManyRequests,   // 429 throttled
  kInternal,          // 500
  kUnavailable,       // 503 not ready / shutting down
};

// "urn:carepost:problem:invalid-field".
std::string ProblemTypeUri(ProblemType type);

// A problem+json response. `field` (optional) names the offending request field.
Response Problem(int status, ProblemType type, std::string_view detail,
                 std::string_view field = {});

}  // namespace carepost::http
