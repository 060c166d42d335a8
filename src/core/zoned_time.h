// File: core/zoned_time.h
//
// IANA time zones: turning a wall time someone planned ("2026-03-08 09:00 in
// America/Los_Angeles") into the UTC instant carepost stores, and an instant back into
// what a clock in a zone shows. carepost stores every instant as int64 microseconds
// since the Unix epoch, UTC, and keeps the zone name beside it.
//
//   ASSIGN_OR_RETURN(core::TimeZone la, core::TimeZone::Load("America/Los_Angeles"));
//   ASSIGN_OR_RETURN(core::LocalResolution r,
//                    la.ToUtc({.date = {2026, 3, 8}, .time = {2, 30}}));
//   // r.kind == LocalTimeKind::kNonexistent: clocks jump from 02:00 to 03:00 that day,
//   // so the post goes out at 03:30 PDT (r.wall) and r.Describe() tells the user so.
//   core::ZonedTime shown = la.FromUtc(r.utc_micros);   // 2026-03-08 03:30, -07:00, PDT
//
// Two wall times need a rule, because a clock change makes them not map to exactly
// one instant:
//   - NONEXISTENT (spring forward): 02:30 on the day clocks jump 02:00 -> 03:00 never
//     happens. Default policy kShiftForward: the time is moved forward by the length of
//     the jump (02:30 -> 03:30), i.e. read with the offset in force before the jump.
//     This keeps the distance from the previous occurrence and is what RFC 5545 does.
//     kReject returns an error instead.
//   - AMBIGUOUS (fall back): 01:30 on the day clocks go 02:00 -> 01:00 happens twice.
//     Default kEarlier: the first of the two (still on summer time, 01:30 PDT);
//     kLater picks the second (01:30 PST).
// Either way the result says what happened (kind, requested vs. wall time, the shift,
// the other candidate), so a UI can show it to the person who planned it.
//
// Zone data comes from the system's tz database (/usr/share/zoneinfo, Debian
// `tzdata`) through Howard Hinnant's date/tz library; nothing of that library appears in
// this header.
//
// Thread safety: TimeZone is a small immutable handle (copy it freely); every function
// here is safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "core/civil_time.h"

namespace date {
class time_zone;
}  // namespace date

namespace carepost::core {

// What to do with a wall time that falls in a spring-forward gap.
enum class NonexistentTime {
  kShiftForward,  // move it later by the length of the gap (02:30 -> 03:30)
  kReject,        // FailedPrecondition naming the time, the date and the zone
};

// Which instant to use for a wall time that happens twice (fall back).
enum class AmbiguousTime {
  kEarlier,  // the first occurrence, on the offset in force before the change
  kLater,    // the second occurrence, on the offset after the change
};

struct ResolveOptions {
  NonexistentTime nonexistent = NonexistentTime::kShiftForward;
  AmbiguousTime ambiguous = AmbiguousTime::kEarlier;
};

enum class LocalTimeKind {
  kUnique,       // the wall time maps to exactly one instant
  kNonexistent,  // it fell in a gap and was shifted (see NonexistentTime)
  kAmbiguous,    // it happens twice and one was chosen (see AmbiguousTime)
};

// What a clock in a zone shows at an instant.
struct ZonedTime {
  int64_t utc_micros = 0;
  CivilDateTime local;             // to the second; sub-second digits are dropped
  int32_t utc_offset_seconds = 0;  // local = UTC + offset (-25200 for PDT)
  std::string abbreviation;        // "PDT", "GMT", "AEDT"; some zones use "+03"
  bool daylight_saving = false;    // summer time is in force

  // "2026-03-08 03:30 PDT (UTC-07:00)".
  std::string ToString() const;
};

// The outcome of turning a wall time into an instant.
struct LocalResolution {
  int64_t utc_micros = 0;  // the chosen instant
  LocalTimeKind kind = LocalTimeKind::kUnique;
  CivilDateTime requested;       // the wall time asked for
  ZonedTime wall;                // what the clock shows at utc_micros: equal to `requested`
                                 // except for kNonexistent, where it is later by shift_seconds
  int64_t shift_seconds = 0;     // kNonexistent: the length of the gap (3600 for most zones)
  int64_t other_utc_micros = 0;  // kAmbiguous: the candidate that was not chosen

  // One sentence for a person, empty for kUnique. For example "02:30 does not exist on
  // 2026-03-08 in America/Los_Angeles (clocks jump forward 1 hour); using 03:30 PDT."
  std::string Describe(std::string_view zone_name) const;
};

// UTC offset as "+05:30" / "-07:00" / "+00:00".
std::string FormatUtcOffset(int32_t seconds);

class TimeZone {
 public:
  // Finds an IANA zone name ("America/New_York", "Europe/London", "UTC"; links such as
  // "US/Pacific" are accepted and keep the name given). An unknown or empty name is
  // InvalidArgument naming it; a missing tz database is Internal.
  static absl::StatusOr<TimeZone> Load(std::string_view name);

  // UTC, always available.
  static TimeZone Utc();

  // The name the zone was loaded with.
  const std::string& name() const { return name_; }

  // The instant a wall time in this zone denotes, with the policies above.
  // InvalidArgument when the date or time does not exist on any calendar (Feb 30,
  // 25:00); FailedPrecondition for a gap under NonexistentTime::kReject.
  absl::StatusOr<LocalResolution> ToUtc(CivilDateTime local,
                                        const ResolveOptions& options = {}) const;

  // What a clock in this zone shows at an instant. Instants outside years 1..9999 are
  // clamped to them.
  ZonedTime FromUtc(int64_t utc_micros) const;

 private:
  TimeZone(std::string name, const date::time_zone* zone) : name_(std::move(name)), zone_(zone) {}

  std::string name_;
  const date::time_zone* zone_;  // owned by the process-wide tz database; never null
};

}  // namespace carepost::core
