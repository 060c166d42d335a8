#include "domain/series.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/internal/plan_common.h"

namespace carepost::domain {

namespace {

using nlohmann::json;

constexpr int64_t kMaxOccurrencesListed = 500;

constexpr char kSeriesColumns[] =
    "id, organization_id, brand_id, campaign_id, created_by, status, frequency, "
    "repeat_interval, weekdays, month_day, week_ordinal, weekday, local_time, time_zone, "
    "start_date, until_date, occurrence_count, master_text, variants, materialized_until, "
    "created_at, updated_at, ended_at";

std::string WeekdaysText(const std::vector<core::Weekday>& days) {
  std::string out;
  for (core::Weekday d : days) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(static_cast<int>(d));
  }
  return out;
}

std::vector<core::Weekday> WeekdaysFromText(std::string_view text) {
  std::vector<core::Weekday> out;
  for (char c : text) {
    if (c >= '0' && c <= '6') out.push_back(static_cast<core::Weekday>(c - '0'));
  }
  return out;
}

std::string VariantsJson(const std::vector<Variant>& variants) {
  json out = json::array();
  for (const Variant& v : variants) {
    out.push_back({{"platform", v.platform},
                   {"text", v.text},
                   {"link", v.link},
                   {"first_comment", v.first_comment},
                   {"hashtags", v.hashtags}});
  }
  return out.dump();
}

absl::StatusOr<std::vector<Variant>> VariantsFromJson(int64_t series_id, std::string_view text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) {
    return absl::DataLossError(core::Cat("series ", series_id, ": stored variants are not a list"));
  }
  std::vector<Variant> out;
  for (const json& v : parsed) {
    if (!v.is_object()) continue;
    Variant variant{.platform = v.value("platform", ""),
                    .text = v.value("text", ""),
                    .link = v.value("link", ""),
                    .first_comment = v.value("first_comment", "")};
    if (v.contains("hashtags") && v["hashtags"].is_array()) {
      for (const json& h : v["hashtags"]) {
        if (h.is_string()) variant.hashtags.push_back(h.get<std::string>());
      }
    }
    out.push_back(std::move(variant));
  }
  return out;
}

bool SameTemplate(const PostContent& a, const PostContent& b) {
  return a.master_text == b.master_text && VariantsJson(a.variants) == VariantsJson(b.variants);
}

absl::StatusOr<Series> SeriesFromRow(const store::Row& row) {
  Series s;
  ASSIGN_OR_RETURN(s.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(s.organization_id, row.GetInt64("organization_id"));
  ASSIGN_OR_RETURN(s.brand_id, row.GetInt64("brand_id"));
  s.campaign_id = internal::OptionalInt(row, "campaign_id");
  ASSIGN_OR_RETURN(s.created_by, row.GetInt64("created_by"));
  ASSIGN_OR_RETURN(std::string status, row.GetText("status"));
  s.status = status == "ended" ? SeriesStatus::kEnded : SeriesStatus::kActive;
  ASSIGN_OR_RETURN(std::string frequency, row.GetText("frequency"));
  std::optional<Frequency> f = ParseFrequency(frequency);
  if (!f) return absl::DataLossError(core::Cat("series ", s.id, " has an unknown frequency"));
  RecurrenceRule& r = s.rule;
  r.frequency = *f;
  ASSIGN_OR_RETURN(int64_t interval, row.GetInt64("repeat_interval"));
  r.interval = static_cast<int>(interval);
  ASSIGN_OR_RETURN(std::string weekdays, row.GetText("weekdays"));
  r.weekdays = WeekdaysFromText(weekdays);
  ASSIGN_OR_RETURN(int64_t month_day, row.GetInt64("month_day"));
  r.month_day = static_cast<int>(month_day);
  ASSIGN_OR_RETURN(int64_t ordinal, row.GetInt64("week_ordinal"));
  r.week_ordinal = static_cast<int>(ordinal);
  ASSIGN_OR_RETURN(int64_t weekday, row.GetInt64("weekday"));
  r.weekday = static_cast<core::Weekday>(std::clamp<int64_t>(weekday, 0, 6));
  ASSIGN_OR_RETURN(std::string time, row.GetText("local_time"));
  ASSIGN_OR_RETURN(r.time, core::ParseTime(time));
  ASSIGN_OR_RETURN(r.zone, row.GetText("time_zone"));
  ASSIGN_OR_RETURN(std::string start, row.GetText("start_date"));
  ASSIGN_OR_RETURN(r.start, core::ParseDate(start));
  ASSIGN_OR_RETURN(std::string until, row.GetText("until_date"));
  if (!until.empty()) {
    ASSIGN_OR_RETURN(core::CivilDate u, core::ParseDate(until));
    r.until = u;
  }
  if (std::optional<int64_t> count = internal::OptionalInt(row, "occurrence_count")) {
    r.count = static_cast<int>(*count);
  }
  ASSIGN_OR_RETURN(s.content.master_text, row.GetText("master_text"));
  ASSIGN_OR_RETURN(std::string variants, row.GetText("variants"));
  ASSIGN_OR_RETURN(s.content.variants, VariantsFromJson(s.id, variants));
  ASSIGN_OR_RETURN(int64_t materialized, row.GetInt64("materialized_until"));
  s.materialized_until = absl::FromUnixMicros(materialized);
  ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
  ASSIGN_OR_RETURN(int64_t updated, row.GetInt64("updated_at"));
  s.created_at = absl::FromUnixMicros(created);
  s.updated_at = absl::FromUnixMicros(updated);
  if (std::optional<int64_t> ended = internal::OptionalInt(row, "ended_at")) {
    s.ended_at = absl::FromUnixMicros(*ended);
  }
  return s;
}

// The zone changes of `s`, read from their table.
absl::Status LoadZoneChanges(store::Executor& db, Series& s) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query("SELECT from_date, time_zone FROM series_zone_changes WHERE "
                            "series_id = $1 ORDER BY from_date",
                            {s.id}));
  s.rule.zone_changes.clear();
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(std::string from, row.GetText("from_date"));
    ASSIGN_OR_RETURN(core::CivilDate date, core::ParseDate(from));
    ASSIGN_OR_RETURN(std::string zone, row.GetText("time_zone"));
    s.rule.zone_changes.push_back({.from = date, .zone = std::move(zone)});
  }
  return absl::OkStatus();
}

absl::StatusOr<Series> ReadSeries(store::Executor& db, int64_t id) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      db.Query(core::Cat("SELECT ", kSeriesColumns, " FROM series WHERE id = $1"), {id}));
  if (rows.empty()) return absl::NotFoundError(core::Cat("no series with id ", id));
  ASSIGN_OR_RETURN(Series s, SeriesFromRow(rows[0]));
  RETURN_IF_ERROR(LoadZoneChanges(db, s));
  return s;
}

// The series when the caller may read it, else NotFound.
absl::StatusOr<Series> ReadVisible(store::Executor& db, const Caller& caller, int64_t id) {
  absl::StatusOr<Series> s = ReadSeries(db, id);
  if (!s.ok() && s.status().code() != absl::StatusCode::kNotFound) return s.status();
  if (!s.ok() || s->organization_id != caller.organization_id ||
      !caller.Can("posts.read", s->brand_id)) {
    return absl::NotFoundError(core::Cat("no series with id ", id));
  }
  return s;
}

// ReadVisible for a change: the row is locked for the transaction (PostgreSQL: FOR
// UPDATE; SQLite holds the write lock from BEGIN), so materializations do not race.
absl::StatusOr<Series> LockVisible(store::Tx& tx, const Caller& caller, int64_t id) {
  if (tx.dialect() == store::Dialect::kPostgres) {
    RETURN_IF_ERROR(tx.Query("SELECT id FROM series WHERE id = $1 FOR UPDATE", {id}).status());
  }
  return ReadVisible(tx, caller, id);
}

absl::Status CheckTemplate(const PostContent& content) {
  if (!content.media.empty()) {
    return absl::InvalidArgumentError(
        "media: a series template cannot carry media yet; attach media to each occurrence");
  }
  // The post checks (text bounds, variants, links, hashtags) with the field names a post
  // uses.
  return CheckNewPost(NewPost{.content = content});
}

absl::Status CheckCampaign(store::Executor& db, int64_t campaign_id, int64_t brand_id) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query("SELECT brand_id FROM campaigns WHERE id = $1", {campaign_id}));
  if (rows.empty()) return absl::NotFoundError(core::Cat("campaign_id: no campaign ", campaign_id));
  ASSIGN_OR_RETURN(int64_t brand, rows[0].GetInt64("brand_id"));
  if (brand != brand_id) {
    return absl::InvalidArgumentError(
        core::Cat("campaign_id: campaign ", campaign_id, " belongs to another brand"));
  }
  return absl::OkStatus();
}

// Writes the rule and template columns of series `id` and replaces its zone changes.
absl::Status WriteRuleAndTemplate(store::Tx& tx, int64_t id, const Series& s, int64_t now) {
  const RecurrenceRule& r = s.rule;
  std::optional<int64_t> count;
  if (r.count) count = *r.count;
  RETURN_IF_ERROR(
      tx.Execute("UPDATE series SET campaign_id = $1, frequency = $2, repeat_interval = $3, "
                 "weekdays = $4, month_day = $5, week_ordinal = $6, weekday = $7, "
                 "local_time = $8, time_zone = $9, start_date = $10, until_date = $11, "
                 "occurrence_count = $12, master_text = $13, variants = $14, updated_at = $15 "
                 "WHERE id = $16",
                 {s.campaign_id, FrequencyName(r.frequency), int64_t{r.interval},
                  WeekdaysText(r.weekdays), int64_t{r.month_day}, int64_t{r.week_ordinal},
                  int64_t{static_cast<int>(r.weekday)}, core::FormatTime(r.time), r.zone,
                  core::FormatDate(r.start), r.until ? core::FormatDate(*r.until) : "", count,
                  s.content.master_text, VariantsJson(s.content.variants), now, id})
          .status());
  RETURN_IF_ERROR(
      tx.Execute("DELETE FROM series_zone_changes WHERE series_id = $1", {id}).status());
  for (const ZoneChange& change : r.zone_changes) {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO series_zone_changes (series_id, from_date, "
                               "time_zone) VALUES ($1, $2, $3)",
                               {id, core::FormatDate(change.from), change.zone})
                        .status());
  }
  return absl::OkStatus();
}

AuditEntry SeriesEntry(const Caller& caller, std::string_view action, const Series& s,
                       json details = json::object()) {
  AuditEntry e = EntryFor(caller.actor, action);
  e.organization_id = s.organization_id;
  e.record_type = "series";
  e.record_id = core::Cat(s.id);
  details["brand_id"] = s.brand_id;
  e.details = details.dump();
  return e;
}

bool IsOpen(PostStatus s) {
  return s == PostStatus::kDraft || s == PostStatus::kInReview || s == PostStatus::kApproved ||
         s == PostStatus::kScheduled;
}

// The open, linked occurrences of series `id` scheduled at or after `now`, read inside
// the transaction (only the fields a replacement or cancellation needs).
absl::StatusOr<std::vector<Post>> FutureLinked(store::Tx& tx, int64_t id, int64_t now) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT id, organization_id, brand_id, campaign_id, status, "
                            "revision, scheduled_at, time_zone, series_date FROM posts WHERE "
                            "series_id = $1 AND series_state = 'linked' AND scheduled_at >= $2 "
                            "ORDER BY id",
                            {id, now}));
  std::vector<Post> out;
  for (const store::Row& row : rows) {
    Post p{.series_id = id, .series_state = "linked"};
    ASSIGN_OR_RETURN(p.id, row.GetInt64("id"));
    ASSIGN_OR_RETURN(p.organization_id, row.GetInt64("organization_id"));
    ASSIGN_OR_RETURN(p.brand_id, row.GetInt64("brand_id"));
    p.campaign_id = internal::OptionalInt(row, "campaign_id");
    ASSIGN_OR_RETURN(std::string status, row.GetText("status"));
    std::optional<PostStatus> st = ParsePostStatus(status);
    if (!st) return absl::DataLossError(core::Cat("post ", p.id, " has an unknown status"));
    p.status = *st;
    if (!IsOpen(p.status)) continue;
    ASSIGN_OR_RETURN(p.revision, row.GetInt64("revision"));
    if (std::optional<int64_t> at = internal::OptionalInt(row, "scheduled_at")) {
      p.scheduled_at = absl::FromUnixMicros(*at);
    }
    ASSIGN_OR_RETURN(p.time_zone, row.GetText("time_zone"));
    ASSIGN_OR_RETURN(p.series_date, row.GetText("series_date"));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::string_view SeriesStatusName(SeriesStatus status) {
  return status == SeriesStatus::kEnded ? "ended" : "active";
}

std::string_view FrequencyName(Frequency frequency) {
  switch (frequency) {
    case Frequency::kDaily:
      return "daily";
    case Frequency::kWeekly:
      return "weekly";
    case Frequency::kMonthlyByDay:
      return "monthly_by_day";
    case Frequency::kMonthlyByWeekday:
      return "monthly_by_weekday";
  }
  return "daily";
}

std::optional<Frequency> ParseFrequency(std::string_view name) {
  for (Frequency f : {Frequency::kDaily, Frequency::kWeekly, Frequency::kMonthlyByDay,
                      Frequency::kMonthlyByWeekday}) {
    if (FrequencyName(f) == name) return f;
  }
  return std::nullopt;
}

SeriesService::SeriesService(store::Database& db, core::Clock& clock, AuditLog& audit,
                             PostService& posts, UserService& users, ContentScreener& screener,
                             SeriesOptions options)
    : db_(db),
      clock_(clock),
      audit_(audit),
      posts_(posts),
      users_(users),
      screener_(screener),
      options_(options) {}

absl::StatusOr<Series> SeriesService::Create(const Caller& caller, const NewSeries& in) {
  RETURN_IF_ERROR(ValidateRule(in.rule));
  RETURN_IF_ERROR(CheckTemplate(in.content));
  int64_t id = 0;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(internal::CheckBrandOfOrganization(tx, in.brand_id, caller.organization_id));
    if (!caller.Can("posts.draft", in.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow planning series for this brand (posts.draft)");
    }
    if (in.campaign_id) RETURN_IF_ERROR(CheckCampaign(tx, *in.campaign_id, in.brand_id));
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    ASSIGN_OR_RETURN(
        store::Row row,
        tx.QueryRow("INSERT INTO series (organization_id, brand_id, created_by, status, "
                    "frequency, repeat_interval, local_time, time_zone, start_date, "
                    "master_text, materialized_until, created_at, updated_at) VALUES ($1, $2, "
                    "$3, 'active', 'daily', 1, '00:00', '', '', '', $4, $4, $4) RETURNING id",
                    {caller.organization_id, in.brand_id, caller.user_id(), now}));
    ASSIGN_OR_RETURN(id, row.GetInt64("id"));
    Series s{.id = id,
             .organization_id = caller.organization_id,
             .brand_id = in.brand_id,
             .campaign_id = in.campaign_id,
             .created_by = caller.user_id(),
             .rule = in.rule,
             .content = in.content,
             .materialized_until = absl::FromUnixMicros(now)};
    RETURN_IF_ERROR(WriteRuleAndTemplate(tx, id, s, now));
    RETURN_IF_ERROR(
        audit_
            .AppendInTx(
                tx, SeriesEntry(caller, "series.create", s,
                                {{"frequency", FrequencyName(in.rule.frequency)},
                                 {"campaign_id", in.campaign_id ? json(*in.campaign_id) : json()}}))
            .status());
    return MaterializeInTx(tx, caller, s, now).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadSeries(db_, id);
}

absl::StatusOr<Series> SeriesService::Get(const Caller& caller, int64_t id) {
  return ReadVisible(db_, caller, id);
}

absl::StatusOr<std::vector<Series>> SeriesService::List(const Caller& caller,
                                                        const SeriesQuery& query) {
  if (query.limit < 1 || query.limit > 200) {
    return absl::InvalidArgumentError("limit must be between 1 and 200");
  }
  std::vector<store::Value> params = {caller.organization_id, query.after_id};
  std::string where = "organization_id = $1 AND id > $2";
  if (query.brand_id) {
    core::Append(&where, " AND brand_id = ", internal::NextParam(params));
    params.push_back(*query.brand_id);
  }
  if (std::optional<std::vector<int64_t>> brands = internal::BrandsAllowing(caller, "posts.read")) {
    internal::AppendInList(&where, &params, "brand_id", *brands);
  }
  const std::string limit_param = internal::NextParam(params);
  params.push_back(query.limit);
  ASSIGN_OR_RETURN(store::Rows rows,
                   db_.Query(core::Cat("SELECT ", kSeriesColumns, " FROM series WHERE ", where,
                                       " ORDER BY id LIMIT ", limit_param),
                             params));
  std::vector<Series> out;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(Series s, SeriesFromRow(row));
    RETURN_IF_ERROR(LoadZoneChanges(db_, s));
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<Series> SeriesService::Update(const Caller& caller, int64_t id,
                                             const SeriesEdit& edit) {
  if (edit.rule) RETURN_IF_ERROR(ValidateRule(*edit.rule));
  if (edit.content) RETURN_IF_ERROR(CheckTemplate(*edit.content));
  return Change(caller, id, "series.update", edit);
}

absl::StatusOr<Series> SeriesService::ChangeZone(const Caller& caller, int64_t id,
                                                 core::CivilDate from, std::string_view zone) {
  ASSIGN_OR_RETURN(Series s, Get(caller, id));
  RecurrenceRule rule = s.rule;
  RETURN_IF_ERROR(ChangeZoneFrom(&rule, from, std::string(zone)));
  RETURN_IF_ERROR(ValidateRule(rule));
  return Change(caller, id, "series.zone_change", SeriesEdit{.rule = std::move(rule)});
}

absl::StatusOr<Series> SeriesService::Change(const Caller& caller, int64_t id,
                                             std::string_view action, const SeriesEdit& edit) {
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Series before, LockVisible(tx, caller, id));
    if (!caller.Can("posts.draft", before.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow changing series of this brand (posts.draft)");
    }
    if (before.status != SeriesStatus::kActive) {
      return absl::FailedPreconditionError(core::Cat("series ", id, " has ended"));
    }
    Series after = before;
    if (edit.rule) after.rule = *edit.rule;
    if (edit.content) after.content = *edit.content;
    if (edit.campaign_id) after.campaign_id = *edit.campaign_id;
    if (after.campaign_id) RETURN_IF_ERROR(CheckCampaign(tx, *after.campaign_id, after.brand_id));
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    RETURN_IF_ERROR(WriteRuleAndTemplate(tx, id, after, now));
    RETURN_IF_ERROR(ReplaceFutureInTx(tx, caller, before, after, now));
    json details = {{"rule_changed", edit.rule.has_value()},
                    {"content_changed",
                     edit.content.has_value() && !SameTemplate(before.content, after.content)},
                    {"campaign_changed", edit.campaign_id.has_value()}};
    if (action == "series.zone_change" && !after.rule.zone_changes.empty()) {
      details["from"] = core::FormatDate(after.rule.zone_changes.back().from);
      details["zone"] = after.rule.zone_changes.back().zone;
    }
    RETURN_IF_ERROR(audit_.AppendInTx(tx, SeriesEntry(caller, action, after, details)).status());
    after.materialized_until = absl::FromUnixMicros(now);
    return MaterializeInTx(tx, caller, after, now).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadSeries(db_, id);
}

absl::StatusOr<Series> SeriesService::End(const Caller& caller, int64_t id) {
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Series s, LockVisible(tx, caller, id));
    if (!caller.Can("posts.draft", s.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow ending series of this brand (posts.draft)");
    }
    if (s.status != SeriesStatus::kActive) {
      return absl::FailedPreconditionError(core::Cat("series ", id, " has already ended"));
    }
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    RETURN_IF_ERROR(tx.Execute("UPDATE series SET status = 'ended', ended_at = $1, updated_at = "
                               "$1 WHERE id = $2",
                               {now, id})
                        .status());
    ASSIGN_OR_RETURN(std::vector<Post> future, FutureLinked(tx, id, now));
    int64_t cancelled = 0;
    for (const Post& p : future) {
      RETURN_IF_ERROR(CancelOccurrenceInTx(tx, caller, p, "linked", "series_ended", now));
      ++cancelled;
    }
    return audit_.AppendInTx(tx, SeriesEntry(caller, "series.end", s, {{"cancelled", cancelled}}))
        .status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadSeries(db_, id);
}

absl::StatusOr<std::vector<Post>> SeriesService::Occurrences(const Caller& caller, int64_t id) {
  ASSIGN_OR_RETURN(Series s, Get(caller, id));
  return posts_.List(caller, PostQuery{.series_id = s.id, .limit = kMaxOccurrencesListed});
}

absl::Status SeriesService::CancelOccurrenceInTx(store::Tx& tx, const Caller& caller, const Post& p,
                                                 std::string_view state, std::string_view reason,
                                                 int64_t now) {
  if (p.status == PostStatus::kScheduled && !caller.Can("posts.schedule", p.brand_id)) {
    // The caller may not cancel an approved, scheduled post: it stays, on its own.
    return tx
        .Execute("UPDATE posts SET series_state = 'detached', updated_at = $1 WHERE id = $2",
                 {now, p.id})
        .status();
  }
  RETURN_IF_ERROR(tx.Execute("UPDATE posts SET status = 'cancelled', series_state = $1, "
                             "updated_at = $2 WHERE id = $3",
                             {std::string(state), now, p.id})
                      .status());
  if (p.status == PostStatus::kScheduled) {
    RETURN_IF_ERROR(posts_.LeftScheduleInTx(tx, p.id, absl::FromUnixMicros(now)));
  }
  AuditEntry e = EntryFor(caller.actor, "post.cancel");
  e.organization_id = p.organization_id;
  e.record_type = "post";
  e.record_id = core::Cat(p.id);
  e.details = json{
      {"from", PostStatusName(p.status)},
      {"to", "cancelled"},
      {"revision", p.revision},
      {"brand_id", p.brand_id},
      {"series_id", p.series_id ? json(*p.series_id) : json()},
      {"reason",
       reason}}.dump();
  return audit_.AppendInTx(tx, e).status();
}

absl::Status SeriesService::ReplaceFutureInTx(store::Tx& tx, const Caller& caller,
                                              const Series& before, const Series& after,
                                              int64_t now) {
  ASSIGN_OR_RETURN(std::vector<Post> future, FutureLinked(tx, before.id, now));
  const int64_t through = std::max(absl::ToUnixMicros(before.materialized_until), now) + 1;
  ASSIGN_OR_RETURN(std::vector<Occurrence> planned, Expand(after.rule, now, through));
  std::map<std::string, const Occurrence*> by_date;
  for (const Occurrence& o : planned) by_date[core::FormatDate(o.date)] = &o;
  const bool content_same = SameTemplate(before.content, after.content);
  for (const Post& p : future) {
    auto it = by_date.find(p.series_date);
    const bool keep = content_same && p.campaign_id == after.campaign_id && it != by_date.end() &&
                      p.scheduled_at &&
                      absl::ToUnixMicros(*p.scheduled_at) == it->second->utc_micros &&
                      p.time_zone == it->second->zone;
    if (keep) continue;
    RETURN_IF_ERROR(CancelOccurrenceInTx(tx, caller, p, "replaced", "series_changed", now));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SeriesService::MaterializeInTx(store::Tx& tx, const Caller& caller,
                                                       Series& s, int64_t now) {
  if (s.status != SeriesStatus::kActive) return 0;
  const int64_t from = std::max(absl::ToUnixMicros(s.materialized_until), now);
  int64_t to = now + absl::ToInt64Microseconds(options_.horizon);
  std::vector<Occurrence> occurrences;
  if (from < to) {
    ASSIGN_OR_RETURN(occurrences, Expand(s.rule, from, to));
  }
  // Fewer than min_ahead future occurrences: look further, up to a year past `from`, for
  // the first ones (dates that already have a live post, counted in `from_on`, are
  // skipped below, so they are taken on top).
  ASSIGN_OR_RETURN(store::Row ahead_row,
                   tx.QueryRow("SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN scheduled_at >= $3 "
                               "THEN 1 ELSE 0 END), 0) AS from_on FROM posts WHERE series_id = $1 "
                               "AND series_state <> 'replaced' AND status <> 'cancelled' AND "
                               "scheduled_at >= $2",
                               {s.id, now, from}));
  ASSIGN_OR_RETURN(int64_t ahead, ahead_row.GetInt64("n"));
  ASSIGN_OR_RETURN(int64_t from_on, ahead_row.GetInt64("from_on"));
  const int64_t wanted = options_.min_ahead - ahead;
  if (wanted > static_cast<int64_t>(occurrences.size())) {
    ASSIGN_OR_RETURN(occurrences,
                     Expand(s.rule, from, from + absl::ToInt64Microseconds(absl::Hours(24 * 366))));
    const int64_t take = wanted + from_on;
    if (static_cast<int64_t>(occurrences.size()) > take) occurrences.resize(take);
    if (!occurrences.empty()) to = std::max(to, occurrences.back().utc_micros + 1);
  }
  if (from >= to) return 0;
  const size_t take = std::min<size_t>(occurrences.size(), options_.max_per_run);
  const int64_t until = take < occurrences.size() ? occurrences[take].utc_micros : to;
  int64_t created = 0;
  if (take > 0) {
    const GuardReport guard = screener_.Screen(s.content);
    for (size_t i = 0; i < take; ++i) {
      const Occurrence& o = occurrences[i];
      const std::string date = core::FormatDate(o.date);
      ASSIGN_OR_RETURN(store::Row live,
                       tx.QueryRow("SELECT COUNT(*) AS n FROM posts WHERE series_id = $1 AND "
                                   "series_date = $2 AND series_state <> 'replaced'",
                                   {s.id, date}));
      ASSIGN_OR_RETURN(int64_t n, live.GetInt64("n"));
      if (n > 0) continue;
      ASSIGN_OR_RETURN(int64_t post_id,
                       posts_.CreateInTx(tx, caller,
                                         NewPost{.brand_id = s.brand_id,
                                                 .campaign_id = s.campaign_id,
                                                 .content = s.content,
                                                 .guard = guard,
                                                 .scheduled_at = absl::FromUnixMicros(o.utc_micros),
                                                 .time_zone = o.zone}));
      RETURN_IF_ERROR(tx.Execute("UPDATE posts SET series_id = $1, series_date = $2, "
                                 "series_state = 'linked', series_note = $3 WHERE id = $4",
                                 {s.id, date, o.resolution.Describe(o.zone), post_id})
                          .status());
      ++created;
    }
  }
  RETURN_IF_ERROR(
      tx.Execute("UPDATE series SET materialized_until = $1 WHERE id = $2", {until, s.id})
          .status());
  s.materialized_until = absl::FromUnixMicros(until);
  if (created > 0) {
    RETURN_IF_ERROR(audit_
                        .AppendInTx(tx, SeriesEntry(caller, "series.materialize", s,
                                                    {{"created", created}, {"through", until}}))
                        .status());
  }
  return created;
}

absl::StatusOr<int64_t> SeriesService::MaterializeDue() {
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  const int64_t to = now + absl::ToInt64Microseconds(options_.horizon);
  ASSIGN_OR_RETURN(store::Rows rows,
                   db_.Query("SELECT s.id AS id, s.created_by AS created_by, s.organization_id "
                             "AS organization_id, u.email AS email FROM series s JOIN users u ON "
                             "u.id = s.created_by WHERE s.status = 'active' AND "
                             "s.materialized_until < $1 AND u.disabled_at IS NULL ORDER BY s.id",
                             {to}));
  int64_t created = 0;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
    ASSIGN_OR_RETURN(int64_t user_id, row.GetInt64("created_by"));
    ASSIGN_OR_RETURN(int64_t organization_id, row.GetInt64("organization_id"));
    ASSIGN_OR_RETURN(std::string email, row.GetText("email"));
    ASSIGN_OR_RETURN(Grants grants, users_.GetGrants(user_id));
    const Caller creator{.actor = {.user_id = user_id, .name = email, .from_address = "system"},
                         .organization_id = organization_id,
                         .grants = std::move(grants)};
    int64_t n = 0;
    absl::Status done = db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(Series s, LockVisible(tx, creator, id));
      if (!creator.Can("posts.draft", s.brand_id)) return absl::OkStatus();
      ASSIGN_OR_RETURN(n, MaterializeInTx(tx, creator, s, now));
      return absl::OkStatus();
    });
    // A series its creator may no longer read is skipped, not an error for the others.
    if (!done.ok() && done.code() != absl::StatusCode::kNotFound) return done;
    if (done.ok()) created += n;
  }
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return created;
}

}  // namespace carepost::domain
