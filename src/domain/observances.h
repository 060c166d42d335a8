// File: domain/observances.h
//
// The health observances a hospital plans content around (American Heart Month, World
// Health Day, National Nurses Week, ...), resolved to real dates for any year. The data
// ships inside the binary (src/domain/data/observances.toml, generated from
// ../shared/domain/observances.csv by tools/observances_to_toml.py); each entry holds a
// date RULE, not a date, because most observances move: "the 2nd Thursday of March",
// "the 3rd full Sunday-to-Saturday week of March", "the whole of October".
//
//   ASSIGN_OR_RETURN(std::vector<Observance> year, ObservancesFor(2026));
//   ASSIGN_OR_RETURN(std::vector<Observance> march,
//                    ObservancesBetween({2026, 3, 1}, {2026, 3, 31}));
//
// Rule syntax (months as 01..12 or jan..dec, weekdays sun..sat, ordinals 1st..5th, last):
//   month:MM                whole month                 month:10 -> Oct 1-31
//   date:MM-DD, date:MM-last  one day                   date:02-last -> Feb 28 or 29
//   nth:MON-ORD-DOW         ORD weekday of the month    nth:mar-2nd-thu -> World Kidney Day
//   week:MON-ORD-full       ORD Monday-Sunday week lying wholly in MON (Monday to Sunday)
//   week:MON-ORD-full-sun   the same with Sunday-Saturday weeks
//   weekof:MM-DD[-sun]      the Monday-Sunday (Sunday-Saturday) week holding MM-DD
//   easter                  Western (Gregorian) Easter Sunday
// Any start rule may end in @+Nd / @-Nd (move N days). The end is empty (the start
// rule's own end), +Nd (N days after the start), or another rule whose last day is the
// end; an end before the start means the following year ("date:12-28" .. "date:01-03").
// So an observance starts in the year asked for and may end in the next (its "spill").
//
// Sponsors announce dates each year and sometimes depart from the rule; the resolved
// dates are the usual pattern; the calendar must let users override a year's dates
// (not built yet).
//
// Thread safety: an ObservanceCalendar is immutable once parsed; the built-in one is
// parsed once, on first use, thread-safely.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/civil_time.h"

namespace carepost::domain {

enum class ObservanceKind { kDay, kWeek, kMonth };

// "day", "week", "month".
std::string_view ObservanceKindName(ObservanceKind kind);

// One observance in one year.
struct Observance {
  std::string name;  // "National Nurses Week"
  ObservanceKind kind = ObservanceKind::kDay;
  core::CivilDate start;              // first day
  core::CivilDate end;                // last day (inclusive); == start for a day
  std::string sponsor;                // who runs it; several joined with " / "
  std::vector<std::string> hashtags;  // with '#', the primary one first
  std::string url;                    // the sponsor's page, when the data has one
  bool safe_messaging = false;        // suicide, overdose, infant loss...: draft with the
                                      // crisis safe-messaging rules
  std::string start_rule;             // the rule text, e.g. "nth:may-2nd-sun"
  std::string end_rule;               // "" or e.g. "+6d"
};

// A parsed date rule (a start rule or an absolute end rule), for resolving directly.
struct DateRule;

// Parses one start rule ("nth:feb-1st-fri@+2d"). InvalidArgument naming the rule and
// the part that is wrong.
absl::StatusOr<std::shared_ptr<const DateRule>> ParseDateRule(std::string_view text);

// The first and last day (inclusive) of a rule in `year`, offset applied. NotFound when
// the rule has no date that year (a 5th weekday the month does not have).
struct DateSpan {
  core::CivilDate start;
  core::CivilDate end;
};
absl::StatusOr<DateSpan> ResolveDateRule(const DateRule& rule, int year);

// The start and end of an observance in `year` from its start and end rule texts.
absl::StatusOr<DateSpan> ResolveObservance(std::string_view start_rule, std::string_view end_rule,
                                           int year);

// A set of observance definitions.
class ObservanceCalendar {
 public:
  // Parses the TOML form of src/domain/data/observances.toml. `origin` names the text in
  // errors, which also give the entry's line ("observances.toml:12: ...").
  static absl::StatusOr<ObservanceCalendar> Parse(std::string_view toml_text,
                                                  std::string_view origin);

  // Every observance that starts in `year`, ordered by start date, then longest first
  // (months before the weeks and days inside them), then name. Entries whose rule has
  // no date that year are left out. InvalidArgument outside years 2..9998.
  absl::StatusOr<std::vector<Observance>> ForYear(int year) const;

  // Every observance that overlaps [first, last] (inclusive local dates), same order.
  absl::StatusOr<std::vector<Observance>> Between(core::CivilDate first,
                                                  core::CivilDate last) const;

  // How many definitions there are.
  size_t size() const { return entries_.size(); }

  struct Entry;  // a definition: metadata plus parsed rules (defined in the .cc)

 private:
  std::vector<std::shared_ptr<const Entry>> entries_;
};

// The observances shipped in the binary. Parsed on first use; an error here means the
// shipped file is broken (calendar_test checks that it is not).
absl::StatusOr<const ObservanceCalendar*> BuiltinObservances();

// BuiltinObservances()->ForYear(year) / ->Between(first, last).
absl::StatusOr<std::vector<Observance>> ObservancesFor(int year);
absl::StatusOr<std::vector<Observance>> ObservancesBetween(core::CivilDate first,
                                                           core::CivilDate last);

}  // namespace carepost::domain
