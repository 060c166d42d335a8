// File: domain/internal/plan_common.h
//
// Pieces the campaign, post and notification services share (not part of the domain's
// contract): brand scoping for list queries, organization checks, JSON string lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/caller.h"
#include "store/database.h"

namespace carepost::domain::internal {

// The brands of the caller's organization where `action` is allowed, or nullopt when it
// is allowed organization-wide (every brand).
std::optional<std::vector<int64_t>> BrandsAllowing(const Caller& caller, std::string_view action);

// Appends " AND <column> IN ($n, ...)" for `brands` (or " AND 1 = 0" for none) to
// `sql`, pushing the ids onto `params`.
void AppendInList(std::string* sql, std::vector<store::Value>* params, std::string_view column,
                  const std::vector<int64_t>& ids);

// NotFound unless brand `brand_id` belongs to `organization_id`.
absl::Status CheckBrandOfOrganization(store::Executor& db, int64_t brand_id,
                                      int64_t organization_id);
// NotFound unless user `user_id` belongs to `organization_id`.
absl::Status CheckUserOfOrganization(store::Executor& db, int64_t user_id, int64_t organization_id);

// A JSON list of strings, and back (InvalidArgument naming `field` when it is not one).
std::string JsonStringList(const std::vector<std::string>& items);
absl::StatusOr<std::vector<std::string>> ParseJsonStringList(std::string_view field,
                                                             std::string_view json);

// The integer in `column`, or nullopt when it is NULL (or not an integer).
std::optional<int64_t> OptionalInt(const store::Row& row, std::string_view column);

// "$n" for the next parameter.
std::string NextParam(const std::vector<store::Value>& params);

}  // namespace carepost::domain::internal
