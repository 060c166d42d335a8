// File: domain/campaigns.h
//
// Campaigns: a brand's planned effort (flu shots, Heart Month, a careers push, a
// misinformation response) with a type, goal, dates, owner and tags; posts may belong
// to one. CampaignService keeps them in the `campaigns` table, checks the caller's
// roles for the campaign's brand (read: posts.read, change: campaigns.manage) and
// writes an audit event in the same transaction as every change.
//
//   CampaignService campaigns(db, clock, audit);
//   ASSIGN_OR_RETURN(int64_t id, campaigns.Create(caller, {.brand_id = cardiology,
//       .name = "Flu shots 2026", .type = CampaignType::kSeasonal,
//       .start_date = "2026-10-01", .end_date = "2026-11-30"}));
//
// A campaign the caller may not read is "not found" (its existence is not revealed);
// one the caller may read but not change is PermissionDenied.
//
// WithUtm() adds a campaign's UTM parameters to a link (a pure function): the posts'
// variants keep the link as written and the API shows both.
//
// Thread safety: CampaignService is safe for concurrent use from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/caller.h"
#include "store/database.h"

namespace carepost::domain {

enum class CampaignType {
  kAwareness,
  kSeasonal,
  kMisinformationResponse,
  kCareers,
  kEvent,
  kSeries,
  kOther,
};

// Every type, in declaration order.
std::span<const CampaignType> AllCampaignTypes();
// "awareness", "seasonal", "misinformation_response", "careers", "event", "series", "other".
std::string_view CampaignTypeName(CampaignType type);
std::optional<CampaignType> ParseCampaignType(std::string_view name);

struct Campaign {
  int64_t id = 0;
  int64_t organization_id = 0;
  int64_t brand_id = 0;
  std::string name;
  CampaignType type = CampaignType::kOther;
  std::string goal;
  std::string start_date;  // "YYYY-MM-DD" or ""
  std::string end_date;    // "YYYY-MM-DD" or ""
  std::optional<int64_t> owner_user_id;
  std::vector<std::string> tags;
  std::string observance_key;  // the health observance it was started from, or ""
  std::string utm_campaign;    // utm_campaign for its posts' links
  absl::Time created_at;
  absl::Time updated_at;
};

// What Create() takes. Empty optional fields take defaults: the owner is the caller,
// utm_campaign is derived from the name ("Flu shots 2026" -> "flu-shots-2026").
struct NewCampaign {
  int64_t brand_id = 0;
  std::string name;  // 1 to 200 bytes, no control characters
  CampaignType type = CampaignType::kOther;
  std::string goal;  // up to 2000 bytes
  std::string start_date;
  std::string end_date;                  // not before start_date
  std::optional<int64_t> owner_user_id;  // a user of the caller's organization
  std::vector<std::string> tags;         // up to 20, each 1 to 50 bytes
  std::string observance_key;            // up to 64 of [a-z0-9_-]
  std::string utm_campaign;              // up to 100 of [A-Za-z0-9_.-]
};

// What Update() changes: only the fields that are set. The brand never changes.
struct CampaignEdit {
  std::optional<std::string> name;
  std::optional<CampaignType> type;
  std::optional<std::string> goal;
  std::optional<std::string> start_date;
  std::optional<std::string> end_date;
  std::optional<int64_t> owner_user_id;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> observance_key;
  std::optional<std::string> utm_campaign;
};

struct CampaignQuery {
  std::optional<int64_t> brand_id;  // only this brand
  int64_t after_id = 0;             // cursor: ids above this
  int64_t limit = 50;
};

class CampaignService {
 public:
  // Everything passed in must outlive the service.
  CampaignService(store::Database& db, core::Clock& clock, AuditLog& audit);

  // Creates a campaign. PermissionDenied without campaigns.manage for the brand;
  // NotFound for a brand or owner outside the caller's organization; InvalidArgument
  // (naming the field) for a bad value.
  [[nodiscard]] absl::StatusOr<int64_t> Create(const Caller& caller, const NewCampaign& campaign);
  // NotFound when there is none the caller may read.
  [[nodiscard]] absl::StatusOr<Campaign> Get(const Caller& caller, int64_t id);
  // The campaigns of the brands the caller may read (posts.read), by id.
  [[nodiscard]] absl::StatusOr<std::vector<Campaign>> List(const Caller& caller,
                                                           const CampaignQuery& query);
  [[nodiscard]] absl::StatusOr<Campaign> Update(const Caller& caller, int64_t id,
                                                const CampaignEdit& edit);
  // Deletes a campaign that has no posts (FailedPrecondition otherwise: cancel or move
  // them first).
  [[nodiscard]] absl::Status Delete(const Caller& caller, int64_t id);

 private:
  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
};

// UTM parameters for a link (https://en.wikipedia.org/wiki/UTM_parameters).
struct UtmParams {
  std::string source;    // utm_source: the platform ("facebook")
  std::string medium;    // utm_medium: "social"
  std::string campaign;  // utm_campaign: Campaign::utm_campaign
  std::string content;   // utm_content: optional (a post id)
};

// `link` with the set UTM parameters added to its query (percent-encoded; an existing
// parameter of the same name is replaced; a #fragment stays last). Links that are not
// http(s) URLs, and params with no campaign, leave the link unchanged.
std::string WithUtm(std::string_view link, const UtmParams& params);

// "Flu Shots 2026!" -> "flu-shots-2026": lower-case ASCII letters and digits, runs of
// anything else as one '-', at most 100 characters.
std::string UtmSlug(std::string_view name);

// Checks a calendar date "YYYY-MM-DD" (a real day); `field` names it in the message.
absl::Status CheckDate(std::string_view field, std::string_view date);

// Checks text a person wrote: valid UTF-8, no NUL, at most `max_bytes`; when
// `single_line`, no control characters at all. `field` names it in the message.
absl::Status CheckText(std::string_view field, std::string_view text, size_t min_bytes,
                       size_t max_bytes, bool single_line);

}  // namespace carepost::domain
