// File: domain/recurrence.h
//
// Recurring series on the content calendar ("every weekday 9:00 America/Los_Angeles",
// "the 2nd Tuesday of every month at 12:00"). A series is planned in LOCAL wall time:
// expanding it keeps 9:00 as 9:00 across daylight-saving changes, so the UTC instants
// move by an hour twice a year. Each occurrence is computed through core::TimeZone,
// whose policies apply on the two days a year a wall time is missing or doubled
// (core/zoned_time.h): the occurrence then carries that resolution for the UI to show.
//
//   RecurrenceRule rule{.frequency = Frequency::kWeekly,
//                       .weekdays = Weekdays(),           // Monday to Friday
//                       .time = {9, 0},
//                       .zone = "America/Los_Angeles",
//                       .start = {2026, 3, 2}};
//   ASSIGN_OR_RETURN(std::vector<Occurrence> week, Expand(rule, from_utc, to_utc));
//
// A series can move zone part-way (the team relocates, a clinic in another zone takes
// the show over): ZoneChange{.from = date, .zone = "America/New_York"} applies to the
// occurrences ON OR AFTER that local date; earlier ones keep the zone they had.
//
// Thread safety: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/civil_time.h"
#include "core/zoned_time.h"

namespace carepost::domain {

enum class Frequency {
  kDaily,             // every `interval` days
  kWeekly,            // on `weekdays` of every `interval`-th week (weeks start on Monday)
  kMonthlyByDay,      // on day `month_day` of every `interval`-th month; months that are
                      // too short for it are skipped (RFC 5545's rule: the 31st skips April)
  kMonthlyByWeekday,  // on the `week_ordinal`-th `weekday` of every `interval`-th month
};

// The zone of a series from a local date on.
struct ZoneChange {
  core::CivilDate from;  // the first local date the new zone applies to
  std::string zone;      // IANA name
};

struct RecurrenceRule {
  Frequency frequency = Frequency::kDaily;
  int interval = 1;  // 1..1000: every 1st, 2nd, ... day / week / month
  // kWeekly: the days of the week; empty means the weekday of `start`.
  std::vector<core::Weekday> weekdays;
  int month_day = 0;                               // kMonthlyByDay: 1..31
  int week_ordinal = 0;                            // kMonthlyByWeekday: 1..5, or -1 for the last
  core::Weekday weekday = core::Weekday::kMonday;  // kMonthlyByWeekday
  core::CivilTime time;                            // local wall time of every occurrence
  std::string zone;                                // IANA zone the series is planned in
  core::CivilDate start;                           // first local date that may hold an occurrence
  std::optional<core::CivilDate> until;            // last local date that may (inclusive)
  std::optional<int> count;              // at most this many occurrences in all (1..100000)
  std::vector<ZoneChange> zone_changes;  // ascending `from`, each after `start`
  core::ResolveOptions resolve;          // DST gap and overlap policies
};

// Monday to Friday, for "every weekday".
std::vector<core::Weekday> Weekdays();

// OK, or InvalidArgument naming the first field that is wrong (unknown zone, a date or
// time that does not exist, a zero interval, ...).
absl::Status ValidateRule(const RecurrenceRule& rule);

struct Occurrence {
  int64_t index = 0;       // 0 for the first occurrence of the series, 1 for the next, ...
  core::CivilDate date;    // the local date it was planned for
  std::string zone;        // the zone in force on that date
  int64_t utc_micros = 0;  // the instant, microseconds since the epoch
  core::LocalResolution resolution;  // wall time actually used; DST notes (Describe())
};

// The occurrences whose instant lies in [from_utc_micros, to_utc_micros), in order.
// Occurrences are counted from `start` whether or not they fall in the window, so
// `count` and `index` mean the same for every window. InvalidArgument for a bad rule;
// FailedPrecondition when an occurrence falls in a DST gap under
// NonexistentTime::kReject. A window of more than `max_occurrences` results is
// ResourceExhausted rather than an unbounded list.
absl::StatusOr<std::vector<Occurrence>> Expand(const RecurrenceRule& rule, int64_t from_utc_micros,
                                               int64_t to_utc_micros,
                                               int64_t max_occurrences = 10'000);

// Moves the series to `zone` from local date `from` on (replacing any later change), so
// occurrences before `from` keep their zone. InvalidArgument if `from` is not after
// `rule->start` or the zone is unknown.
absl::Status ChangeZoneFrom(RecurrenceRule* rule, core::CivilDate from, std::string zone);

// One RFC 5545 recurrence per zone the series uses, for the iCalendar feed: a VEVENT
// with DTSTART;TZID=<zone>:<dtstart> and RRULE:<rrule>. A series with zone changes
// becomes several (one RRULE cannot change zone): each but the last ends with UNTIL at
// its last occurrence (UTC, as RFC 5545 requires with a TZID); the last carries the
// series' COUNT (what remains of it) or UNTIL. DTSTART is always an occurrence.
struct RruleSegment {
  std::string zone;             // TZID
  core::CivilDateTime dtstart;  // local wall time of the segment's first occurrence
  std::string rrule;            // "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20260604T160000Z"
};
// Segments without occurrences are left out. InvalidArgument for a bad rule.
absl::StatusOr<std::vector<RruleSegment>> ToRrule(const RecurrenceRule& rule);

// A short English description: "every weekday at 09:00 America/Los_Angeles",
// "on the 2nd Tuesday of every month at 12:00 Europe/London".
std::string Describe(const RecurrenceRule& rule);

}  // namespace carepost::domain
