// File: domain/routing_rules.h
//
// Per-brand routing rules: which approvals a post needs beyond what its findings call
// for. The guard's findings decide first (RouteFindings: medical_claim or
// misinformation -> clinical_reviewer, phi or patient_confirmation -> compliance); a
// brand's rules then add approvals by what the post is — the platforms it goes to, its
// campaign's type — or by what else the guard found (a kind, at or above a severity).
// A post that needs neither clinical nor compliance review needs a manager's approval,
// as before: that is the floor, "no approval needed beyond a manager's".
//
//   BrandRouting r{.rules = {
//       {.finding_kind = "alarmist", .min_severity = "review",
//        .require = Approval::kClinicalReviewer},
//       {.campaign_type = "misinformation_response", .require = Approval::kClinicalReviewer},
//       {.platform = "tiktok", .require = Approval::kCompliance}}};
//   Routing routing = ApplyRoutingRules(*RouteFindings(findings), r, {.platforms = {"x"}});
//
// Rules are stored per brand (brand_routing_rules, JSON); reading them needs posts.read
// for the brand, changing them routing.manage (admin, manager), audited as
// routing.update with the rule count (rules hold no PHI). PostService applies them
// whenever it routes a revision.
//
// Thread safety: the functions are pure; RoutingRuleService is safe for concurrent use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/caller.h"
#include "domain/posts.h"
#include "store/database.h"

namespace carepost::domain {

inline constexpr size_t kMaxRoutingRules = 50;

// One rule: when every condition that is set holds, `require` is needed. A rule with no
// condition applies to every post of the brand.
struct RoutingRule {
  std::optional<std::string> platform;       // the post has a variant for this platform
  std::optional<std::string> campaign_type;  // its campaign has this type
  std::optional<std::string> finding_kind;   // the guard found this kind ("alarmist", ...)
  // With finding_kind: only findings at or above this severity ("info", "review",
  // "block"); default any.
  std::optional<std::string> min_severity;
  Approval require = Approval::kManager;

  friend bool operator==(const RoutingRule&, const RoutingRule&) = default;
};

struct BrandRouting {
  std::vector<RoutingRule> rules;
};

// What the rules look at besides the findings.
struct RoutingFacts {
  std::vector<std::string> platforms;  // the post's variants' platforms
  std::string campaign_type;           // '' without a campaign
  std::vector<GuardFinding> findings;
};

// `base` (from RouteFindings) plus the approvals the matching rules require, in
// Approval order; the manager's approval stays required only when neither a clinical
// nor a compliance approval is.
Routing ApplyRoutingRules(Routing base, const BrandRouting& routing, const RoutingFacts& facts);

// InvalidArgument naming the rule ("rules[2].platform ...") unless every rule names a
// known platform, campaign type, finding kind and severity, and min_severity comes
// with finding_kind.
[[nodiscard]] absl::Status CheckRoutingRules(const BrandRouting& routing);

// JSON as stored and served: {"rules":[{"platform":..., "require":"compliance"}, ...]}.
std::string RoutingRulesJson(const BrandRouting& routing);
[[nodiscard]] absl::StatusOr<BrandRouting> ParseRoutingRules(std::string_view json);

// The brand's rules as stored (none when never set), for PostService.
[[nodiscard]] absl::StatusOr<BrandRouting> ReadBrandRouting(store::Executor& db, int64_t brand_id);

class RoutingRuleService {
 public:
  // Everything passed in must outlive the service.
  RoutingRuleService(store::Database& db, core::Clock& clock, AuditLog& audit);

  // The brand's rules (posts.read for the brand; NotFound for a brand of another
  // organization or one the caller may not read).
  [[nodiscard]] absl::StatusOr<BrandRouting> Get(const Caller& caller, int64_t brand_id);
  // Replaces the brand's rules (routing.manage for the brand). They apply to revisions
  // routed from then on; posts already routed keep their approvals.
  [[nodiscard]] absl::StatusOr<BrandRouting> Put(const Caller& caller, int64_t brand_id,
                                                 const BrandRouting& routing);

 private:
  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
};

}  // namespace carepost::domain
