#include "domain/routing_rules.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/campaigns.h"
#include "domain/internal/plan_common.h"

namespace carepost::domain {
namespace {

using nlohmann::json;

// The guard's finding kinds (guard/finding.h); the domain does not link the guard.
constexpr std::string_view kFindingKinds[] = {"phi",      "patient_confirmation", "misinformation",
                                              "alarmist", "medical_claim",        "reading_level",
                                              "crisis",   "platform_limit"};

int SeverityRank(std::string_view s) { return s == "block" ? 2 : s == "review" ? 1 : 0; }

bool Matches(const RoutingRule& rule, const RoutingFacts& facts) {
  if (rule.platform && std::find(facts.platforms.begin(), facts.platforms.end(), *rule.platform) ==
                           facts.platforms.end()) {
    return false;
  }
  if (rule.campaign_type && *rule.campaign_type != facts.campaign_type) return false;
  if (rule.finding_kind) {
    const int floor = rule.min_severity ? SeverityRank(*rule.min_severity) : 0;
    bool found = false;
    for (const GuardFinding& f : facts.findings) {
      found = found || (f.kind == *rule.finding_kind && SeverityRank(f.severity) >= floor);
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

Routing ApplyRoutingRules(Routing base, const BrandRouting& routing, const RoutingFacts& facts) {
  bool need[3] = {false, false, false};
  for (Approval a : base.required) need[static_cast<size_t>(a)] = true;
  for (const RoutingRule& rule : routing.rules) {
    if (Matches(rule, facts)) need[static_cast<size_t>(rule.require)] = true;
  }
  const bool reviewed = need[static_cast<size_t>(Approval::kClinicalReviewer)] ||
                        need[static_cast<size_t>(Approval::kCompliance)];
  // The manager's approval is the floor, needed only when no reviewer's is. A rule that
  // asks for it explicitly keeps it beside the reviewers'.
  bool manager_rule = false;
  for (const RoutingRule& rule : routing.rules) {
    manager_rule = manager_rule || (rule.require == Approval::kManager && Matches(rule, facts));
  }
  need[static_cast<size_t>(Approval::kManager)] = !reviewed || manager_rule;
  base.required.clear();
  for (Approval a : AllApprovals()) {
    if (need[static_cast<size_t>(a)]) base.required.push_back(a);
  }
  return base;
}

absl::Status CheckRoutingRules(const BrandRouting& routing) {
  if (routing.rules.size() > kMaxRoutingRules) {
    return absl::InvalidArgumentError(core::Cat("rules: at most ", kMaxRoutingRules, " per brand"));
  }
  for (size_t i = 0; i < routing.rules.size(); ++i) {
    const RoutingRule& r = routing.rules[i];
    const std::string at = core::Cat("rules[", i, "]");
    if (r.platform && !IsPostPlatform(*r.platform)) {
      return absl::InvalidArgumentError(core::Cat(at, ".platform is not one of the platforms"));
    }
    if (r.campaign_type && !ParseCampaignType(*r.campaign_type)) {
      return absl::InvalidArgumentError(
          core::Cat(at, ".campaign_type is not a campaign type (awareness, seasonal, ...)"));
    }
    if (r.finding_kind && std::find(std::begin(kFindingKinds), std::end(kFindingKinds),
                                    *r.finding_kind) == std::end(kFindingKinds)) {
      return absl::InvalidArgumentError(
          core::Cat(at,
                    ".finding_kind must be one of phi, patient_confirmation, misinformation, "
                    "alarmist, medical_claim, reading_level, crisis, platform_limit"));
    }
    if (r.min_severity) {
      if (!r.finding_kind) {
        return absl::InvalidArgumentError(core::Cat(at, ".min_severity needs a finding_kind"));
      }
      if (*r.min_severity != "info" && *r.min_severity != "review" && *r.min_severity != "block") {
        return absl::InvalidArgumentError(
            core::Cat(at, ".min_severity must be info, review or block"));
      }
    }
  }
  return absl::OkStatus();
}

std::string RoutingRulesJson(const BrandRouting& routing) {
  json rules = json::array();
  for (const RoutingRule& r : routing.rules) {
    json j = json::object();
    if (r.platform) j["platform"] = *r.platform;
    if (r.campaign_type) j["campaign_type"] = *r.campaign_type;
    if (r.finding_kind) j["finding_kind"] = *r.finding_kind;
    if (r.min_severity) j["min_severity"] = *r.min_severity;
    j["require"] = ApprovalName(r.require);
    rules.push_back(std::move(j));
  }
  return json{{"rules", rules}}.dump();
}

absl::StatusOr<BrandRouting> ParseRoutingRules(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("rules") || !j["rules"].is_array()) {
    return absl::InvalidArgumentError(
        "rules must be a list of {platform, campaign_type, "
        "finding_kind, min_severity, require}");
  }
  BrandRouting out;
  for (size_t i = 0; i < j["rules"].size(); ++i) {
    const json& r = j["rules"][i];
    const std::string at = core::Cat("rules[", i, "]");
    if (!r.is_object()) return absl::InvalidArgumentError(core::Cat(at, " must be an object"));
    RoutingRule rule;
    bool has_require = false;
    for (const auto& [key, value] : r.items()) {
      std::optional<std::string>* target = key == "platform"        ? &rule.platform
                                           : key == "campaign_type" ? &rule.campaign_type
                                           : key == "finding_kind"  ? &rule.finding_kind
                                           : key == "min_severity"  ? &rule.min_severity
                                                                    : nullptr;
      if (key == "require") {
        std::optional<Approval> a;
        if (value.is_string()) a = ParseApproval(value.get<std::string>());
        if (!a) {
          return absl::InvalidArgumentError(
              core::Cat(at, ".require must be manager, clinical_reviewer or compliance"));
        }
        rule.require = *a;
        has_require = true;
      } else if (target == nullptr) {
        return absl::InvalidArgumentError(
            core::Cat(at,
                      " has only the fields platform, campaign_type, finding_kind, "
                      "min_severity, require"));
      } else if (value.is_string()) {
        *target = value.get<std::string>();
      } else if (!value.is_null()) {
        return absl::InvalidArgumentError(core::Cat(at, ".", key, " must be a string"));
      }
    }
    if (!has_require) {
      return absl::InvalidArgumentError(core::Cat(at, ".require is required"));
    }
    out.rules.push_back(std::move(rule));
  }
  RETURN_IF_ERROR(CheckRoutingRules(out));
  return out;
}

absl::StatusOr<BrandRouting> ReadBrandRouting(store::Executor& db, int64_t brand_id) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      db.Query("SELECT rules FROM brand_routing_rules WHERE brand_id = $1", {brand_id}));
  if (rows.empty()) return BrandRouting{};
  ASSIGN_OR_RETURN(std::string text, rows[0].GetText("rules"));
  absl::StatusOr<BrandRouting> parsed = ParseRoutingRules(text);
  if (!parsed.ok()) {
    return absl::DataLossError(
        core::Cat("the routing rules of brand ", brand_id,
                  " are malformed: ", std::string(parsed.status().message())));
  }
  return parsed;
}

RoutingRuleService::RoutingRuleService(store::Database& db, core::Clock& clock, AuditLog& audit)
    : db_(db), clock_(clock), audit_(audit) {}

absl::StatusOr<BrandRouting> RoutingRuleService::Get(const Caller& caller, int64_t brand_id) {
  RETURN_IF_ERROR(internal::CheckBrandOfOrganization(db_, brand_id, caller.organization_id));
  if (!caller.Can("posts.read", brand_id)) {
    return absl::NotFoundError(core::Cat("no brand with id ", brand_id));
  }
  return ReadBrandRouting(db_, brand_id);
}

absl::StatusOr<BrandRouting> RoutingRuleService::Put(const Caller& caller, int64_t brand_id,
                                                     const BrandRouting& routing) {
  RETURN_IF_ERROR(CheckRoutingRules(routing));
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(internal::CheckBrandOfOrganization(tx, brand_id, caller.organization_id));
    if (!caller.Can("routing.manage", brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow changing this brand's routing rules (routing.manage)");
    }
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    RETURN_IF_ERROR(
        tx.Execute("DELETE FROM brand_routing_rules WHERE brand_id = $1", {brand_id}).status());
    RETURN_IF_ERROR(tx.Execute("INSERT INTO brand_routing_rules (brand_id, rules, updated_by, "
                               "updated_at) VALUES ($1, $2, $3, $4)",
                               {brand_id, RoutingRulesJson(routing), caller.user_id(), now})
                        .status());
    AuditEntry e = EntryFor(caller.actor, "routing.update");
    e.organization_id = caller.organization_id;
    e.record_type = "brand";
    e.record_id = core::Cat(brand_id);
    e.details = json{{"rules", routing.rules.size()}}.dump();
    return audit_.AppendInTx(tx, e).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadBrandRouting(db_, brand_id);
}

}  // namespace carepost::domain
