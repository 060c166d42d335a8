// File: domain/series.h
//
// Recurring series of posts ("every weekday 9:00 America/Los_Angeles", a daily video
// show). A series is stored: its brand, optional campaign, the rule in LOCAL wall time
// (domain/recurrence.h: frequency, interval, weekdays, month day or ordinal weekday,
// time, zone, start, optional end date or count, zone changes) and a template content
// (master text and per-platform variants, as a post's). Its occurrences are ordinary
// posts, materialized over a rolling horizon, so each one goes through the guard and the
// approval workflow like any other post (domain/posts.h):
//
//   SeriesService series(db, clock, audit, posts, users, screener);
//   ASSIGN_OR_RETURN(Series s, series.Create(caller, {.brand_id = 3, .rule = rule,
//                                                     .content = {.master_text = "..."}}));
//   // s's occurrences of the next `horizon` exist as draft posts with series_id = s.id.
//
// Each occurrence is a draft post scheduled at the occurrence's UTC instant with the
// zone in force on its local date; the post carries the series, the local date
// (series_date) and, when the wall time fell in a DST gap or overlap, the resolution
// text for the UI (series_note, core::LocalResolution::Describe()).
//
// Materialization: Create() and Update() materialize at once; MaterializeDue() (which
// the server calls periodically, reading time from the injected clock) extends every
// active series to now + horizon, or further until SeriesOptions::min_ahead future
// occurrences exist. Occurrences before "now" are never created, and a
// local date has at most one live occurrence.
//
// Changes apply to future occurrences only ("this and following"): Update() and
// ChangeZone() replace the series' linked, not yet published occurrences at or after
// now whose time, zone, campaign or content would differ (they are cancelled with
// series_state "replaced" and materialized again from the new rule and template);
// published, past and detached ones are untouched. Editing one occurrence through
// PostService::Update() detaches it ("this post only"): the series then leaves it alone.
// A scheduled occurrence is cancelled only when the caller may cancel it (posts.schedule);
// otherwise it is detached and keeps its approved content and time.
//
// Authorization (domain/permissions.h, for the series' brand): reading needs
// posts.read (a series the caller may not read is "not found"), every change
// posts.draft. Every change is audited in its transaction (series.create,
// series.update, series.zone_change, series.end, series.materialize, plus post.create
// and post.cancel for the occurrences); details hold ids and counts, never text.
//
// Thread safety: SeriesService is safe for concurrent use from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/civil_time.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/caller.h"
#include "domain/posts.h"
#include "domain/recurrence.h"
#include "domain/users.h"
#include "store/database.h"

namespace carepost::domain {

// Screens a series' template content as the post routes screen a post's (the HTTP
// layer's ScreenPostContent); the report goes with every occurrence created from it.
// Implementations must be safe to call from many threads.
class ContentScreener {
 public:
  virtual ~ContentScreener() = default;
  virtual GuardReport Screen(const PostContent& content) = 0;
};

enum class SeriesStatus { kActive, kEnded };
std::string_view SeriesStatusName(SeriesStatus status);  // "active", "ended"

// Frequency names as the API spells them: "daily", "weekly", "monthly_by_day",
// "monthly_by_weekday".
std::string_view FrequencyName(Frequency frequency);
std::optional<Frequency> ParseFrequency(std::string_view name);

struct Series {
  int64_t id = 0;
  int64_t organization_id = 0;
  int64_t brand_id = 0;
  std::optional<int64_t> campaign_id;
  int64_t created_by = 0;
  SeriesStatus status = SeriesStatus::kActive;
  RecurrenceRule rule;            // with its zone changes
  PostContent content;            // the template (no media yet)
  absl::Time materialized_until;  // occurrences before this instant exist as posts
  absl::Time created_at;
  absl::Time updated_at;
  std::optional<absl::Time> ended_at;
};

struct NewSeries {
  int64_t brand_id = 0;
  std::optional<int64_t> campaign_id;  // a campaign of the same brand
  RecurrenceRule rule;                 // zone_changes may be given too
  PostContent content;                 // media must be empty (not supported yet)
};

// What Update() changes: only the fields that are set.
struct SeriesEdit {
  std::optional<RecurrenceRule> rule;                 // replaces rule and zone changes
  std::optional<PostContent> content;                 // the template
  std::optional<std::optional<int64_t>> campaign_id;  // set to nullopt: no campaign
};

struct SeriesQuery {
  std::optional<int64_t> brand_id;
  int64_t after_id = 0;
  int64_t limit = 50;  // 1..200
};

struct SeriesOptions {
  // How far ahead occurrences exist as posts. Longer shows more on the calendar; each
  // occurrence is a post to review.
  absl::Duration horizon = absl::Hours(24 * 7 * 8);
  // At least this many future occurrences exist as posts even when they lie beyond the
  // horizon (a series that starts in three months shows its first ones at once); at
  // most a year ahead is looked at for them.
  int64_t min_ahead = 10;
  // At most this many occurrences created per series per materialization (a daily
  // series with a long horizon catches up over several runs).
  int64_t max_per_run = 100;
};

class SeriesService {
 public:
  // Everything passed in must outlive the service.
  SeriesService(store::Database& db, core::Clock& clock, AuditLog& audit, PostService& posts,
                UserService& users, ContentScreener& screener, SeriesOptions options = {});

  // Stores the series (posts.draft for the brand) and materializes its first
  // occurrences. InvalidArgument naming the field for a bad rule or template.
  [[nodiscard]] absl::StatusOr<Series> Create(const Caller& caller, const NewSeries& series);
  // NotFound when there is none the caller may read.
  [[nodiscard]] absl::StatusOr<Series> Get(const Caller& caller, int64_t id);
  // Series of the brands the caller may read, by id.
  [[nodiscard]] absl::StatusOr<std::vector<Series>> List(const Caller& caller,
                                                         const SeriesQuery& query);
  // Changes an active series from now on (see the file comment) and materializes again.
  [[nodiscard]] absl::StatusOr<Series> Update(const Caller& caller, int64_t id,
                                              const SeriesEdit& edit);
  // Moves the series to `zone` from local date `from` on (ChangeZoneFrom), replacing the
  // future occurrences that move.
  [[nodiscard]] absl::StatusOr<Series> ChangeZone(const Caller& caller, int64_t id,
                                                  core::CivilDate from, std::string_view zone);
  // active -> ended: no more occurrences; the future linked ones are cancelled.
  [[nodiscard]] absl::StatusOr<Series> End(const Caller& caller, int64_t id);
  // The series' occurrences (every state, replaced ones included), by id, up to 500.
  [[nodiscard]] absl::StatusOr<std::vector<Post>> Occurrences(const Caller& caller, int64_t id);

  // Extends every active series to now + horizon, each as its creator (with the roles
  // they hold now; a series whose creator may no longer draft for the brand, or is
  // disabled, is skipped). Returns the number of posts created.
  [[nodiscard]] absl::StatusOr<int64_t> MaterializeDue();

 private:
  absl::StatusOr<Series> Change(const Caller& caller, int64_t id, std::string_view action,
                                const SeriesEdit& edit);
  absl::StatusOr<int64_t> MaterializeInTx(store::Tx& tx, const Caller& caller, Series& series,
                                          int64_t now);
  absl::Status ReplaceFutureInTx(store::Tx& tx, const Caller& caller, const Series& before,
                                 const Series& after, int64_t now);
  absl::Status CancelOccurrenceInTx(store::Tx& tx, const Caller& caller, const Post& post,
                                    std::string_view state, std::string_view reason, int64_t now);

  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
  PostService& posts_;
  UserService& users_;
  ContentScreener& screener_;
  SeriesOptions options_;
};

}  // namespace carepost::domain
