// File: domain/caller.h
//
// Who is calling a service that checks authorization itself (campaigns, posts,
// notifications): the actor for the audit log, their organization, and the roles they
// hold. The HTTP layer builds one from the request's principal; the demo seeding from
// the accounts it made.
//
//   Caller caller{.actor = {.user_id = 7, .name = "ann@example.org", .from_address = ip},
//                 .organization_id = 1, .grants = *users.GetGrants(7)};
//
// Thread safety: a plain value.
#pragma once

#include <cstdint>

#include "domain/permissions.h"
#include "domain/users.h"

namespace carepost::domain {

struct Caller {
  Actor actor;  // REQUIRES: actor.user_id is set (a person acts)
  int64_t organization_id = 0;
  Grants grants;

  // True when the caller's roles allow `action` for `brand_id`.
  bool Can(std::string_view action, int64_t brand_id) const {
    return Allowed(grants, action, brand_id);
  }
  int64_t user_id() const { return actor.user_id.value_or(0); }
};

}  // namespace carepost::domain
