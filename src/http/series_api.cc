#include "http/series_api.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/numbers.h"
#include "core/strings.h"
#include "http/json_body.h"
#include "http/plan_api.h"
#include "http/problem.h"
#include "http/route_helpers.h"

namespace carepost::http {

namespace {

using nlohmann::json;

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 200;

constexpr std::array<std::string_view, 7> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};

std::optional<core::Weekday> ParseWeekday(std::string_view name) {
  for (size_t i = 0; i < kWeekdays.size(); ++i) {
    if (kWeekdays[i] == name) return static_cast<core::Weekday>(i);
  }
  return std::nullopt;
}

std::string_view WeekdayJson(core::Weekday d) { return kWeekdays[static_cast<int>(d)]; }

// The field a domain message is about: its first word (after "recurrence: " for the
// rule's checks), as the API names it.
std::string_view FieldOf(const absl::Status& s) {
  static constexpr std::pair<std::string_view, std::string_view> kFields[] = {
      {"brand_id", "brand_id"},
      {"campaign_id", "campaign_id"},
      {"master_text", "master_text"},
      {"variants", "variants"},
      {"media", "media"},
      {"frequency", "frequency"},
      {"interval", "interval"},
      {"weekdays", "weekdays"},
      {"weekday", "weekday"},
      {"month_day", "month_day"},
      {"week_ordinal", "week_ordinal"},
      {"time", "time"},
      {"time_zone", "time_zone"},
      {"zone", "time_zone"},
      {"start", "start_date"},
      {"until", "until_date"},
      {"count", "count"},
      {"zone_changes", "zone_changes"}};
  std::string m(s.message());
  constexpr std::string_view kRule = "recurrence: ";
  if (m.compare(0, kRule.size(), kRule) == 0) m.erase(0, kRule.size());
  const std::string word = m.substr(0, m.find_first_of(" :.["));
  for (const auto& [domain_name, api_name] : kFields) {
    if (word == domain_name) return api_name;
  }
  return {};
}

Response Fail(const absl::Status& s) { return ProblemFromStatus(s, FieldOf(s)); }

Response Invalid(std::string_view field, std::string_view detail) {
  return Problem(422, ProblemType::kInvalidField, detail, field);
}

json RuleJson(const domain::RecurrenceRule& r) {
  json weekdays = json::array();
  for (core::Weekday d : r.weekdays) weekdays.push_back(WeekdayJson(d));
  json changes = json::array();
  for (const domain::ZoneChange& c : r.zone_changes) {
    changes.push_back({{"from", core::FormatDate(c.from)}, {"time_zone", c.zone}});
  }
  return {{"frequency", domain::FrequencyName(r.frequency)},
          {"interval", r.interval},
          {"weekdays", weekdays},
          {"month_day", r.month_day},
          {"week_ordinal", r.week_ordinal},
          {"weekday", WeekdayJson(r.weekday)},
          {"time", core::FormatTime(r.time)},
          {"time_zone", r.zone},
          {"start_date", core::FormatDate(r.start)},
          {"until_date", r.until ? json(core::FormatDate(*r.until)) : json(nullptr)},
          {"count", r.count ? json(*r.count) : json(nullptr)},
          {"zone_changes", changes}};
}

json SeriesJson(const domain::Series& s) {
  json variants = json::array();
  for (const domain::Variant& v : s.content.variants) {
    variants.push_back({{"platform", v.platform},
                        {"text", v.text},
                        {"link", v.link},
                        {"first_comment", v.first_comment},
                        {"hashtags", v.hashtags}});
  }
  return {{"id", s.id},
          {"brand_id", s.brand_id},
          {"campaign_id", OptionalJson(s.campaign_id)},
          {"created_by", s.created_by},
          {"status", domain::SeriesStatusName(s.status)},
          {"rule", RuleJson(s.rule)},
          {"description", domain::Describe(s.rule)},
          {"master_text", s.content.master_text},
          {"variants", variants},
          {"materialized_until", Rfc3339(s.materialized_until)},
          {"created_at", Rfc3339(s.created_at)},
          {"updated_at", Rfc3339(s.updated_at)},
          {"ended_at", OptionalTimeJson(s.ended_at)}};
}

json OccurrenceJson(const domain::Post& p) {
  return {{"post_id", p.id},
          {"status", domain::PostStatusName(p.status)},
          {"scheduled_at", OptionalTimeJson(p.scheduled_at)},
          {"time_zone", p.time_zone},
          {"series_date", p.series_date},
          {"series_state", p.series_state},
          {"series_note", p.series_note},
          {"blocked", p.routing.blocked}};
}

std::optional<Response> DateField(const json& body, const char* field, core::CivilDate* out,
                                  bool* present = nullptr) {
  auto it = body.find(field);
  if (present != nullptr) *present = false;
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return Invalid(field, core::Cat(field, " must be a date YYYY-MM-DD"));
  absl::StatusOr<core::CivilDate> d = core::ParseDate(it->get<std::string>());
  if (!d.ok()) return Invalid(field, core::Cat(field, ": ", std::string(d.status().message())));
  *out = *d;
  if (present != nullptr) *present = true;
  return std::nullopt;
}

std::optional<Response> IntField(const json& body, const char* field, int* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<int64_t>() < -1000000 || it->get<int64_t>() > 1000000) {
    return Invalid(field, core::Cat("rule.", field, " must be a whole number"));
  }
  *out = static_cast<int>(it->get<int64_t>());
  return std::nullopt;
}

// body["rule"] into *rule (zone changes included).
std::optional<Response> RuleField(const json& body, domain::RecurrenceRule* rule) {
  auto it = body.find("rule");
  if (it == body.end() || !it->is_object()) {
    return Invalid("rule",
                   "rule must be an object {frequency, interval, weekdays, month_day, "
                   "week_ordinal, weekday, time, time_zone, start_date, until_date, count}");
  }
  const json& r = *it;
  for (const auto& [key, value] : r.items()) {
    static constexpr std::string_view kKeys[] = {
        "frequency", "interval",  "weekdays",   "month_day",  "week_ordinal", "weekday",
        "time",      "time_zone", "start_date", "until_date", "count",        "zone_changes"};
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
      return Invalid("rule",
                     "rule has only the fields frequency, interval, weekdays, month_day, "
                     "week_ordinal, weekday, time, time_zone, start_date, until_date, "
                     "count, zone_changes");
    }
  }
  std::optional<domain::Frequency> f;
  if (auto v = r.find("frequency"); v != r.end() && v->is_string()) {
    f = domain::ParseFrequency(v->get<std::string>());
  }
  if (!f) {
    return Invalid("frequency",
                   "rule.frequency must be daily, weekly, monthly_by_day or monthly_by_weekday");
  }
  rule->frequency = *f;
  if (auto refused = IntField(r, "interval", &rule->interval)) return refused;
  if (auto refused = IntField(r, "month_day", &rule->month_day)) return refused;
  if (auto refused = IntField(r, "week_ordinal", &rule->week_ordinal)) return refused;
  rule->weekdays.clear();
  if (auto v = r.find("weekdays"); v != r.end() && !v->is_null()) {
    if (!v->is_array()) return Invalid("weekdays", "rule.weekdays must be a list of day names");
    for (const json& d : *v) {
      std::optional<core::Weekday> w;
      if (d.is_string()) w = ParseWeekday(d.get<std::string>());
      if (!w) return Invalid("weekdays", "rule.weekdays holds lower-case English day names");
      rule->weekdays.push_back(*w);
    }
  }
  if (auto v = r.find("weekday"); v != r.end() && !v->is_null()) {
    std::optional<core::Weekday> w;
    if (v->is_string()) w = ParseWeekday(v->get<std::string>());
    if (!w) return Invalid("weekday", "rule.weekday must be a lower-case English day name");
    rule->weekday = *w;
  }
  auto t = r.find("time");
  if (t == r.end() || !t->is_string()) return Invalid("time", "rule.time must be HH:MM");
  absl::StatusOr<core::CivilTime> time = core::ParseTime(t->get<std::string>());
  if (!time.ok())
    return Invalid("time", core::Cat("rule.time: ", std::string(time.status().message())));
  rule->time = *time;
  auto z = r.find("time_zone");
  if (z == r.end() || !z->is_string()) {
    return Invalid("time_zone", "rule.time_zone must be an IANA zone name");
  }
  rule->zone = z->get<std::string>();
  bool start = false;
  if (auto refused = DateField(r, "start_date", &rule->start, &start)) return refused;
  if (!start) return Invalid("start_date", "rule.start_date is required (YYYY-MM-DD)");
  core::CivilDate until;
  bool has_until = false;
  if (auto refused = DateField(r, "until_date", &until, &has_until)) return refused;
  rule->until = has_until ? std::optional(until) : std::nullopt;
  int count = 0;
  rule->count.reset();
  if (auto v = r.find("count"); v != r.end() && !v->is_null()) {
    if (auto refused = IntField(r, "count", &count)) return refused;
    rule->count = count;
  }
  rule->zone_changes.clear();
  if (auto v = r.find("zone_changes"); v != r.end() && !v->is_null()) {
    if (!v->is_array()) return Invalid("zone_changes", "rule.zone_changes must be a list");
    for (const json& c : *v) {
      domain::ZoneChange change;
      bool from = false;
      if (!c.is_object()) return Invalid("zone_changes", "each zone change is {from, time_zone}");
      if (auto refused = DateField(c, "from", &change.from, &from)) return refused;
      auto cz = c.find("time_zone");
      if (!from || cz == c.end() || !cz->is_string()) {
        return Invalid("zone_changes", "each zone change is {from, time_zone}");
      }
      change.zone = cz->get<std::string>();
      rule->zone_changes.push_back(std::move(change));
    }
  }
  return std::nullopt;
}

std::optional<Response> CampaignField(const json& body, std::optional<int64_t>* out) {
  auto it = body.find("campaign_id");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<int64_t>() < 1) {
    return Invalid("campaign_id", "field 'campaign_id' must be an id");
  }
  *out = it->get<int64_t>();
  return std::nullopt;
}

struct State {
  SeriesApiOptions options;

  Response SeriesResponse(int status, const absl::StatusOr<domain::Series>& s) {
    if (!s.ok()) return Fail(s.status());
    return JsonValueResponse(status, SeriesJson(*s));
  }

  Response List(Request& r) {
    domain::SeriesQuery q{.limit = kDefaultLimit + 1};
    int64_t limit = kDefaultLimit;
    if (auto v = QueryParam(r.query, "limit")) {
      if (!absl::SimpleAtoi(*v, &limit) || limit < 1 || limit > kMaxLimit) {
        return Invalid("limit", core::Cat("limit must be a whole number from 1 to ", kMaxLimit));
      }
    }
    q.limit = limit + 1;
    if (auto v = QueryParam(r.query, "cursor"); v && !v->empty()) {
      if (!absl::SimpleAtoi(*v, &q.after_id) || q.after_id < 1) {
        return Invalid("cursor", "cursor must be the next_cursor of the previous page");
      }
    }
    if (auto v = QueryParam(r.query, "brand_id"); v && !v->empty()) {
      int64_t brand = 0;
      if (!absl::SimpleAtoi(*v, &brand) || brand < 1) {
        return Invalid("brand_id", "brand_id must be an id");
      }
      q.brand_id = brand;
    }
    absl::StatusOr<std::vector<domain::Series>> list = options.series->List(CallerOf(r), q);
    if (!list.ok()) return Fail(list.status());
    json items = json::array();
    json next = nullptr;
    for (size_t i = 0; i < list->size(); ++i) {
      if (static_cast<int64_t>(i) == limit) {
        next = core::Cat((*list)[i - 1].id);
        break;
      }
      items.push_back(SeriesJson((*list)[i]));
    }
    return JsonValueResponse(200, {{"items", items}, {"next_cursor", next}});
  }

  Response Create(Request& r) {
    json body;
    if (auto refused = ParseJsonObject(
            r, {"brand_id", "campaign_id", "rule", "master_text", "variants"}, &body)) {
      return *refused;
    }
    domain::NewSeries in;
    auto brand = body.find("brand_id");
    if (brand == body.end() || !brand->is_number_integer() || brand->get<int64_t>() < 1) {
      return Invalid("brand_id", "field 'brand_id' is required and must be an id");
    }
    in.brand_id = brand->get<int64_t>();
    if (auto refused = CampaignField(body, &in.campaign_id)) return *refused;
    if (auto refused = RuleField(body, &in.rule)) return *refused;
    auto text = body.find("master_text");
    if (text == body.end() || !text->is_string()) {
      return Invalid("master_text", "field 'master_text' is required and must be a string");
    }
    in.content.master_text = text->get<std::string>();
    if (auto refused = ReadVariantsField(body, &in.content.variants)) return *refused;
    if (absl::Status s = CheckScreenable(in.content); !s.ok()) return Fail(s);
    return SeriesResponse(201, options.series->Create(CallerOf(r), in));
  }

  Response Get(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    return SeriesResponse(200, options.series->Get(CallerOf(r), id));
  }

  Response Patch(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    json body;
    if (auto refused =
            ParseJsonObject(r, {"campaign_id", "rule", "master_text", "variants"}, &body)) {
      return *refused;
    }
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<domain::Series> current = options.series->Get(caller, id);
    if (!current.ok()) return Fail(current.status());
    domain::SeriesEdit edit;
    if (body.contains("campaign_id")) {
      std::optional<int64_t> campaign;
      if (auto refused = CampaignField(body, &campaign)) return *refused;
      edit.campaign_id = campaign;
    }
    if (body.contains("rule")) {
      domain::RecurrenceRule rule;
      if (auto refused = RuleField(body, &rule)) return *refused;
      // Zone changes already made stay unless the rule lists its own.
      if (!body["rule"].contains("zone_changes")) rule.zone_changes = current->rule.zone_changes;
      edit.rule = std::move(rule);
    }
    if (body.contains("master_text") || body.contains("variants")) {
      domain::PostContent content = current->content;
      if (auto it = body.find("master_text"); it != body.end()) {
        if (!it->is_string()) return Invalid("master_text", "field 'master_text' must be a string");
        content.master_text = it->get<std::string>();
      }
      if (auto refused = ReadVariantsField(body, &content.variants)) return *refused;
      if (absl::Status s = CheckScreenable(content); !s.ok()) return Fail(s);
      edit.content = std::move(content);
    }
    return SeriesResponse(200, options.series->Update(caller, id, edit));
  }

  Response End(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    return SeriesResponse(200, options.series->End(CallerOf(r), id));
  }

  Response ZoneChange(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    json body;
    if (auto refused = ParseJsonObject(r, {"from", "time_zone"}, &body)) return *refused;
    core::CivilDate from;
    bool has_from = false;
    if (auto refused = DateField(body, "from", &from, &has_from)) return *refused;
    if (!has_from) return Invalid("from", "field 'from' is required: the first local date");
    auto zone = body.find("time_zone");
    if (zone == body.end() || !zone->is_string()) {
      return Invalid("time_zone", "field 'time_zone' is required: an IANA zone name");
    }
    return SeriesResponse(
        200, options.series->ChangeZone(CallerOf(r), id, from, zone->get<std::string>()));
  }

  Response Occurrences(Request& r) {
    int64_t id = 0;
    if (auto refused = ParseId(r, &id)) return *refused;
    absl::StatusOr<std::vector<domain::Post>> posts = options.series->Occurrences(CallerOf(r), id);
    if (!posts.ok()) return Fail(posts.status());
    json items = json::array();
    for (const domain::Post& p : *posts) items.push_back(OccurrenceJson(p));
    return JsonValueResponse(200, {{"items", items}});
  }
};

}  // namespace

GuardContentScreener::GuardContentScreener(const guard::Screener& screener, Metrics* metrics)
    : pool_(screener), metrics_(metrics) {}

domain::GuardReport GuardContentScreener::Screen(const domain::PostContent& content) {
  return ScreenPostContent(pool_, metrics_, content);
}

void AddSeriesRoutes(App& app, SeriesApiOptions options) {
  auto state = std::make_shared<State>();
  state->options = options;
  auto bind = [state](Response (State::*fn)(Request&)) {
    return [state, fn](Request& r) { return ((*state).*fn)(r); };
  };
  app.Add("GET", "/api/v1/series", Access::Action("posts.read"), bind(&State::List));
  app.Add("POST", "/api/v1/series", Access::Action("posts.draft", /*idempotent=*/true),
          bind(&State::Create));
  app.Add("GET", "/api/v1/series/{id}", Access::Action("posts.read"), bind(&State::Get));
  app.Add("PATCH", "/api/v1/series/{id}", Access::Action("posts.draft"), bind(&State::Patch));
  app.Add("POST", "/api/v1/series/{id}/end", Access::Action("posts.draft"), bind(&State::End));
  app.Add("POST", "/api/v1/series/{id}/zone-change", Access::Action("posts.draft"),
          bind(&State::ZoneChange));
  app.Add("GET", "/api/v1/series/{id}/occurrences", Access::Action("posts.read"),
          bind(&State::Occurrences));
}

}  // namespace carepost::http
