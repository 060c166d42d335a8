#include "http/plan_api.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/post_media.h"
#include "guard/finding_json.h"
#include "http/json_body.h"
#include "http/problem.h"
#include "http/route_helpers.h"
#include "http/scratch_pool.h"

namespace carepost::http {

namespace {

using nlohmann::json;

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 200;
// view=calendar items are small (no text beyond an excerpt, no findings), so a month of
// a busy organization comes in a few pages.
constexpr int64_t kMaxCalendarLimit = 1000;
constexpr size_t kExcerptBytes = 100;


// The field a domain message is about: its first word, when it names a request field.
std::string_view FieldOf(const absl::Status& s) {
  static constexpr std::string_view kFields[] = {
      "name",          "type",        "goal",           "start_date",   "end_date",
      "owner_user_id", "tags",        "observance_key", "utm_campaign", "brand_id",
      "campaign_id",   "master_text", "variants",       "scheduled_at", "time_zone",
      "comment",       "reason",      "body",           "media",        "anchor",
      "authorization_ids"};
  return FieldNamed(s, kFields);
}

Response Fail(const absl::Status& s) { return ProblemFromStatus(s, FieldOf(s)); }

struct Page {
  int64_t limit = kDefaultLimit;
  int64_t cursor = 0;
};

std::optional<Response> ParsePage(const Request& r, Page* page, int64_t max_limit = kMaxLimit) {
  if (auto v = QueryParam(r.query, "limit")) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(*v, &n) || n < 1 || n > max_limit) {
      return Problem(422, ProblemType::kInvalidField,
                     core::Cat("limit must be a whole number from 1 to ", max_limit), "limit");
    }
    page->limit = n;
  }
  if (auto v = QueryParam(r.query, "cursor"); v && !v->empty()) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(*v, &n) || n < 1) {
      return Problem(422, ProblemType::kInvalidField,
                     "cursor must be the next_cursor of the previous page", "cursor");
    }
    page->cursor = n;
  }
  return std::nullopt;
}

std::optional<Response> ParseIdParam(const Request& r, const char* name,
                                     std::optional<int64_t>* out) {
  if (auto v = QueryParam(r.query, name); v && !v->empty()) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(*v, &n) || n < 1) {
      return Problem(422, ProblemType::kInvalidField, core::Cat(name, " must be an id"), name);
    }
    *out = n;
  }
  return std::nullopt;
}

// A body for an action route: an empty body counts as {}.
std::optional<Response> ParseActionBody(const Request& r,
                                        std::initializer_list<std::string_view> allowed,
                                        json* out) {
  if (r.body.empty()) {
    *out = json::object();
    return std::nullopt;
  }
  return ParseJsonObject(r, allowed, out);
}

// body[field] as a string; "" when absent; a problem when it is not a string.
std::optional<Response> StringField(const json& body, const char* field, std::string* out,
                                    bool required = false) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (required) {
      return Problem(422, ProblemType::kInvalidField,
                     core::Cat("field '", field, "' is required and must be a string"), field);
    }
    return std::nullopt;
  }
  if (!it->is_string()) {
    return Problem(422, ProblemType::kInvalidField,
                   core::Cat("field '", field, "' must be a string"), field);
  }
  *out = it->get<std::string>();
  return std::nullopt;
}

std::optional<Response> IdField(const json& body, const char* field, std::optional<int64_t>* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<int64_t>() < 1) {
    return Problem(422, ProblemType::kInvalidField, core::Cat("field '", field, "' must be an id"),
                   field);
  }
  *out = it->get<int64_t>();
  return std::nullopt;
}

std::optional<Response> TimeField(const json& body, const char* field,
                                  std::optional<absl::Time>* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  std::optional<absl::Time> t;
  if (it->is_string()) t = ParseRfc3339(it->get<std::string>());
  if (!t) {
    return Problem(422, ProblemType::kInvalidField,
                   core::Cat("field '", field,
                             "' must be an RFC 3339 time with an offset (2026-12-04T09:00:00Z)"),
                   field);
  }
  *out = t;
  return std::nullopt;
}

std::optional<Response> StringListField(const json& body, const char* field,
                                        std::vector<std::string>* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  const auto bad = [&] {
    return Problem(422, ProblemType::kInvalidField,
                   core::Cat("field '", field, "' must be a list of strings"), field);
  };
  if (!it->is_array()) return bad();
  out->clear();
  for (const json& v : *it) {
    if (!v.is_string()) return bad();
    out->push_back(v.get<std::string>());
  }
  return std::nullopt;
}

std::optional<Response> CampaignTypeField(const json& body,
                                          std::optional<domain::CampaignType>* out) {
  auto it = body.find("type");
  if (it == body.end() || it->is_null()) return std::nullopt;
  std::optional<domain::CampaignType> t;
  if (it->is_string()) t = domain::ParseCampaignType(it->get<std::string>());
  if (!t) {
    return Problem(422, ProblemType::kInvalidField,
                   "type must be one of awareness, seasonal, misinformation_response, careers, "
                   "event, series, other",
                   "type");
  }
  *out = t;
  return std::nullopt;
}

std::optional<Response> VariantsField(const json& body, std::vector<domain::Variant>* out) {
  auto it = body.find("variants");
  if (it == body.end() || it->is_null()) return std::nullopt;
  const auto bad = [](std::string_view detail) {
    return Problem(422, ProblemType::kInvalidField, detail, "variants");
  };
  if (!it->is_array()) {
    return bad("variants must be a list of {platform, text, link, first_comment, hashtags}");
  }
  out->clear();
  for (const json& v : *it) {
    if (!v.is_object()) return bad("each variant must be an object");
    domain::Variant variant;
    for (const auto& [key, value] : v.items()) {
      if (key == "hashtags") {
        if (auto refused = StringListField(v, "hashtags", &variant.hashtags)) {
          return bad("a variant's hashtags must be a list of strings");
        }
        continue;
      }
      std::string* target = key == "platform"        ? &variant.platform
                            : key == "text"          ? &variant.text
                            : key == "link"          ? &variant.link
                            : key == "first_comment" ? &variant.first_comment
                                                     : nullptr;
      if (target == nullptr) {
        return bad("a variant has only the fields platform, text, link, first_comment, hashtags");
      }
      if (!value.is_string() && !value.is_null()) {
        return bad("a variant's platform, text, link and first_comment are strings");
      }
      if (value.is_string()) *target = value.get<std::string>();
    }
    if (!domain::IsPostPlatform(variant.platform)) {
      return bad(
          "each variant needs a platform: facebook, instagram, threads, x, linkedin, youtube, "
          "pinterest, tiktok, bluesky or mastodon");
    }
    out->push_back(std::move(variant));
  }
  return std::nullopt;
}

// body["media"]: [{media_id, alt_text, platforms}] (platforms optional: every platform).
std::optional<Response> MediaField(const json& body, std::vector<domain::MediaAttachment>* out) {
  auto it = body.find("media");
  if (it == body.end() || it->is_null()) return std::nullopt;
  const auto bad = [](std::string_view detail) {
    return Problem(422, ProblemType::kInvalidField, detail, "media");
  };
  if (!it->is_array()) return bad("media must be a list of {media_id, alt_text, platforms}");
  out->clear();
  for (const json& m : *it) {
    if (!m.is_object()) return bad("each media item must be an object");
    domain::MediaAttachment a;
    for (const auto& [key, value] : m.items()) {
      if (key == "media_id") {
        if (!value.is_number_integer() || value.get<int64_t>() < 1) {
          return bad("a media item's media_id must be the id of an upload");
        }
        a.media_id = value.get<int64_t>();
      } else if (key == "alt_text") {
        if (!value.is_string()) return bad("a media item's alt_text must be a string");
        a.alt_text = value.get<std::string>();
      } else if (key == "platforms") {
        if (auto refused = StringListField(m, "platforms", &a.platforms)) {
          return bad("a media item's platforms must be a list of platform names");
        }
      } else {
        return bad("a media item has only the fields media_id, alt_text, platforms");
      }
    }
    if (a.media_id == 0) return bad("each media item needs a media_id");
    out->push_back(std::move(a));
  }
  return std::nullopt;
}

// body["anchor"]: {revision?, field, start, end} (optional: a comment on the whole post).
std::optional<Response> AnchorField(const json& body, std::optional<domain::CommentAnchor>* out) {
  auto it = body.find("anchor");
  if (it == body.end() || it->is_null()) return std::nullopt;
  auto bad = [](std::string detail) {
    return Problem(422, ProblemType::kInvalidField, detail, "anchor");
  };
  if (!it->is_object()) return bad("anchor must be an object {revision, field, start, end}");
  domain::CommentAnchor a;
  bool has_field = false, has_start = false, has_end = false;
  for (const auto& [key, value] : it->items()) {
    if (key == "field") {
      if (!value.is_string()) return bad("anchor.field must be a string such as master or x.text");
      a.field = value.get<std::string>();
      has_field = true;
    } else if (key == "revision" || key == "start" || key == "end") {
      if (!value.is_number_integer()) return bad(core::Cat("anchor.", key, " must be an integer"));
      const int64_t n = value.get<int64_t>();
      if (key == "revision") {
        a.revision = n;
      } else if (key == "start") {
        a.start = n;
        has_start = true;
      } else {
        a.end = n;
        has_end = true;
      }
    } else {
      return bad("anchor has only the fields revision, field, start, end");
    }
  }
  if (!has_field || !has_start || !has_end) {
    return bad("anchor needs field, start and end (UTF-8 byte offsets, end exclusive)");
  }
  *out = std::move(a);
  return std::nullopt;
}

json AnchorJson(const std::optional<domain::CommentAnchor>& a) {
  if (!a) return nullptr;
  return {{"revision", a->revision}, {"field", a->field}, {"start", a->start}, {"end", a->end}};
}

// body["authorization_ids"]: the patient authorizations the post relies on.
std::optional<Response> AuthorizationIdsField(const json& body, std::vector<int64_t>* out) {
  auto it = body.find("authorization_ids");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) {
    return Problem(422, ProblemType::kInvalidField,
                   "authorization_ids must be a list of patient authorization ids",
                   "authorization_ids");
  }
  out->clear();
  for (const json& v : *it) {
    if (!v.is_number_integer() || v.get<int64_t>() < 1) {
      return Problem(422, ProblemType::kInvalidField,
                     "authorization_ids must be a list of patient authorization ids",
                     "authorization_ids");
    }
    out->push_back(v.get<int64_t>());
  }
  return std::nullopt;
}

json MediaJson(const std::vector<domain::MediaAttachment>& media) {
  json out = json::array();
  for (const domain::MediaAttachment& a : media) {
    out.push_back({{"media_id", a.media_id}, {"alt_text", a.alt_text}, {"platforms", a.platforms}});
  }
  return out;
}

json CampaignJson(const domain::Campaign& c) {
  return {{"id", c.id},
          {"brand_id", c.brand_id},
          {"name", c.name},
          {"type", domain::CampaignTypeName(c.type)},
          {"goal", c.goal},
          {"start_date", c.start_date.empty() ? json(nullptr) : json(c.start_date)},
          {"end_date", c.end_date.empty() ? json(nullptr) : json(c.end_date)},
          {"owner_user_id", OptionalJson(c.owner_user_id)},
          {"tags", c.tags},
          {"observance_key", c.observance_key},
          {"utm_campaign", c.utm_campaign},
          {"created_at", Rfc3339(c.created_at)},
          {"updated_at", Rfc3339(c.updated_at)}};
}

json ApprovalsJson(const std::vector<domain::Approval>& approvals) {
  json out = json::array();
  for (domain::Approval a : approvals) out.push_back(domain::ApprovalName(a));
  return out;
}

json VariantsJson(const std::vector<domain::Variant>& variants, int64_t post_id,
                  std::string_view utm_campaign) {
  json out = json::array();
  for (const domain::Variant& v : variants) {
    out.push_back(
        {{"platform", v.platform},
         {"text", v.text},
         {"link", v.link},
         {"link_with_utm", domain::WithUtm(v.link, {.source = v.platform,
                                                    .medium = "social",
                                                    .campaign = std::string(utm_campaign),
                                                    .content = core::Cat("post-", post_id)})},
         {"first_comment", v.first_comment},
         {"hashtags", v.hashtags}});
  }
  return out;
}

json FindingsJson(const std::string& stored) {
  json j = json::parse(stored, nullptr, false);
  return j.is_object() ? j : json::object();
}

json PostJson(const domain::Post& p, std::string_view utm_campaign) {
  json approvals = json::array();
  for (const domain::ApprovalRecord& a : p.approvals) {
    approvals.push_back({{"approval", domain::ApprovalName(a.approval)},
                         {"user_id", a.user_id},
                         {"at", Rfc3339(a.at)}});
  }
  json override_json = nullptr;
  if (p.override_) {
    override_json = {{"user_id", p.override_->user_id},
                     {"reason", p.override_->reason},
                     {"at", Rfc3339(p.override_->at)}};
  }
  return {{"id", p.id},
          {"brand_id", p.brand_id},
          {"campaign_id", OptionalJson(p.campaign_id)},
          {"author_user_id", p.author_user_id},
          {"status", domain::PostStatusName(p.status)},
          {"revision", p.revision},
          {"edited_by", OptionalJson(p.edited_by)},
          {"scheduled_at", OptionalTimeJson(p.scheduled_at)},
          {"time_zone", p.time_zone},
          {"master_text", p.content.master_text},
          {"variants", VariantsJson(p.content.variants, p.id, utm_campaign)},
          {"media", MediaJson(p.content.media)},
          {"authorization_ids", p.content.authorization_ids},
          {"findings", FindingsJson(p.findings_json)},
          {"required_approvals", ApprovalsJson(p.routing.required)},
          {"blocked", p.routing.blocked},
          {"approvals", approvals},
          {"override", override_json},
          {"series_id", OptionalJson(p.series_id)},
          {"series_date", p.series_date},
          {"series_note", p.series_note},
          {"created_at", Rfc3339(p.created_at)},
          {"updated_at", Rfc3339(p.updated_at)}};
}

// The first kExcerptBytes of `text`, cut at a character boundary, "…" when cut.
std::string Excerpt(std::string_view text) {
  if (text.size() <= kExcerptBytes) return std::string(text);
  size_t end = kExcerptBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return core::Cat(text.substr(0, end), "\xE2\x80\xA6");
}

// A post as the calendar draws it: when, where, how far along, and a line of text.
json PostSummaryJson(const domain::Post& p) {
  json platforms = json::array();
  for (const domain::Variant& v : p.content.variants) platforms.push_back(v.platform);
  return {{"id", p.id},
          {"brand_id", p.brand_id},
          {"campaign_id", OptionalJson(p.campaign_id)},
          {"status", domain::PostStatusName(p.status)},
          {"scheduled_at", OptionalTimeJson(p.scheduled_at)},
          {"time_zone", p.time_zone},
          {"platforms", platforms},
          {"excerpt", Excerpt(p.content.master_text)},
          {"blocked", p.routing.blocked},
          {"overridden", p.override_.has_value()},
          {"series_id", OptionalJson(p.series_id)},
          {"series_note", p.series_note}};
}

using ScreenFn = std::function<guard::ScreenResult(std::string_view, const guard::ScreenRequest&)>;

// A PHI finding that blocks, on text a valid authorization of the post covers (`media_id`:
// the text is that media's alt text): downgraded to review, still phi (compliance
// approves). Returns the covering authorization and the finding as it was.
struct Downgrade {
  int64_t authorization_id = 0;
  std::string original_message;
};
std::optional<Downgrade> ApplyCover(const domain::AuthorizationCover* cover, std::string_view text,
                                    std::optional<int64_t> media_id, guard::Finding* f) {
  if (cover == nullptr || cover->empty() || f->kind != guard::Kind::kPhi ||
      f->severity != guard::Severity::kBlock || f->start >= f->end || f->end > text.size()) {
    return std::nullopt;
  }
  std::optional<domain::CoverMatch> match =
      cover->Match(text.substr(f->start, f->end - f->start), media_id);
  if (!match) return std::nullopt;
  Downgrade d{.authorization_id = match->authorization_id, .original_message = f->message};
  f->severity = guard::Severity::kReview;
  f->message = core::Cat(f->message, " Covered by patient authorization ", match->authorization_id,
                         " (valid until ",
                         absl::FormatTime("%Y-%m-%d", match->expires_at, absl::UTCTimeZone()),
                         "): compliance reviews it instead of a block.");
  return d;
}

// Screens one text for `field` and records it in `report` and `display`.
void ScreenOne(const ScreenFn& screen, std::string_view field, std::string_view text,
               guard::Platform platform, domain::GuardReport* report, std::string* display,
               const domain::AuthorizationCover* cover = nullptr,
               std::optional<int64_t> media_id = std::nullopt) {
  guard::ScreenResult result =
      screen(text, {.context = guard::Context::kPost, .platform = platform});
  std::vector<std::optional<Downgrade>> downgraded(result.findings.size());
  for (size_t i = 0; i < result.findings.size(); ++i) {
    downgraded[i] = ApplyCover(cover, text, media_id, &result.findings[i]);
  }
  result.verdict = guard::VerdictOf(result.findings);
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const guard::Finding& f = result.findings[i];
    report->findings.push_back(
        {.field = std::string(field),
         .kind = std::string(guard::KindName(f.kind)),
         .type = f.type,
         .severity = std::string(guard::SeverityName(f.severity)),
         .authorization_id = downgraded[i] ? downgraded[i]->authorization_id : 0});
  }
  if (display->size() > 1) display->push_back(',');
  guard::AppendJsonString(display, field);
  display->append(":{\"verdict\":");
  guard::AppendJsonString(display, guard::VerdictName(result.verdict));
  display->append(",\"findings\":[");
  for (size_t i = 0; i < result.findings.size(); ++i) {
    if (i > 0) display->push_back(',');
    guard::AppendFindingJson(display, result.findings[i]);
    if (downgraded[i]) {
      // What the domain restores when the authorization stops being valid.
      display->pop_back();
      core::Append(display, ",\"authorization\":{\"id\":", downgraded[i]->authorization_id,
                   ",\"severity\":\"block\",\"message\":");
      guard::AppendJsonString(display, downgraded[i]->original_message);
      display->append("}}");
    }
  }
  display->append("]}");
}

// The guard's report on every text of `content`: the master text, each variant's text
// as published (the master text where it has none, then its hashtags:
// domain::TextAsPublished) with the platform's limits, each first comment, each media
// item's alt text.
// REQUIRES: the texts are valid UTF-8 (the JSON parser guarantees it).
domain::GuardReport ScreenContent(const domain::PostContent& content, const ScreenFn& screen,
                                  const domain::AuthorizationCover* cover) {
  domain::GuardReport report;
  std::string display = "{";
  ScreenOne(screen, "master", content.master_text, guard::Platform::kNone, &report, &display,
            cover);
  for (const domain::Variant& v : content.variants) {
    const guard::Platform platform =
        guard::ParsePlatform(v.platform).value_or(guard::Platform::kNone);
    // As the platform gets it: hashtags appended, counted toward its limits.
    ScreenOne(screen, core::Cat(v.platform, ".text"), domain::TextAsPublished(content, v), platform,
              &report, &display, cover);
    if (!v.first_comment.empty()) {
      ScreenOne(screen, core::Cat(v.platform, ".first_comment"), v.first_comment, platform, &report,
                &display, cover);
    }
  }
  // Alt text is read out to people: screened like the post's own text.
  for (size_t i = 0; i < content.media.size(); ++i) {
    ScreenOne(screen, core::Cat("media[", i, "].alt_text"), content.media[i].alt_text,
              guard::Platform::kNone, &report, &display, cover, content.media[i].media_id);
  }
  display.push_back('}');
  report.display_json = std::move(display);
  return report;
}

struct State {
  PlanApiOptions options;
  std::unique_ptr<ScratchPool> pool;

  // Screens `content` of a post of `brand_id`, with the cover of the valid patient
  // authorizations it names; a problem when it names one that is not the brand's.
  std::optional<Response> Screen(const domain::Caller& caller, int64_t brand_id,
                                 const domain::PostContent& content, domain::GuardReport* out) {
    domain::AuthorizationCover cover;
    if (options.authorizations != nullptr && !content.authorization_ids.empty()) {
      absl::StatusOr<domain::AuthorizationCover> c =
          options.authorizations->CoverFor(caller, brand_id, content.authorization_ids);
      if (!c.ok()) return Fail(c.status());
      cover = *std::move(c);
    }
    *out = ScreenPostContent(*pool, options.metrics, content, &cover);
    return std::nullopt;
  }

  // Bounds checked before screening, so the guard never sees oversized or broken text.
  std::optional<Response> CheckScreenable(const domain::PostContent& content) {
    if (absl::Status s = http::CheckScreenable(content); !s.ok()) return Fail(s);
    return std::nullopt;
  }

  // The utm_campaign of a post's campaign ('' without one), cached per request.
  std::string UtmOf(const domain::Caller& caller, std::optional<int64_t> campaign,
                    std::map<int64_t, std::string>* cache) {
    if (!campaign) return "";
    auto it = cache->find(*campaign);
    if (it != cache->end()) return it->second;
    absl::StatusOr<domain::Campaign> c = options.campaigns->Get(caller, *campaign);
    const std::string utm = c.ok() ? c->utm_campaign : "";
    (*cache)[*campaign] = utm;
    return utm;
  }

  Response PostResponse(int status, const domain::Caller& caller,
                        const absl::StatusOr<domain::Post>& post) {
    if (!post.ok()) return Fail(post.status());
    std::map<int64_t, std::string> cache;
    return JsonValueResponse(status, PostJson(*post, UtmOf(caller, post->campaign_id, &cache)));
  }

  // ---- campaigns ----

  Response ListCampaigns(Request& r) {
    Page page;
    if (auto refused = ParsePage(r, &page)) return *refused;
    domain::CampaignQuery q{.after_id = page.cursor, .limit = page.limit + 1};
    if (auto refused = ParseIdParam(r, "brand_id", &q.brand_id)) return *refused;
    absl::StatusOr<std::vector<domain::Campaign>> list = options.campaigns->List(CallerOf(r), q);
    if (!list.ok()) return Fail(list.status());
    json items = json::array();
    json next = nullptr;
    for (size_t i = 0; i < list->size(); ++i) {
      if (static_cast<int64_t>(i) == page.limit) {
        next = core::Cat((*list)[i - 1].id);
        break;
      }
      items.push_back(CampaignJson((*list)[i]));
    }
    return JsonValueResponse(200, {{"items", items}, {"next_cursor", next}});
  }

  Response CreateCampaign(Request& r) {
    json body;
    if (auto refused =
            ParseJsonObject(r,
                            {"brand_id", "name", "type", "goal", "start_date", "end_date",
                             "owner_user_id", "tags", "observance_key", "utm_campaign"},
                            &body)) {
      return *refused;
    }
    domain::NewCampaign c;
    std::optional<int64_t> brand;
    if (auto refused = IdField(body, "brand_id", &brand)) return *refused;
    if (!brand) {
      return Problem(422, ProblemType::kInvalidField, "field 'brand_id' is required", "brand_id");
    }
    c.brand_id = *brand;
    std::optional<domain::CampaignType> type;
    if (auto refused = CampaignTypeField(body, &type)) return *refused;
    if (!type) {
      return Problem(422, ProblemType::kInvalidField,
                     "field 'type' is required: awareness, seasonal, misinformation_response, "
                     "careers, event, series or other",
                     "type");
    }
    c.type = *type;
    if (auto refused = StringField(body, "name", &c.name, true)) return *refused;
    for (const auto& [field, target] : {std::pair<const char*, std::string*>{"goal", &c.goal},
                                        {"start_date", &c.start_date},
                                        {"end_date", &c.end_date},
                                        {"observance_key", &c.observance_key},
                                        {"utm_campaign", &c.utm_campaign}}) {
      if (auto refused = StringField(body, field, target)) return *refused;
    }
    if (auto refused = IdField(body, "owner_user_id", &c.owner_user_id)) return *refused;
    if (auto refused = StringListField(body, "tags", &c.tags)) return *refused;
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<int64_t> id = options.campaigns->Create(caller, c);
    if (!id.ok()) return Fail(id.status());
    absl::StatusOr<domain::Campaign> made = options.campaigns->Get(caller, *id);
    if (!made.ok()) return Fail(made.status());
    return JsonValueResponse(201, CampaignJson(*made));
  }

  Response GetCampaign(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    absl::StatusOr<domain::Campaign> c = options.campaigns->Get(CallerOf(r), id);
    if (!c.ok()) return Fail(c.status());
    return JsonValueResponse(200, CampaignJson(*c));
  }

  Response PatchCampaign(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    json body;
    if (auto refused = ParseJsonObject(r,
                                       {"name", "type", "goal", "start_date", "end_date",
                                        "owner_user_id", "tags", "observance_key", "utm_campaign"},
                                       &body)) {
      return *refused;
    }
    domain::CampaignEdit edit;
    if (auto refused = CampaignTypeField(body, &edit.type)) return *refused;
    for (const auto& [field, target] :
         {std::pair<const char*, std::optional<std::string>*>{"name", &edit.name},
          {"goal", &edit.goal},
          {"start_date", &edit.start_date},
          {"end_date", &edit.end_date},
          {"observance_key", &edit.observance_key},
          {"utm_campaign", &edit.utm_campaign}}) {
      if (!body.contains(field)) continue;
      std::string value;
      if (auto refused = StringField(body, field, &value)) return *refused;
      *target = value;
    }
    if (auto refused = IdField(body, "owner_user_id", &edit.owner_user_id)) return *refused;
    if (body.contains("tags")) {
      std::vector<std::string> tags;
      if (auto refused = StringListField(body, "tags", &tags)) return *refused;
      edit.tags = tags;
    }
    absl::StatusOr<domain::Campaign> c = options.campaigns->Update(CallerOf(r), id, edit);
    if (!c.ok()) return Fail(c.status());
    return JsonValueResponse(200, CampaignJson(*c));
  }

  Response DeleteCampaign(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    if (absl::Status s = options.campaigns->Delete(CallerOf(r), id); !s.ok()) return Fail(s);
    Response out;
    out.status = 204;
    out.content_type.clear();
    return out;
  }

  // ---- posts ----

  Response ListPosts(Request& r) {
    bool summary = false;
    if (auto v = QueryParam(r.query, "view"); v && !v->empty()) {
      if (*v != "calendar" && *v != "full") {
        return Problem(422, ProblemType::kInvalidField,
                       "view must be full (the default) or calendar (a short summary per post)",
                       "view");
      }
      summary = *v == "calendar";
    }
    Page page;
    if (auto refused = ParsePage(r, &page, summary ? kMaxCalendarLimit : kMaxLimit)) {
      return *refused;
    }
    domain::PostQuery q{.summary_only = summary, .after_id = page.cursor, .limit = page.limit + 1};
    if (auto refused = ParseIdParam(r, "brand_id", &q.brand_id)) return *refused;
    if (auto refused = ParseIdParam(r, "campaign_id", &q.campaign_id)) return *refused;
    if (auto v = QueryParam(r.query, "platform"); v && !v->empty()) {
      if (!domain::IsPostPlatform(*v)) {
        return Problem(422, ProblemType::kInvalidField,
                       "platform must be one of facebook, instagram, threads, x, linkedin, "
                       "youtube, pinterest, tiktok, bluesky, mastodon",
                       "platform");
      }
      q.platform = *v;
    }
    if (auto v = QueryParam(r.query, "status"); v && !v->empty()) {
      q.status = domain::ParsePostStatus(*v);
      if (!q.status) {
        return Problem(422, ProblemType::kInvalidField,
                       "status must be one of draft, in_review, approved, scheduled, "
                       "publishing, published, failed, cancelled",
                       "status");
      }
    }
    if (auto bad = ReadTimeParam(r.query, "from", &q.from)) return *bad;
    if (auto bad = ReadTimeParam(r.query, "to", &q.to)) return *bad;
    if (auto v = QueryParam(r.query, "unscheduled"); v && !v->empty()) {
      if (*v != "true" && *v != "false") {
        return Problem(422, ProblemType::kInvalidField,
                       "unscheduled must be true (only posts without a time) or false",
                       "unscheduled");
      }
      q.unscheduled = *v == "true";
      if (q.unscheduled && (q.from || q.to)) {
        return Problem(422, ProblemType::kInvalidField,
                       "unscheduled=true lists posts without a time: leave out from and to",
                       "unscheduled");
      }
    }
    if (auto v = QueryParam(r.query, "queue"); v && !v->empty()) {
      if (*v != "mine") {
        return Problem(422, ProblemType::kInvalidField,
                       "queue=mine lists the posts waiting for your review", "queue");
      }
      q.awaiting_my_review = true;
    }
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<std::vector<domain::Post>> list = options.posts->List(caller, q);
    if (!list.ok()) return Fail(list.status());
    json items = json::array();
    json next = nullptr;
    std::map<int64_t, std::string> cache;
    for (size_t i = 0; i < list->size(); ++i) {
      if (static_cast<int64_t>(i) == page.limit) {
        next = core::Cat((*list)[i - 1].id);
        break;
      }
      const domain::Post& p = (*list)[i];
      items.push_back(summary ? PostSummaryJson(p)
                              : PostJson(p, UtmOf(caller, p.campaign_id, &cache)));
    }
    return JsonValueResponse(200, {{"items", items}, {"next_cursor", next}});
  }

  Response CreatePost(Request& r) {
    json body;
    if (auto refused = ParseJsonObject(r,
                                       {"brand_id", "campaign_id", "master_text", "variants",
                                        "media", "authorization_ids", "scheduled_at", "time_zone"},
                                       &body)) {
      return *refused;
    }
    domain::NewPost post;
    std::optional<int64_t> brand;
    if (auto refused = IdField(body, "brand_id", &brand)) return *refused;
    if (!brand) {
      return Problem(422, ProblemType::kInvalidField, "field 'brand_id' is required", "brand_id");
    }
    post.brand_id = *brand;
    if (auto refused = IdField(body, "campaign_id", &post.campaign_id)) return *refused;
    if (auto refused = StringField(body, "master_text", &post.content.master_text, true)) {
      return *refused;
    }
    if (auto refused = VariantsField(body, &post.content.variants)) return *refused;
    if (auto refused = MediaField(body, &post.content.media)) return *refused;
    if (auto refused = AuthorizationIdsField(body, &post.content.authorization_ids)) {
      return *refused;
    }
    if (auto refused = TimeField(body, "scheduled_at", &post.scheduled_at)) return *refused;
    if (auto refused = StringField(body, "time_zone", &post.time_zone)) return *refused;
    if (auto refused = CheckScreenable(post.content)) return *refused;
    const domain::Caller caller = CallerOf(r);
    if (auto refused = Screen(caller, post.brand_id, post.content, &post.guard)) return *refused;
    absl::StatusOr<int64_t> id = options.posts->Create(caller, post);
    if (!id.ok()) return Fail(id.status());
    return PostResponse(201, caller, options.posts->Get(caller, *id));
  }

  Response GetPost(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    const domain::Caller caller = CallerOf(r);
    return PostResponse(200, caller, options.posts->Get(caller, id));
  }

  Response PatchPost(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    json body;
    if (auto refused = ParseJsonObject(r,
                                       {"campaign_id", "master_text", "variants", "media",
                                        "authorization_ids", "scheduled_at", "time_zone"},
                                       &body)) {
      return *refused;
    }
    const domain::Caller caller = CallerOf(r);
    domain::PostEdit edit;
    if (body.contains("campaign_id")) {
      std::optional<int64_t> campaign;
      if (auto refused = IdField(body, "campaign_id", &campaign)) return *refused;
      edit.campaign_id = campaign;
    }
    if (body.contains("scheduled_at")) {
      std::optional<absl::Time> at;
      if (auto refused = TimeField(body, "scheduled_at", &at)) return *refused;
      edit.scheduled_at = at;
    }
    if (body.contains("time_zone")) {
      std::string zone;
      if (auto refused = StringField(body, "time_zone", &zone)) return *refused;
      edit.time_zone = zone;
    }
    if (body.contains("master_text") || body.contains("variants") || body.contains("media") ||
        body.contains("authorization_ids")) {
      absl::StatusOr<domain::Post> current = options.posts->Get(caller, id);
      if (!current.ok()) return Fail(current.status());
      domain::PostContent content = current->content;
      if (body.contains("master_text")) {
        if (auto refused = StringField(body, "master_text", &content.master_text, true)) {
          return *refused;
        }
      }
      if (body.contains("variants")) {
        content.variants.clear();
        if (auto refused = VariantsField(body, &content.variants)) return *refused;
      }
      if (body.contains("media")) {
        content.media.clear();
        if (auto refused = MediaField(body, &content.media)) return *refused;
      }
      if (body.contains("authorization_ids")) {
        content.authorization_ids.clear();
        if (auto refused = AuthorizationIdsField(body, &content.authorization_ids)) {
          return *refused;
        }
      }
      if (auto refused = CheckScreenable(content)) return *refused;
      domain::GuardReport guard;
      if (auto refused = Screen(caller, current->brand_id, content, &guard)) return *refused;
      edit.guard = std::move(guard);
      edit.content = std::move(content);
    }
    return PostResponse(200, caller, options.posts->Update(caller, id, edit));
  }

  Response DeletePost(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    if (absl::Status s = options.posts->Delete(CallerOf(r), id); !s.ok()) return Fail(s);
    Response out;
    out.status = 204;
    out.content_type.clear();
    return out;
  }

  // The workflow actions: one optional or required text field, then the domain call.
  Response Action(Request& r, const char* field, bool required,
                  const std::function<absl::StatusOr<domain::Post>(const domain::Caller&, int64_t,
                                                                   const std::string&)>& act) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    json body;
    if (auto refused = ParseActionBody(r, {field}, &body)) return *refused;
    std::string text;
    if (auto refused = StringField(body, field, &text, required)) return *refused;
    const domain::Caller caller = CallerOf(r);
    return PostResponse(200, caller, act(caller, id, text));
  }

  Response Submit(Request& r) {
    return Action(r, "comment", false,
                  [this](const domain::Caller& c, int64_t id, const std::string& text) {
                    return options.posts->Submit(c, id, text);
                  });
  }
  Response Approve(Request& r) {
    return Action(r, "comment", false,
                  [this](const domain::Caller& c, int64_t id, const std::string& text) {
                    return options.posts->Approve(c, id, text);
                  });
  }
  Response RequestChanges(Request& r) {
    return Action(r, "comment", true,
                  [this](const domain::Caller& c, int64_t id, const std::string& text) {
                    return options.posts->RequestChanges(c, id, text);
                  });
  }
  Response Cancel(Request& r) {
    return Action(r, "reason", false,
                  [this](const domain::Caller& c, int64_t id, const std::string& text) {
                    return options.posts->Cancel(c, id, text);
                  });
  }
  Response Override(Request& r) {
    return Action(r, "reason", true,
                  [this](const domain::Caller& c, int64_t id, const std::string& text) {
                    return options.posts->Override(c, id, text);
                  });
  }

  Response Schedule(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    json body;
    if (auto refused = ParseActionBody(r, {"scheduled_at", "time_zone"}, &body)) return *refused;
    std::optional<absl::Time> at;
    if (auto refused = TimeField(body, "scheduled_at", &at)) return *refused;
    std::string zone;
    if (auto refused = StringField(body, "time_zone", &zone)) return *refused;
    const domain::Caller caller = CallerOf(r);
    return PostResponse(200, caller, options.posts->Schedule(caller, id, at, zone));
  }

  Response Revisions(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    absl::StatusOr<std::vector<domain::PostRevision>> revisions =
        options.posts->Revisions(CallerOf(r), id);
    if (!revisions.ok()) return Fail(revisions.status());
    json items = json::array();
    for (const domain::PostRevision& rev : *revisions) {
      items.push_back({{"revision", rev.revision},
                       {"master_text", rev.content.master_text},
                       {"variants", VariantsJson(rev.content.variants, id, "")},
                       {"media", MediaJson(rev.content.media)},
                       {"authorization_ids", rev.content.authorization_ids},
                       {"findings", FindingsJson(rev.findings_json)},
                       {"required_approvals", ApprovalsJson(rev.routing.required)},
                       {"blocked", rev.routing.blocked},
                       {"edited_by", OptionalJson(rev.edited_by)},
                       {"created_at", Rfc3339(rev.created_at)},
                       {"submitted_at", OptionalTimeJson(rev.submitted_at)}});
    }
    return JsonValueResponse(200, {{"items", items}});
  }

  static json CommentJson(const domain::PostComment& c) {
    return {{"id", c.id},
            {"revision", c.revision},
            {"user_id", OptionalJson(c.user_id)},
            {"kind", c.kind},
            {"body", c.body},
            {"created_at", Rfc3339(c.created_at)},
            {"anchor", AnchorJson(c.anchor)}};
  }

  Response Comments(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    absl::StatusOr<std::vector<domain::PostComment>> comments =
        options.posts->Comments(CallerOf(r), id);
    if (!comments.ok()) return Fail(comments.status());
    json items = json::array();
    for (const domain::PostComment& c : *comments) items.push_back(CommentJson(c));
    return JsonValueResponse(200, {{"items", items}});
  }

  Response AddComment(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    json body;
    if (auto refused = ParseJsonObject(r, {"body", "anchor"}, &body)) return *refused;
    std::string text;
    if (auto refused = StringField(body, "body", &text, true)) return *refused;
    std::optional<domain::CommentAnchor> anchor;
    if (auto refused = AnchorField(body, &anchor)) return *refused;
    absl::StatusOr<domain::PostComment> c =
        options.posts->AddComment(CallerOf(r), id, text, anchor);
    if (!c.ok()) return Fail(c.status());
    return JsonValueResponse(201, CommentJson(*c));
  }

  // ---- notifications ----

  Response ListNotifications(Request& r) {
    Page page;
    if (auto refused = ParsePage(r, &page)) return *refused;
    domain::NotificationQuery q{.before_id = page.cursor, .limit = page.limit + 1};
    if (auto v = QueryParam(r.query, "unread"); v && !v->empty()) {
      if (*v != "true" && *v != "false") {
        return Problem(422, ProblemType::kInvalidField, "unread must be true or false", "unread");
      }
      q.unread_only = *v == "true";
    }
    const int64_t user = r.principal->user_id;
    absl::StatusOr<std::vector<domain::Notification>> list = options.notifications->List(user, q);
    if (!list.ok()) return Fail(list.status());
    absl::StatusOr<int64_t> unread = options.notifications->UnreadCount(user);
    if (!unread.ok()) return Fail(unread.status());
    json items = json::array();
    json next = nullptr;
    for (size_t i = 0; i < list->size(); ++i) {
      if (static_cast<int64_t>(i) == page.limit) {
        next = core::Cat((*list)[i - 1].id);
        break;
      }
      const domain::Notification& n = (*list)[i];
      items.push_back({{"id", n.id},
                       {"kind", n.kind},
                       {"post_id", OptionalJson(n.post_id)},
                       {"message", n.message},
                       {"created_at", Rfc3339(n.created_at)},
                       {"read_at", OptionalTimeJson(n.read_at)}});
    }
    return JsonValueResponse(200, {{"items", items}, {"next_cursor", next}, {"unread", *unread}});
  }

  Response MarkRead(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    if (absl::Status s = options.notifications->MarkRead(r.principal->user_id, id); !s.ok()) {
      return Fail(s);
    }
    Response out;
    out.status = 204;
    out.content_type.clear();
    return out;
  }

  Response MarkAllRead(Request& r) {
    absl::StatusOr<int64_t> n = options.notifications->MarkAllRead(r.principal->user_id);
    if (!n.ok()) return Fail(n.status());
    return JsonValueResponse(200, {{"marked", *n}});
  }
};

}  // namespace

domain::GuardReport ScreenPostContent(const guard::Screener& screener,
                                      const domain::PostContent& content,
                                      const domain::AuthorizationCover* cover) {
  guard::Screener::Scratch scratch = screener.NewScratch();
  return ScreenContent(
      content,
      [&](std::string_view text, const guard::ScreenRequest& req) {
        return screener.Screen(text, req, scratch);
      },
      cover);
}

absl::Status CheckScreenable(const domain::PostContent& content) {
  RETURN_IF_ERROR(domain::CheckText("master_text", content.master_text, 1, 64 << 10, false));
  for (const domain::Variant& v : content.variants) {
    for (const std::string* text : {&v.text, &v.first_comment}) {
      RETURN_IF_ERROR(domain::CheckText("variants", *text, 0, 64 << 10, false));
    }
    // Hashtags are screened with the text (TextAsPublished): bounded here as well; the
    // domain names the exact rule (at most 30, single words).
    if (v.hashtags.size() > 100) {
      return absl::InvalidArgumentError(core::Cat("variants.", v.platform, ".hashtags: too many"));
    }
    for (const std::string& h : v.hashtags) {
      RETURN_IF_ERROR(domain::CheckText("variants", h, 0, 100, false));
    }
  }
  return domain::CheckPostMedia(content);
}

domain::GuardReport ScreenPostContent(ScratchPool& pool, Metrics* metrics,
                                      const domain::PostContent& content,
                                      const domain::AuthorizationCover* cover) {
  return ScreenContent(
      content,
      [&](std::string_view text, const guard::ScreenRequest& req) {
        const absl::Time start = absl::Now();
        guard::ScreenResult result = pool.Screen(text, req);
        if (metrics != nullptr) {
          metrics->ObserveScreen(text.size(), absl::ToDoubleSeconds(absl::Now() - start));
        }
        return result;
      },
      cover);
}

std::optional<Response> ReadVariantsField(const json& body, std::vector<domain::Variant>* out) {
  return VariantsField(body, out);
}

void AddPlanRoutes(App& app, PlanApiOptions options) {
  auto state = std::make_shared<State>();
  state->pool = std::make_unique<ScratchPool>(*options.screener);
  state->options = options;
  auto bind = [state](Response (State::*fn)(Request&)) {
    return [state, fn](Request& r) { return ((*state).*fn)(r); };
  };
  app.Add("GET", "/api/v1/campaigns", Access::Action("posts.read"), bind(&State::ListCampaigns));
  app.Add("POST", "/api/v1/campaigns", Access::Action("campaigns.manage", /*idempotent=*/true),
          bind(&State::CreateCampaign));
  app.Add("GET", "/api/v1/campaigns/{id}", Access::Action("posts.read"), bind(&State::GetCampaign));
  app.Add("PATCH", "/api/v1/campaigns/{id}", Access::Action("campaigns.manage"),
          bind(&State::PatchCampaign));
  app.Add("DELETE", "/api/v1/campaigns/{id}", Access::Action("campaigns.manage"),
          bind(&State::DeleteCampaign));
  app.Add("GET", "/api/v1/posts", Access::Action("posts.read"), bind(&State::ListPosts));
  app.Add("POST", "/api/v1/posts", Access::Action("posts.draft", /*idempotent=*/true),
          bind(&State::CreatePost));
  app.Add("GET", "/api/v1/posts/{id}", Access::Action("posts.read"), bind(&State::GetPost));
  app.Add("PATCH", "/api/v1/posts/{id}", Access::Action("posts.draft"), bind(&State::PatchPost));
  app.Add("DELETE", "/api/v1/posts/{id}", Access::Action("posts.draft"), bind(&State::DeletePost));
  app.Add("POST", "/api/v1/posts/{id}/submit", Access::Action("posts.draft"), bind(&State::Submit));
  app.Add("POST", "/api/v1/posts/{id}/approve", Access::Action("posts.review"),
          bind(&State::Approve));
  app.Add("POST", "/api/v1/posts/{id}/request-changes", Access::Action("posts.review"),
          bind(&State::RequestChanges));
  app.Add("POST", "/api/v1/posts/{id}/schedule", Access::Action("posts.schedule"),
          bind(&State::Schedule));
  app.Add("POST", "/api/v1/posts/{id}/cancel", Access::Action("posts.draft"), bind(&State::Cancel));
  app.Add("POST", "/api/v1/posts/{id}/override", Access::Action("guard.override"),
          bind(&State::Override));
  app.Add("GET", "/api/v1/posts/{id}/revisions", Access::Action("posts.read"),
          bind(&State::Revisions));
  app.Add("GET", "/api/v1/posts/{id}/comments", Access::Action("posts.read"),
          bind(&State::Comments));
  app.Add("POST", "/api/v1/posts/{id}/comments", Access::Action("posts.read"),
          bind(&State::AddComment));
  app.Add("GET", "/api/v1/notifications", Access::SignedIn(), bind(&State::ListNotifications));
  app.Add("POST", "/api/v1/notifications/{id}/read", Access::SignedIn(), bind(&State::MarkRead));
  app.Add("POST", "/api/v1/notifications/read-all", Access::SignedIn(), bind(&State::MarkAllRead));
}

}  // namespace carepost::http
