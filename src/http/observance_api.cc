#include "http/observance_api.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/civil_time.h"
#include "core/strings.h"
#include "domain/observances.h"
#include "http/json_body.h"
#include "http/problem.h"

namespace carepost::http {
namespace {

constexpr int kMaxRangeDays = 400;

// The date in query parameter `name`, or the problem naming it.
std::optional<Response> DateParam(const Request& request, std::string_view name,
                                  core::CivilDate* out) {
  const std::optional<std::string> text = QueryParam(request.query, name);
  if (!text.has_value()) {
    return Problem(400, ProblemType::kInvalidField,
                   core::Cat("query parameter '", name, "' is required (YYYY-MM-DD)"), name);
  }
  absl::StatusOr<core::CivilDate> date = core::ParseDate(*text);
  if (!date.ok()) {
    return Problem(400, ProblemType::kInvalidField,
                   core::Cat("query parameter '", name, "' must be a date as YYYY-MM-DD"), name);
  }
  *out = *date;
  return std::nullopt;
}

Response ListObservances(Request& request) {
  core::CivilDate from, to;
  if (auto bad = DateParam(request, "from", &from)) return *bad;
  if (auto bad = DateParam(request, "to", &to)) return *bad;
  if (to < from) {
    return Problem(400, ProblemType::kInvalidField, "'to' must not be before 'from'", "to");
  }
  if (core::DaysSinceEpoch(to) - core::DaysSinceEpoch(from) >= kMaxRangeDays) {
    return Problem(400, ProblemType::kInvalidField,
                   core::Cat("ask for at most ", kMaxRangeDays, " days at a time"), "to");
  }
  absl::StatusOr<std::vector<domain::Observance>> found = domain::ObservancesBetween(from, to);
  if (!found.ok()) return ProblemFromStatus(found.status());
  nlohmann::json items = nlohmann::json::array();
  for (const domain::Observance& o : *found) {
    items.push_back({{"name", o.name},
                     {"kind", domain::ObservanceKindName(o.kind)},
                     {"start", core::FormatDate(o.start)},
                     {"end", core::FormatDate(o.end)},
                     {"sponsor", o.sponsor},
                     {"hashtags", o.hashtags},
                     {"url", o.url},
                     {"safe_messaging", o.safe_messaging}});
  }
  return JsonValueResponse(200, {{"items", std::move(items)}});
}

}  // namespace

void AddObservanceRoutes(App& app) {
  app.Add("GET", "/api/v1/observances", Access::Action("posts.read"), ListObservances);
}

}  // namespace carepost::http
