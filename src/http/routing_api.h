// File: http/routing_api.h
//
// The API routes for a brand's routing rules (docs/openapi.yaml has the contract;
// domain/routing_rules.h the rules):
//
//   GET /api/v1/brands/{id}/routing   the brand's rules              posts.read
//   PUT /api/v1/brands/{id}/routing   replace them                   routing.manage
//
// The body and the answer are {"rules": [{platform, campaign_type, finding_kind,
// min_severity, require}, ...]}; a bad rule is 422 naming it ("rules[2].platform ...").
//
// Thread safety: the routes are safe to serve from many threads.
#pragma once

#include "domain/routing_rules.h"
#include "http/app.h"

namespace carepost::http {

struct RoutingApiOptions {
  // Required; must outlive the App.
  domain::RoutingRuleService* rules = nullptr;
};

// Adds the routes above to `app`.
void AddRoutingRoutes(App& app, RoutingApiOptions options);

}  // namespace carepost::http
