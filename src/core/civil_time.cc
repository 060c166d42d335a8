#include "core/civil_time.h"

#include <date/date.h>

#include <charconv>
#include <cstdio>

#include "core/strings.h"

namespace carepost::core {
namespace {

constexpr std::string_view kMonthNames[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
constexpr std::string_view kWeekdayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                              "Thursday", "Friday", "Saturday"};
constexpr std::string_view kWeekdayAbbreviations[] = {"sun", "mon", "tue", "wed",
                                                      "thu", "fri", "sat"};

std::string Pad(int value, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*d", width, value);
  return buf;
}

// Digits only, no sign: from_chars alone would accept "-1".
bool ParseDigits(std::string_view text, int* out) {
  if (text.empty() || text.size() > 4) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(text.data(), text.data() + text.size(), *out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

date::sys_days ToSysDays(CivilDate d) {
  return date::sys_days{date::year{d.year} / static_cast<unsigned>(d.month) /
                        static_cast<unsigned>(d.day)};
}

}  // namespace

bool IsLeapYear(int year) { return date::year{year}.is_leap(); }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

absl::Status ValidateDate(CivilDate d) {
  if (d.year < kMinYear || d.year > kMaxYear) {
    return absl::InvalidArgumentError(Cat("date '", FormatDate(d), "' is out of range: years ",
                                          kMinYear, " to ", kMaxYear, " are supported"));
  }
  if (d.month < 1 || d.month > 12) {
    return absl::InvalidArgumentError(
        Cat("date '", FormatDate(d), "' does not exist: the month must be 1 to 12"));
  }
  int days = DaysInMonth(d.year, d.month);
  if (d.day < 1 || d.day > days) {
    return absl::InvalidArgumentError(Cat("date '", FormatDate(d), "' does not exist: ",
                                          MonthName(d.month), " ", d.year, " has ", days, " days"));
  }
  return absl::OkStatus();
}

absl::Status ValidateTime(CivilTime t) {
  if (t.hour < 0 || t.hour > 23) {
    return absl::InvalidArgumentError(
        Cat("time '", FormatTime(t), "' does not exist: the hour must be 0 to 23"));
  }
  if (t.minute < 0 || t.minute > 59) {
    return absl::InvalidArgumentError(
        Cat("time '", FormatTime(t), "' does not exist: the minute must be 0 to 59"));
  }
  if (t.second < 0 || t.second > 59) {
    return absl::InvalidArgumentError(
        Cat("time '", FormatTime(t), "' does not exist: the second must be 0 to 59"));
  }
  return absl::OkStatus();
}

absl::StatusOr<CivilDate> ParseDate(std::string_view text) {
  CivilDate d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseDigits(text.substr(0, 4), &d.year) || !ParseDigits(text.substr(5, 2), &d.month) ||
      !ParseDigits(text.substr(8, 2), &d.day)) {
    return absl::InvalidArgumentError(
        Cat("date '", text, "' is not written as YYYY-MM-DD (for example 2026-03-08)"));
  }
  if (absl::Status s = ValidateDate(d); !s.ok()) return s;
  return d;
}

absl::StatusOr<CivilTime> ParseTime(std::string_view text) {
  CivilTime t;
  size_t colon = text.find(':');
  bool ok = colon != std::string_view::npos && colon >= 1 && colon <= 2 &&
            ParseDigits(text.substr(0, colon), &t.hour);
  if (ok) {
    std::string_view rest = text.substr(colon + 1);
    if (rest.size() == 2) {
      ok = ParseDigits(rest, &t.minute);
    } else if (rest.size() == 5 && rest[2] == ':') {
      ok = ParseDigits(rest.substr(0, 2), &t.minute) && ParseDigits(rest.substr(3, 2), &t.second);
    } else {
      ok = false;
    }
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        Cat("time '", text, "' is not written as HH:MM or HH:MM:SS (for example 09:00)"));
  }
  if (absl::Status s = ValidateTime(t); !s.ok()) return s;
  return t;
}

std::string FormatDate(CivilDate d) {
  return Cat(Pad(d.year, 4), "-", Pad(d.month, 2), "-", Pad(d.day, 2));
}

std::string FormatTime(CivilTime t) {
  std::string out = Cat(Pad(t.hour, 2), ":", Pad(t.minute, 2));
  if (t.second != 0) Append(&out, ":", Pad(t.second, 2));
  return out;
}

std::string FormatDateTime(CivilDateTime v) {
  return Cat(FormatDate(v.date), " ", FormatTime(v.time));
}

int64_t DaysSinceEpoch(CivilDate d) { return ToSysDays(d).time_since_epoch().count(); }

CivilDate DateFromDays(int64_t days) {
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  return CivilDate{static_cast<int>(ymd.year()),
                   static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

CivilDate AddDays(CivilDate d, int64_t days) { return DateFromDays(DaysSinceEpoch(d) + days); }

Weekday WeekdayOf(CivilDate d) {
  return static_cast<Weekday>(date::weekday{ToSysDays(d)}.c_encoding());
}

std::string_view WeekdayName(Weekday day) { return kWeekdayNames[static_cast<int>(day)]; }

std::string_view WeekdayAbbreviation(Weekday day) {
  return kWeekdayAbbreviations[static_cast<int>(day)];
}

std::string_view MonthName(int month) { return kMonthNames[month - 1]; }

}  // namespace carepost::core
