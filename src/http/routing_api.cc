#include "http/routing_api.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "http/json_body.h"
#include "http/problem.h"
#include "http/route_helpers.h"

namespace carepost::http {
namespace {

using nlohmann::json;

Response RulesResponse(const absl::StatusOr<domain::BrandRouting>& rules) {
  if (!rules.ok()) return ProblemFromStatus(rules.status(), "rules");
  return JsonValueResponse(200, json::parse(domain::RoutingRulesJson(*rules)));
}

struct State {
  RoutingApiOptions options;

  Response Get(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    return RulesResponse(options.rules->Get(CallerOf(r), id));
  }

  Response Put(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    json body;
    if (auto refused = ParseJsonObject(r, {"rules"}, &body)) return *refused;
    absl::StatusOr<domain::BrandRouting> parsed = domain::ParseRoutingRules(body.dump());
    if (!parsed.ok()) return ProblemFromStatus(parsed.status(), "rules");
    return RulesResponse(options.rules->Put(CallerOf(r), id, *parsed));
  }
};

}  // namespace

void AddRoutingRoutes(App& app, RoutingApiOptions options) {
  auto state = std::make_shared<State>();
  state->options = options;
  auto bind = [state](Response (State::*fn)(Request&)) {
    return [state, fn](Request& r) { return ((*state).*fn)(r); };
  };
  app.Add("GET", "/api/v1/brands/{id}/routing", Access::Action("posts.read"), bind(&State::Get));
  app.Add("PUT", "/api/v1/brands/{id}/routing", Access::Action("routing.manage"),
          bind(&State::Put));
}

}  // namespace carepost::http
