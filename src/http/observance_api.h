// File: http/observance_api.h
//
// The year's health observances for the content calendar (docs/openapi.yaml):
//
//   GET /api/v1/observances?from=YYYY-MM-DD&to=YYYY-MM-DD    posts.read
//
// Every observance that overlaps the inclusive date range (at most 400 days), resolved
// from the rules shipped in the binary (domain/observances.h), ordered by start date,
// months before the weeks and days inside them. The data is the same for every
// organization; the permission is the calendar's.
//
//   AddObservanceRoutes(app);
//
// Thread safety: the route is safe to serve from many threads.
#pragma once

#include "http/app.h"

namespace carepost::http {

// Adds the route above to `app`.
void AddObservanceRoutes(App& app);

}  // namespace carepost::http
