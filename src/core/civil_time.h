// File: core/civil_time.h
//
// Calendar dates and wall-clock times with no time zone attached: "2026-03-08" and
// "09:00" as a person writes them. They say nothing about an instant until a zone is
// applied (core/zoned_time.h). Dates are proleptic Gregorian, years 1 to 9999.
//
//   ASSIGN_OR_RETURN(core::CivilDate day, core::ParseDate("2026-02-30"));
//   // -> InvalidArgument "date '2026-02-30' does not exist: February 2026 has 28 days"
//   core::CivilDate next = core::AddDays(day, 1);
//   if (core::WeekdayOf(next) == core::Weekday::kSaturday) ...
//
// Thread safety: plain values and pure functions.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace carepost::core {

// A day of the calendar. Construct freely; ValidateDate says whether it exists.
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..DaysInMonth(year, month)
  auto operator<=>(const CivilDate&) const = default;
};

// A wall-clock time of day.
struct CivilTime {
  int hour = 0;    // 0..23
  int minute = 0;  // 0..59
  int second = 0;  // 0..59 (no leap seconds)
  auto operator<=>(const CivilTime&) const = default;
};

// A date and a wall-clock time, in no particular zone.
struct CivilDateTime {
  CivilDate date;
  CivilTime time;
  auto operator<=>(const CivilDateTime&) const = default;
};

// Sunday = 0, as in C's tm_wday and RFC 5545's order of listing.
enum class Weekday { kSunday = 0, kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday };

inline constexpr int kMinYear = 1;
inline constexpr int kMaxYear = 9999;

bool IsLeapYear(int year);
// REQUIRES: 1 <= month <= 12.
int DaysInMonth(int year, int month);

// OK when the date exists; otherwise InvalidArgument naming it and what is wrong
// ("date '2026-02-30' does not exist: February 2026 has 28 days").
absl::Status ValidateDate(CivilDate date);
// OK when 00:00:00 <= time <= 23:59:59; otherwise InvalidArgument naming it.
absl::Status ValidateTime(CivilTime time);

// "YYYY-MM-DD" (exactly that shape), validated.
absl::StatusOr<CivilDate> ParseDate(std::string_view text);
// "HH:MM" or "HH:MM:SS" (24-hour clock; "9:00" is accepted), validated.
absl::StatusOr<CivilTime> ParseTime(std::string_view text);

// "2026-03-08", "09:00" (seconds shown only when not zero), "2026-03-08 09:00".
std::string FormatDate(CivilDate date);
std::string FormatTime(CivilTime time);
std::string FormatDateTime(CivilDateTime value);

// Days from 1970-01-01 (negative before it). REQUIRES: a valid date.
int64_t DaysSinceEpoch(CivilDate date);
// The inverse of DaysSinceEpoch.
CivilDate DateFromDays(int64_t days);
// `date` moved by `days` (either sign). REQUIRES: a valid date.
CivilDate AddDays(CivilDate date, int64_t days);
// REQUIRES: a valid date.
Weekday WeekdayOf(CivilDate date);

// "Sunday" ... "Saturday", and "sun" ... "sat".
std::string_view WeekdayName(Weekday day);
std::string_view WeekdayAbbreviation(Weekday day);
// "January" ... "December". REQUIRES: 1 <= month <= 12.
std::string_view MonthName(int month);

}  // namespace carepost::core
