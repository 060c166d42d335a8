// File: http/route_helpers.h
//
// Small pieces the domain-backed routes share (plan_api, calendar_api, media_api,
// authorization_api, ...): the domain Caller of a signed-in request, the {id} path
// parameter, and the request field a domain error is about.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "domain/caller.h"
#include "http/message.h"
#include "http/problem.h"

namespace carepost::http {

// The caller a domain service checks. REQUIRES: the request is signed in.
inline domain::Caller CallerOf(const Request& r) {
  return domain::Caller{.actor = {.user_id = r.principal->user_id,
                                  .name = r.principal->email,
                                  .from_address = r.client_address},
                        .organization_id = r.principal->organization_id,
                        .grants = r.principal->grants};
}

// Reads the {id} path parameter into *id; a 404 problem when it is not a positive
// whole number.
inline std::optional<Response> ParseId(const Request& r, int64_t* id) {
  auto it = r.path_params.find("id");
  if (it == r.path_params.end() || !absl::SimpleAtoi(it->second, id) || *id < 1) {
    return Problem(404, ProblemType::kNotFound, "ids are whole numbers");
  }
  return std::nullopt;
}

// The request field a domain message is about: its first word (up to a space, ':', '.'
// or '['), when that is one of `fields`; '' otherwise. Domain messages start with the
// field they are about ("master_text is empty", "variants.x.link ...").
inline std::string_view FieldNamed(const absl::Status& s,
                                   std::span<const std::string_view> fields) {
  const std::string m(s.message());
  const std::string word = m.substr(0, m.find_first_of(" :.["));
  for (std::string_view f : fields) {
    if (word == f) return f;
  }
  return {};
}

}  // namespace carepost::http
