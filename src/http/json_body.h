// File: http/json_body.h
//
// Reading JSON request bodies and turning domain errors into problem responses, the
// same way for every route:
//
//   nlohmann::json body;
//   if (auto refused = ParseJsonObject(request, {"email", "password"}, &body)) {
//     return *refused;   // 415 / 400 / 422 with a detail that says what to fix
//   }
//
// Details never quote request content (it may be PHI); a field name is echoed only when
// it is one the route knows or is short.
//
// Thread safety: pure functions.
#pragma once

#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "http/message.h"

namespace carepost::http {

// Parses the body as a JSON object whose keys are all in `allowed`; nullopt on success,
// else the problem to answer.
std::optional<Response> ParseJsonObject(const Request& request,
                                        std::initializer_list<std::string_view> allowed,
                                        nlohmann::json* out);

// The problem for a failed domain call. Domain messages never hold PHI or secrets, so
// InvalidArgument (422), NotFound (404), AlreadyExists (409), PermissionDenied (403),
// Unauthenticated (401), FailedPrecondition (409) and ResourceExhausted (429) pass
// their message on; anything else becomes a generic 500/503 that says to retry.
Response ProblemFromStatus(const absl::Status& status, std::string_view field = {});

// RFC 3339 in UTC with milliseconds: "2026-12-04T18:30:00.000Z".
std::string Rfc3339(absl::Time t);
// An optional value as JSON: the value, or null.
nlohmann::json OptionalJson(const std::optional<int64_t>& v);
nlohmann::json OptionalTimeJson(const std::optional<absl::Time>& t);  // RFC 3339 or null
// Parses an RFC 3339 date-time ("2026-12-04T18:30:00Z", offsets allowed) or a plain
// date ("2026-12-04", midnight UTC); nullopt when it is neither.
std::optional<absl::Time> ParseRfc3339(std::string_view text);

// The value of query parameter `name` (percent-decoded; '+' is a space), or nullopt.
std::optional<std::string> QueryParam(std::string_view query, std::string_view name);

// Reads the time query parameter `name` (ParseRfc3339) into *out when present and not
// empty; a 422 problem naming it when it is not a date or time.
std::optional<Response> ReadTimeParam(std::string_view query, std::string_view name,
                                      std::optional<absl::Time>* out);

// A JSON response from a DOM.
Response JsonValueResponse(int status, const nlohmann::json& body);

}  // namespace carepost::http
