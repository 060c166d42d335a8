#include "http/calendar_api.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "core/strings.h"
#include "core/zoned_time.h"
#include "http/body_limits.h"
#include "http/json_body.h"
#include "http/plan_api.h"
#include "http/problem.h"
#include "http/route_helpers.h"
#include "http/scratch_pool.h"
#include "plan/calendar_csv.h"
#include "plan/ical_feed.h"

namespace carepost::http {

namespace {

using nlohmann::json;

// Posts read per page while exporting or building a feed.
constexpr int64_t kPage = 200;
// Campaigns read per brand to resolve names on import.
constexpr int64_t kMaxCampaignsPerBrand = 2000;
// The feed's window around now.
constexpr absl::Duration kFeedPast = absl::Hours(24 * 60);
constexpr absl::Duration kFeedAhead = absl::Hours(24 * 365);
constexpr size_t kMaxProblems = 100;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(absl::string_view(a.data(), a.size()),
                                absl::string_view(b.data(), b.size()));
}

Response NoContent() {
  Response out;
  out.status = 204;
  out.content_type.clear();
  return out;
}

// The column of the CSV file a domain message about a post field is about.
std::string_view ColumnOfField(std::string_view message) {
  const std::string_view word = message.substr(0, message.find_first_of(" :"));
  if (word.starts_with("master_text")) return "text";
  if (word.starts_with("time_zone")) return "time_zone";
  if (word.starts_with("scheduled_at")) return "date";
  for (std::string_view column : {"first_comment", "link", "hashtags", "text"}) {
    if (word.ends_with(core::Cat(".", column))) return column;
  }
  return {};
}

json ProblemJson(const plan::CsvProblem& p) {
  return {{"row", p.row},
          {"column", p.column.empty() ? json(nullptr) : json(p.column)},
          {"column_letter",
           p.column_index > 0 ? json(plan::SpreadsheetColumnName(p.column_index)) : json(nullptr)},
          {"message", p.message},
          {"text", p.ToString()}};
}

// 422 invalid-csv with every problem (row, column, message).
Response CsvProblems(const std::vector<plan::CsvProblem>& problems, size_t left_off) {
  Response r = Problem(422, ProblemType::kInvalidCsv,
                       core::Cat("the calendar file was not imported: ", problems.size() + left_off,
                                 problems.size() + left_off == 1 ? " problem" : " problems",
                                 " (nothing was created)"));
  json body = json::parse(r.body, nullptr, false);
  json list = json::array();
  for (const plan::CsvProblem& p : problems) list.push_back(ProblemJson(p));
  body["problems"] = std::move(list);
  body["problems_left_off"] = left_off;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

struct State {
  CalendarApiOptions options;
  std::unique_ptr<ScratchPool> pool;

  const core::Clock& clock() const {
    return options.clock != nullptr ? *options.clock : core::SystemClock::Get();
  }

  // "https://carepost.example.org" without a trailing slash.
  std::string BaseUrl(const Request& r) const {
    std::string base = options.public_url;
    if (base.empty()) base = core::Cat("http://", r.Header("host"));
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
  }

  // ---- import ----

  Response Import(Request& r) {
    std::string_view mime = r.Header("content-type");
    mime = mime.substr(0, mime.find(';'));
    while (!mime.empty() && mime.back() == ' ') mime.remove_suffix(1);
    if (!EqualsIgnoreCase(mime, "text/csv")) {
      return Problem(415, ProblemType::kUnsupportedMedia,
                     "send the calendar file as Content-Type: text/csv");
    }
    bool dry_run = false;
    if (auto v = QueryParam(r.query, "dry_run"); v && !v->empty()) {
      if (*v != "true" && *v != "false") {
        return Problem(422, ProblemType::kInvalidField, "dry_run must be true or false", "dry_run");
      }
      dry_run = *v == "true";
    }
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<domain::Organization> org =
        options.users->GetOrganization(caller.organization_id);
    if (!org.ok()) return ProblemFromStatus(org.status());

    plan::CsvImportOptions csv;
    csv.max_file_bytes = kCalendarImportMaxBytes;
    csv.check_time_zone = [](std::string_view zone) -> absl::Status {
      if (core::TimeZone::Load(zone).ok()) return absl::OkStatus();
      return absl::InvalidArgumentError(
          "unknown time zone; use an IANA name such as America/Chicago or Europe/London");
    };
    const plan::CsvImport parsed = plan::ImportCalendarCsv(r.body, csv);
    if (!parsed.ok()) return CsvProblems(parsed.problems, parsed.problems_left_off);

    std::vector<plan::CsvProblem> problems;
    size_t left_off = 0;
    const auto problem = [&](int row, std::string_view column, std::string message) {
      if (problems.size() >= kMaxProblems) {
        ++left_off;
        return;
      }
      problems.push_back({.row = row,
                          .column_index = plan::CsvColumnIndex(parsed, column),
                          .column = std::string(column),
                          .message = std::move(message)});
    };
    std::map<int64_t, std::vector<domain::Campaign>> campaigns;  // by brand, read once
    std::vector<domain::NewPost> posts;
    std::vector<int> rows;
    for (const plan::CalendarRow& row : parsed.rows) {
      domain::NewPost post;
      bool ok = true;
      if (row.id) {
        problem(row.row, "id",
                "updating posts by import is not supported; leave the id cell empty to add the "
                "row as a new draft");
        ok = false;
      }
      const domain::Brand* brand = nullptr;
      for (const domain::Brand& b : org->brands) {
        if (EqualsIgnoreCase(b.name, row.brand) || EqualsIgnoreCase(b.slug, row.brand)) brand = &b;
      }
      if (brand == nullptr || !caller.Can("posts.draft", brand->id)) {
        problem(row.row, "brand", "no brand with this name or slug that you may write posts for");
        ok = false;
      } else {
        post.brand_id = brand->id;
        if (!row.campaign.empty()) {
          absl::StatusOr<const std::vector<domain::Campaign>*> list =
              CampaignsOf(caller, brand->id, &campaigns);
          if (!list.ok()) return ProblemFromStatus(list.status());
          for (const domain::Campaign& c : **list) {
            if (EqualsIgnoreCase(c.name, row.campaign)) post.campaign_id = c.id;
          }
          if (!post.campaign_id) {
            problem(row.row, "campaign",
                    "this brand has no campaign with this name; plan the campaign first");
            ok = false;
          }
        }
      }
      absl::StatusOr<core::TimeZone> zone = core::TimeZone::Load(row.time_zone);
      if (!zone.ok()) {
        problem(row.row, "time_zone", "unknown time zone");
        ok = false;
      } else {
        const absl::CivilMinute t = row.local_time;
        absl::StatusOr<core::LocalResolution> at =
            zone->ToUtc({.date = {static_cast<int>(t.year()), t.month(), t.day()},
                         .time = {t.hour(), t.minute(), 0}});
        if (!at.ok()) {
          problem(row.row, "date", "this date and time do not exist in the row's time zone");
          ok = false;
        } else {
          post.scheduled_at = absl::FromUnixMicros(at->utc_micros);
          post.time_zone = row.time_zone;
        }
      }
      post.content.master_text = row.text;
      for (plan::Platform p : row.platforms) {
        post.content.variants.push_back({.platform = std::string(plan::PlatformName(p)),
                                         .link = row.link,
                                         .first_comment = row.first_comment,
                                         .hashtags = row.hashtags});
      }
      absl::Status checked = CheckScreenable(post.content);
      if (checked.ok()) checked = domain::CheckNewPost(post);
      if (!checked.ok() && ok) {
        const std::string message(checked.message());
        problem(row.row, ColumnOfField(message), message);
      }
      posts.push_back(std::move(post));
      rows.push_back(row.row);
    }
    if (!problems.empty()) return CsvProblems(problems, left_off);

    json items = json::array();
    for (size_t i = 0; i < posts.size(); ++i) {
      posts[i].guard = ScreenPostContent(*pool, options.metrics, posts[i].content);
      absl::StatusOr<domain::Routing> routing = domain::RouteFindings(posts[i].guard.findings);
      if (!routing.ok()) return ProblemFromStatus(routing.status());
      json required = json::array();
      for (domain::Approval a : routing->required) required.push_back(domain::ApprovalName(a));
      items.push_back({{"row", rows[i]},
                       {"id", nullptr},
                       {"brand_id", posts[i].brand_id},
                       {"blocked", routing->blocked},
                       {"required_approvals", std::move(required)}});
    }
    if (dry_run) {
      return JsonValueResponse(200, {{"dry_run", true}, {"created", 0}, {"posts", items}});
    }
    absl::StatusOr<std::vector<int64_t>> ids = options.posts->Import(caller, posts);
    if (!ids.ok()) return ProblemFromStatus(ids.status());
    for (size_t i = 0; i < ids->size(); ++i) items[i]["id"] = (*ids)[i];
    return JsonValueResponse(201, {{"dry_run", false}, {"created", ids->size()}, {"posts", items}});
  }

  // The campaigns of a brand the caller may read, read once per request.
  absl::StatusOr<const std::vector<domain::Campaign>*> CampaignsOf(
      const domain::Caller& caller, int64_t brand_id,
      std::map<int64_t, std::vector<domain::Campaign>>* cache) {
    auto it = cache->find(brand_id);
    if (it != cache->end()) return &it->second;
    std::vector<domain::Campaign>& out = (*cache)[brand_id];
    domain::CampaignQuery q{.brand_id = brand_id, .limit = kPage};
    while (static_cast<int64_t>(out.size()) < kMaxCampaignsPerBrand) {
      absl::StatusOr<std::vector<domain::Campaign>> page = options.campaigns->List(caller, q);
      if (!page.ok()) return page.status();
      for (domain::Campaign& c : *page) out.push_back(std::move(c));
      if (static_cast<int64_t>(page->size()) < q.limit) break;
      q.after_id = out.back().id;
    }
    return &out;
  }

  // Every post the caller may read that matches `q`, page by page.
  absl::StatusOr<std::vector<domain::Post>> AllPosts(const domain::Caller& caller,
                                                     domain::PostQuery q) {
    std::vector<domain::Post> out;
    q.limit = kPage;
    while (true) {
      absl::StatusOr<std::vector<domain::Post>> page = options.posts->List(caller, q);
      if (!page.ok()) return page.status();
      for (domain::Post& p : *page) out.push_back(std::move(p));
      if (static_cast<int64_t>(page->size()) < q.limit) break;
      q.after_id = out.back().id;
    }
    return out;
  }

  // The name of a campaign ('' for none or one the caller cannot see), cached.
  std::string CampaignName(const domain::Caller& caller, std::optional<int64_t> id,
                           std::map<int64_t, std::string>* cache) {
    if (!id) return "";
    auto it = cache->find(*id);
    if (it != cache->end()) return it->second;
    absl::StatusOr<domain::Campaign> c = options.campaigns->Get(caller, *id);
    return (*cache)[*id] = c.ok() ? c->name : "";
  }

  static std::vector<plan::Platform> PlatformsOf(const domain::Post& p) {
    std::vector<plan::Platform> out;
    for (const domain::Variant& v : p.content.variants) {
      if (std::optional<plan::Platform> platform = plan::ParsePlatform(v.platform)) {
        out.push_back(*platform);
      }
    }
    return out;
  }

  // ---- export ----

  Response Export(Request& r) {
    domain::PostQuery q;
    if (auto bad = ReadTimeParam(r.query, "from", &q.from)) return *bad;
    if (auto bad = ReadTimeParam(r.query, "to", &q.to)) return *bad;
    if (auto v = QueryParam(r.query, "brand_id"); v && !v->empty()) {
      int64_t id = 0;
      if (!absl::SimpleAtoi(*v, &id) || id < 1) {
        return Problem(422, ProblemType::kInvalidField, "brand_id must be an id", "brand_id");
      }
      q.brand_id = id;
    }
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<domain::Organization> org =
        options.users->GetOrganization(caller.organization_id);
    if (!org.ok()) return ProblemFromStatus(org.status());
    absl::StatusOr<std::vector<domain::Post>> posts = AllPosts(caller, q);
    if (!posts.ok()) return ProblemFromStatus(posts.status());
    std::map<int64_t, std::string> brands, campaign_names;
    for (const domain::Brand& b : org->brands) brands[b.id] = b.name;
    std::vector<plan::CalendarRow> rows;
    size_t skipped = 0;
    for (const domain::Post& p : *posts) {
      std::vector<plan::Platform> platforms = PlatformsOf(p);
      // The file's date, time and platforms are required: a post without them is not on
      // the calendar yet.
      if (!p.scheduled_at || platforms.empty()) {
        ++skipped;
        continue;
      }
      absl::StatusOr<core::TimeZone> zone = core::TimeZone::Load(p.time_zone);
      const core::TimeZone tz = zone.ok() ? *zone : core::TimeZone::Utc();
      const core::ZonedTime local = tz.FromUtc(absl::ToUnixMicros(*p.scheduled_at));
      plan::CalendarRow row;
      row.local_time =
          absl::CivilMinute(local.local.date.year, local.local.date.month, local.local.date.day,
                            local.local.time.hour, local.local.time.minute);
      row.time_zone = tz.name();
      row.brand = brands[p.brand_id];
      row.campaign = CampaignName(caller, p.campaign_id, &campaign_names);
      row.platforms = std::move(platforms);
      row.text = p.content.master_text;
      const domain::Variant& first = p.content.variants.front();
      row.link = first.link;
      row.first_comment = first.first_comment;
      row.hashtags = first.hashtags;
      row.status = plan::ParsePostStatus(domain::PostStatusName(p.status))
                       .value_or(plan::PostStatus::kDraft);
      rows.push_back(std::move(row));
    }
    absl::StatusOr<std::string> csv = plan::ExportCalendarCsv(rows, {.include_id = false});
    if (!csv.ok()) return ProblemFromStatus(csv.status());
    Response out;
    out.content_type = "text/csv; charset=utf-8";
    out.SetHeader("Content-Disposition", "attachment; filename=\"carepost-calendar.csv\"");
    out.SetHeader("X-Carepost-Skipped-Posts", core::Cat(skipped));
    out.body = std::move(*csv);
    return out;
  }

  // ---- feed management ----

  Response FeedStatus(Request& r) {
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<std::optional<domain::CalendarFeed>> feed = options.feeds->Get(caller);
    if (!feed.ok()) return ProblemFromStatus(feed.status());
    absl::StatusOr<bool> text = options.feeds->IncludeText(caller.organization_id);
    if (!text.ok()) return ProblemFromStatus(text.status());
    json body = {{"exists", feed->has_value()},
                 {"created_at", nullptr},
                 {"last_used_at", nullptr},
                 {"include_text", *text}};
    if (*feed) {
      body["created_at"] = Rfc3339((*feed)->created_at);
      if ((*feed)->last_used_at) body["last_used_at"] = Rfc3339(*(*feed)->last_used_at);
    }
    return JsonValueResponse(200, body);
  }

  Response IssueFeed(Request& r) {
    const domain::Caller caller = CallerOf(r);
    absl::StatusOr<std::string> token = options.feeds->Issue(caller);
    if (!token.ok()) return ProblemFromStatus(token.status());
    absl::StatusOr<bool> text = options.feeds->IncludeText(caller.organization_id);
    if (!text.ok()) return ProblemFromStatus(text.status());
    return JsonValueResponse(201,
                             {{"url", core::Cat(BaseUrl(r), "/calendar/feed/", *token, ".ics")},
                              {"include_text", *text}});
  }

  Response RevokeFeed(Request& r) {
    if (absl::Status s = options.feeds->Revoke(CallerOf(r)); !s.ok()) return ProblemFromStatus(s);
    return NoContent();
  }

  Response FeedSettings(Request& r) {
    json body;
    if (auto refused = ParseJsonObject(r, {"include_text"}, &body)) return *refused;
    auto it = body.find("include_text");
    if (it == body.end() || !it->is_boolean()) {
      return Problem(422, ProblemType::kInvalidField,
                     "field 'include_text' is required and must be true or false", "include_text");
    }
    const domain::Caller caller = CallerOf(r);
    if (absl::Status s = options.feeds->SetIncludeText(caller, it->get<bool>()); !s.ok()) {
      return ProblemFromStatus(s);
    }
    return FeedStatus(r);
  }

  // ---- the feed ----

  Response Feed(Request& r) {
    const Response not_found =
        Problem(404, ProblemType::kNotFound, "no calendar feed at this address");
    auto it = r.path_params.find("file");
    if (it == r.path_params.end() || !it->second.ends_with(".ics")) return not_found;
    const std::string token = it->second.substr(0, it->second.size() - 4);
    absl::StatusOr<domain::FeedOwner> owner = options.feeds->Resolve(token);
    if (!owner.ok()) {
      return owner.status().code() == absl::StatusCode::kNotFound
                 ? not_found
                 : ProblemFromStatus(owner.status());
    }
    absl::StatusOr<domain::Grants> grants = options.users->GetGrants(owner->user_id);
    if (!grants.ok()) return ProblemFromStatus(grants.status());
    const domain::Caller caller{.actor = {.user_id = owner->user_id,
                                          .name = owner->email,
                                          .from_address = r.client_address},
                                .organization_id = owner->organization_id,
                                .grants = *grants};
    absl::StatusOr<domain::Organization> org =
        options.users->GetOrganization(caller.organization_id);
    if (!org.ok()) return ProblemFromStatus(org.status());
    absl::StatusOr<bool> include_text = options.feeds->IncludeText(caller.organization_id);
    if (!include_text.ok()) return ProblemFromStatus(include_text.status());
    const absl::Time now = clock().Now();
    absl::StatusOr<std::vector<domain::Post>> posts =
        AllPosts(caller, {.from = now - kFeedPast, .to = now + kFeedAhead});
    if (!posts.ok()) return ProblemFromStatus(posts.status());
    std::vector<plan::FeedEvent> events;
    std::map<int64_t, std::string> campaign_names;
    for (const domain::Post& p : *posts) {
      if (!p.scheduled_at || (p.status != domain::PostStatus::kScheduled &&
                              p.status != domain::PostStatus::kPublishing &&
                              p.status != domain::PostStatus::kPublished)) {
        continue;
      }
      plan::FeedEvent e{.post_id = p.id,
                        .start = *p.scheduled_at,
                        .campaign = CampaignName(caller, p.campaign_id, &campaign_names),
                        .platforms = PlatformsOf(p),
                        .status = plan::ParsePostStatus(domain::PostStatusName(p.status))
                                      .value_or(plan::PostStatus::kScheduled),
                        .updated = p.updated_at};
      if (*include_text) e.text = p.content.master_text;
      events.push_back(std::move(e));
    }
    const std::string base = BaseUrl(r);
    std::string host =
        base.substr(base.find("://") == std::string::npos ? 0 : base.find("://") + 3);
    host = host.substr(0, host.find_first_of("/:"));
    plan::FeedOptions feed{.calendar_name = core::Cat(org->name, " posts"),
                           .uid_host = host.empty() ? "carepost" : host,
                           .post_url_prefix = core::Cat(base, "/posts/"),
                           .generated_at = now,
                           .include_text = *include_text};
    absl::StatusOr<std::string> body = plan::WriteCalendarFeed(events, feed);
    if (!body.ok()) return ProblemFromStatus(body.status());
    Response out;
    out.content_type = "text/calendar; charset=utf-8";
    out.SetHeader("Content-Disposition", "inline; filename=\"carepost.ics\"");
    out.body = std::move(*body);
    return out;
  }
};

}  // namespace

void AddCalendarRoutes(App& app, CalendarApiOptions options) {
  auto state = std::make_shared<State>();
  state->pool = std::make_unique<ScratchPool>(*options.screener);
  state->options = std::move(options);
  auto bind = [state](Response (State::*fn)(Request&)) {
    return [state, fn](Request& r) { return ((*state).*fn)(r); };
  };
  app.Add("POST", "/api/v1/calendar/import", Access::Action("posts.draft"), bind(&State::Import));
  app.Add("GET", "/api/v1/calendar/export", Access::Action("posts.read"), bind(&State::Export));
  app.Add("GET", "/api/v1/calendar/feed", Access::Action("posts.read"), bind(&State::FeedStatus));
  app.Add("POST", "/api/v1/calendar/feed", Access::Action("posts.read"), bind(&State::IssueFeed));
  app.Add("DELETE", "/api/v1/calendar/feed", Access::Action("posts.read"),
          bind(&State::RevokeFeed));
  app.Add("PUT", "/api/v1/calendar/feed/settings", Access::Action("org.manage"),
          bind(&State::FeedSettings));
  app.Add("GET", "/calendar/feed/{file}", Access::Public(), bind(&State::Feed));
}

}  // namespace carepost::http
