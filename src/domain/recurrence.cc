#include "domain/recurrence.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/status_macros.h"
#include "core/strings.h"

namespace carepost::domain {
namespace {

using core::CivilDate;
using core::Weekday;

constexpr int kMaxInterval = 1000;
constexpr int kMaxCount = 100'000;
constexpr int64_t kSecondsPerDay = 86400;
// No zone is more than 26 hours from its local midnight to UTC (offsets run -12..+14).
constexpr int64_t kZoneSlackSeconds = 2 * kSecondsPerDay;

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(core::Cat("recurrence: ", field, ": ", what));
}

absl::Status Prefixed(std::string_view field, const absl::Status& s) {
  return absl::Status(s.code(), core::Cat("recurrence: ", field, ": ", std::string(s.message())));
}

bool ValidWeekday(Weekday d) {
  int i = static_cast<int>(d);
  return i >= 0 && i <= 6;
}

// Monday = 0 ... Sunday = 6: the weekday's position in a Monday-first week.
int64_t MondayIndex(Weekday d) { return (static_cast<int>(d) + 6) % 7; }

std::string Ordinal(int n) {
  if (n == -1) return "last";
  static constexpr std::string_view kSuffix[] = {"th", "st", "nd", "rd", "th", "th"};
  return core::Cat(n, kSuffix[std::clamp(n, 0, 5)]);
}

// The week_ordinal-th (or last, -1) `weekday` of a month, if the month has one.
std::optional<CivilDate> NthWeekdayOfMonth(int year, int month, int ordinal, Weekday weekday) {
  int days = core::DaysInMonth(year, month);
  if (ordinal == -1) {
    CivilDate last{year, month, days};
    int back = (static_cast<int>(core::WeekdayOf(last)) - static_cast<int>(weekday) + 7) % 7;
    return CivilDate{year, month, days - back};
  }
  CivilDate first{year, month, 1};
  int ahead = (static_cast<int>(weekday) - static_cast<int>(core::WeekdayOf(first)) + 7) % 7;
  int day = 1 + ahead + 7 * (ordinal - 1);
  if (day > days) return std::nullopt;
  return CivilDate{year, month, day};
}

// Calls visit(date) for every date the rule produces, in order, from `start` up to and
// including `last` (stopping early when visit returns false).
template <typename Visit>
void ForEachDate(const RecurrenceRule& rule, CivilDate last, Visit visit) {
  const int64_t first_day = core::DaysSinceEpoch(rule.start);
  const int64_t last_day = core::DaysSinceEpoch(last);
  switch (rule.frequency) {
    case Frequency::kDaily:
      for (int64_t d = first_day; d <= last_day; d += rule.interval) {
        if (!visit(core::DateFromDays(d))) return;
      }
      return;
    case Frequency::kWeekly: {
      bool on[7] = {};
      if (rule.weekdays.empty()) {
        on[static_cast<int>(core::WeekdayOf(rule.start))] = true;
      }
      for (Weekday w : rule.weekdays) on[static_cast<int>(w)] = true;
      const int64_t week0 = first_day - MondayIndex(core::WeekdayOf(rule.start));
      for (int64_t week = 0;; week += rule.interval) {
        for (int64_t i = 0; i < 7; ++i) {
          int64_t d = week0 + week * 7 + i;
          if (d < first_day) continue;
          if (d > last_day) return;
          // i is the Monday-first index: Monday = 0 is Weekday 1.
          if (on[(i + 1) % 7] && !visit(core::DateFromDays(d))) return;
        }
      }
    }
    case Frequency::kMonthlyByDay:
    case Frequency::kMonthlyByWeekday: {
      for (int64_t m = int64_t{rule.start.year} * 12 + (rule.start.month - 1);;
           m += rule.interval) {
        int year = static_cast<int>(m / 12);
        int month = static_cast<int>(m % 12) + 1;
        if (CivilDate{year, month, 1} > last) return;
        std::optional<CivilDate> d;
        if (rule.frequency == Frequency::kMonthlyByDay) {
          if (rule.month_day <= core::DaysInMonth(year, month)) {
            d = CivilDate{year, month, rule.month_day};
          }
        } else {
          d = NthWeekdayOfMonth(year, month, rule.week_ordinal, rule.weekday);
        }
        if (!d || *d < rule.start) continue;
        if (*d > last) return;
        if (!visit(*d)) return;
      }
    }
  }
}

}  // namespace

std::vector<Weekday> Weekdays() {
  return {Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday, Weekday::kThursday,
          Weekday::kFriday};
}

absl::Status ValidateRule(const RecurrenceRule& rule) {
  if (absl::StatusOr<core::TimeZone> z = core::TimeZone::Load(rule.zone); !z.ok()) {
    return Prefixed("zone", z.status());
  }
  if (absl::Status s = core::ValidateDate(rule.start); !s.ok()) return Prefixed("start", s);
  if (absl::Status s = core::ValidateTime(rule.time); !s.ok()) return Prefixed("time", s);
  if (rule.until) {
    if (absl::Status s = core::ValidateDate(*rule.until); !s.ok()) return Prefixed("until", s);
    if (*rule.until < rule.start) {
      return Invalid("until",
                     core::Cat("the end date ", core::FormatDate(*rule.until),
                               " is before the start date ", core::FormatDate(rule.start)));
    }
  }
  if (rule.count && (*rule.count < 1 || *rule.count > kMaxCount)) {
    return Invalid("count", core::Cat("must be 1 to ", kMaxCount, ", not ", *rule.count));
  }
  if (rule.interval < 1 || rule.interval > kMaxInterval) {
    return Invalid("interval", core::Cat("must be 1 to ", kMaxInterval, ", not ", rule.interval));
  }
  switch (rule.frequency) {
    case Frequency::kDaily:
      break;
    case Frequency::kWeekly:
      for (Weekday w : rule.weekdays) {
        if (!ValidWeekday(w)) return Invalid("weekdays", "a weekday is out of range");
      }
      break;
    case Frequency::kMonthlyByDay:
      if (rule.month_day < 1 || rule.month_day > 31) {
        return Invalid("month_day", core::Cat("must be 1 to 31, not ", rule.month_day));
      }
      break;
    case Frequency::kMonthlyByWeekday:
      if (rule.week_ordinal != -1 && (rule.week_ordinal < 1 || rule.week_ordinal > 5)) {
        return Invalid("week_ordinal",
                       core::Cat("must be 1 to 5, or -1 for the last, not ", rule.week_ordinal));
      }
      if (!ValidWeekday(rule.weekday)) return Invalid("weekday", "out of range");
      break;
    default:
      return Invalid("frequency", "unknown");
  }
  CivilDate previous = rule.start;
  for (const ZoneChange& change : rule.zone_changes) {
    if (absl::Status s = core::ValidateDate(change.from); !s.ok()) {
      return Prefixed("zone_changes", s);
    }
    if (change.from <= previous) {
      return Invalid("zone_changes",
                     core::Cat("the change on ", core::FormatDate(change.from),
                               " must come after the start and after the change before it (",
                               core::FormatDate(previous), ")"));
    }
    if (absl::StatusOr<core::TimeZone> z = core::TimeZone::Load(change.zone); !z.ok()) {
      return Prefixed("zone_changes", z.status());
    }
    previous = change.from;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Occurrence>> Expand(const RecurrenceRule& rule, int64_t from_utc_micros,
                                               int64_t to_utc_micros, int64_t max_occurrences) {
  RETURN_IF_ERROR(ValidateRule(rule));
  std::vector<Occurrence> out;
  if (to_utc_micros <= from_utc_micros) return out;

  // The zones in force: zones[0] from the start, zones[i] from zone_changes[i - 1].from.
  std::vector<core::TimeZone> zones;
  ASSIGN_OR_RETURN(core::TimeZone first_zone, core::TimeZone::Load(rule.zone));
  zones.push_back(first_zone);
  for (const ZoneChange& change : rule.zone_changes) {
    ASSIGN_OR_RETURN(core::TimeZone z, core::TimeZone::Load(change.zone));
    zones.push_back(z);
  }

  // Local dates that can hold an instant in the window, with a day of slack for any zone.
  const int64_t from_seconds = from_utc_micros / 1'000'000 - 1;
  const int64_t to_seconds = to_utc_micros / 1'000'000 + 1;
  const int64_t max_day = core::DaysSinceEpoch({core::kMaxYear, 12, 31});
  const int64_t min_day = core::DaysSinceEpoch({core::kMinYear, 1, 1});
  CivilDate last = core::DateFromDays(
      std::clamp((to_seconds + kZoneSlackSeconds) / kSecondsPerDay, min_day, max_day));
  if (rule.until && *rule.until < last) last = *rule.until;
  if (last < rule.start) return out;

  absl::Status status;
  int64_t index = 0;
  ForEachDate(rule, last, [&](CivilDate date) {
    if (rule.count && index >= *rule.count) return false;
    const int64_t this_index = index++;
    const int64_t day_seconds = core::DaysSinceEpoch(date) * kSecondsPerDay;
    if (day_seconds + kSecondsPerDay + kZoneSlackSeconds < from_seconds) return true;
    if (day_seconds - kZoneSlackSeconds > to_seconds) return false;

    size_t zone_index = 0;
    while (zone_index < rule.zone_changes.size() && rule.zone_changes[zone_index].from <= date) {
      ++zone_index;
    }
    const core::TimeZone& zone = zones[zone_index];
    // Resolved with the gap shifted even under kReject, so that a gap just outside the
    // window does not fail it; one inside is refused below.
    core::ResolveOptions options = rule.resolve;
    options.nonexistent = core::NonexistentTime::kShiftForward;
    absl::StatusOr<core::LocalResolution> r = zone.ToUtc({date, rule.time}, options);
    if (!r.ok()) {
      status = r.status();
      return false;
    }
    if (r->utc_micros < from_utc_micros || r->utc_micros >= to_utc_micros) return true;
    if (r->kind == core::LocalTimeKind::kNonexistent &&
        rule.resolve.nonexistent == core::NonexistentTime::kReject) {
      status = zone.ToUtc({date, rule.time}, rule.resolve).status();
      return false;
    }
    if (static_cast<int64_t>(out.size()) >= max_occurrences) {
      status = absl::ResourceExhaustedError(core::Cat("recurrence: the window holds more than ",
                                                      max_occurrences,
                                                      " occurrences; ask for a shorter one"));
      return false;
    }
    out.push_back(Occurrence{.index = this_index,
                             .date = date,
                             .zone = zone.name(),
                             .utc_micros = r->utc_micros,
                             .resolution = *std::move(r)});
    return true;
  });
  if (!status.ok()) return status;
  // A zone change can move an occurrence across its neighbour in UTC; keep UTC order.
  std::stable_sort(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) {
    return a.utc_micros < b.utc_micros;
  });
  return out;
}

namespace {

// "20260604T160000Z".
std::string IcalUtc(int64_t utc_micros) {
  core::ZonedTime t = core::TimeZone::Utc().FromUtc(utc_micros);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", t.local.date.year,
                t.local.date.month, t.local.date.day, t.local.time.hour, t.local.time.minute,
                t.local.time.second);
  return buf;
}

std::string_view IcalDay(Weekday d) {
  static constexpr std::string_view kDays[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
  return kDays[static_cast<int>(d)];
}

// The RRULE parts every segment shares: FREQ, INTERVAL, BYDAY / BYMONTHDAY.
std::string RrulePattern(const RecurrenceRule& rule) {
  std::string out;
  switch (rule.frequency) {
    case Frequency::kDaily:
      out = "FREQ=DAILY";
      break;
    case Frequency::kWeekly: {
      out = "FREQ=WEEKLY";
      bool on[7] = {};
      if (rule.weekdays.empty()) on[static_cast<int>(core::WeekdayOf(rule.start))] = true;
      for (Weekday w : rule.weekdays) on[static_cast<int>(w)] = true;
      std::string days;
      for (int i = 1; i <= 7; ++i) {  // Monday first, the RFC's default week start
        if (!on[i % 7]) continue;
        if (!days.empty()) days += ",";
        days += IcalDay(static_cast<Weekday>(i % 7));
      }
      core::Append(&out, ";BYDAY=", days);
      break;
    }
    case Frequency::kMonthlyByDay:
      out = core::Cat("FREQ=MONTHLY;BYMONTHDAY=", rule.month_day);
      break;
    case Frequency::kMonthlyByWeekday:
      out = core::Cat("FREQ=MONTHLY;BYDAY=", rule.week_ordinal, IcalDay(rule.weekday));
      break;
  }
  if (rule.interval != 1) core::Append(&out, ";INTERVAL=", rule.interval);
  return out;
}

}  // namespace

absl::StatusOr<std::vector<RruleSegment>> ToRrule(const RecurrenceRule& rule) {
  RETURN_IF_ERROR(ValidateRule(rule));
  const size_t segments = rule.zone_changes.size() + 1;
  std::vector<core::TimeZone> zones;
  ASSIGN_OR_RETURN(core::TimeZone first_zone, core::TimeZone::Load(rule.zone));
  zones.push_back(first_zone);
  for (const ZoneChange& change : rule.zone_changes) {
    ASSIGN_OR_RETURN(core::TimeZone z, core::TimeZone::Load(change.zone));
    zones.push_back(z);
  }
  struct Segment {
    std::optional<CivilDate> first;
    std::optional<CivilDate> last;
    int64_t before = 0;  // occurrences of the series before this segment
  };
  std::vector<Segment> seen(segments);
  auto segment_of = [&](CivilDate d) {
    size_t i = 0;
    while (i < rule.zone_changes.size() && rule.zone_changes[i].from <= d) ++i;
    return i;
  };
  int64_t total = 0;
  CivilDate last = rule.until.value_or(CivilDate{core::kMaxYear, 12, 31});
  ForEachDate(rule, last, [&](CivilDate d) {
    if (rule.count && total >= *rule.count) return false;
    size_t i = segment_of(d);
    if (!seen[i].first) {
      seen[i].first = d;
      seen[i].before = total;
    }
    seen[i].last = d;
    ++total;
    // In the last segment only its first occurrence matters; stop there.
    return i + 1 < segments;
  });

  const std::string pattern = RrulePattern(rule);
  std::vector<RruleSegment> out;
  for (size_t i = 0; i < segments; ++i) {
    if (!seen[i].first) continue;
    const core::TimeZone& zone = zones[i];
    RruleSegment seg{.zone = zone.name(), .dtstart = {*seen[i].first, rule.time}, .rrule = pattern};
    if (i + 1 < segments) {
      ASSIGN_OR_RETURN(core::LocalResolution end, zone.ToUtc({*seen[i].last, rule.time}));
      core::Append(&seg.rrule, ";UNTIL=", IcalUtc(end.utc_micros));
    } else if (rule.count) {
      core::Append(&seg.rrule, ";COUNT=", *rule.count - seen[i].before);
    } else if (rule.until) {
      ASSIGN_OR_RETURN(core::LocalResolution end, zone.ToUtc({*rule.until, rule.time}));
      core::Append(&seg.rrule, ";UNTIL=", IcalUtc(end.utc_micros));
    }
    out.push_back(std::move(seg));
  }
  // A count used up before a later segment: the segment before it already ends with
  // UNTIL at its last occurrence, which is the series' end.
  return out;
}

absl::Status ChangeZoneFrom(RecurrenceRule* rule, CivilDate from, std::string zone) {
  RecurrenceRule changed = *rule;
  std::erase_if(changed.zone_changes, [&](const ZoneChange& c) { return c.from >= from; });
  changed.zone_changes.push_back(ZoneChange{.from = from, .zone = std::move(zone)});
  RETURN_IF_ERROR(ValidateRule(changed));
  *rule = std::move(changed);
  return absl::OkStatus();
}

std::string Describe(const RecurrenceRule& rule) {
  std::string out;
  auto every = [&](std::string_view unit) {
    if (rule.interval == 1) return core::Cat("every ", unit);
    return core::Cat("every ", rule.interval, " ", unit, "s");
  };
  switch (rule.frequency) {
    case Frequency::kDaily:
      out = every("day");
      break;
    case Frequency::kWeekly: {
      std::vector<Weekday> days = rule.weekdays;
      if (days.empty()) days.push_back(core::WeekdayOf(rule.start));
      std::sort(days.begin(), days.end(),
                [](Weekday a, Weekday b) { return MondayIndex(a) < MondayIndex(b); });
      days.erase(std::unique(days.begin(), days.end()), days.end());
      if (days == Weekdays()) {
        out = rule.interval == 1 ? "every weekday" : core::Cat(every("week"), " on weekdays");
        break;
      }
      out = rule.interval == 1 ? std::string("every ") : core::Cat(every("week"), " on ");
      for (size_t i = 0; i < days.size(); ++i) {
        if (i > 0) out += i + 1 == days.size() ? " and " : ", ";
        out += core::WeekdayName(days[i]);
      }
      break;
    }
    case Frequency::kMonthlyByDay:
      out = core::Cat("on day ", rule.month_day, " of ", every("month"));
      break;
    case Frequency::kMonthlyByWeekday:
      out = core::Cat("on the ", Ordinal(rule.week_ordinal), " ", core::WeekdayName(rule.weekday),
                      " of ", every("month"));
      break;
  }
  core::Append(&out, " at ", core::FormatTime(rule.time), " ", rule.zone);
  for (const ZoneChange& c : rule.zone_changes) {
    core::Append(&out, ", ", c.zone, " from ", core::FormatDate(c.from));
  }
  return out;
}

}  // namespace carepost::domain
