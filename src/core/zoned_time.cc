#include "core/zoned_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>

#include "core/status_macros.h"
#include "core/strings.h"

namespace carepost::core {
namespace {

using std::chrono::seconds;

constexpr int64_t kMicrosPerSecond = 1'000'000;

// A zone name is ASCII letters, digits and "/_+-" (the IANA file names), at most 64
// bytes; anything else is refused before it reaches the tz library.
bool PlausibleZoneName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '+' || c == '-';
    if (!ok) return false;
  }
  return name.find("//") == std::string_view::npos && name.front() != '/';
}

date::local_seconds ToLocalSeconds(CivilDateTime v) {
  return date::local_days{date::year{v.date.year} / static_cast<unsigned>(v.date.month) /
                          static_cast<unsigned>(v.date.day)} +
         std::chrono::hours{v.time.hour} + std::chrono::minutes{v.time.minute} +
         seconds{v.time.second};
}

int64_t ToMicros(date::sys_seconds t) { return t.time_since_epoch().count() * kMicrosPerSecond; }

// Seconds since the epoch, rounded down (also for negative instants).
int64_t FloorSeconds(int64_t micros) {
  int64_t s = micros / kMicrosPerSecond;
  if (micros % kMicrosPerSecond < 0) --s;
  return s;
}

std::string DurationWords(int64_t seconds) {
  int64_t minutes = std::llabs(seconds) / 60;
  if (minutes % 60 == 0) {
    return Cat(minutes / 60, minutes == 60 ? " hour" : " hours");
  }
  return Cat(minutes, " minutes");
}

}  // namespace

std::string FormatUtcOffset(int32_t seconds) {
  char sign = seconds < 0 ? '-' : '+';
  int32_t a = seconds < 0 ? -seconds : seconds;
  int32_t h = a / 3600;
  int32_t m = (a % 3600) / 60;
  std::string out(1, sign);
  Append(&out, h < 10 ? "0" : "", h, ":", m < 10 ? "0" : "", m);
  return out;
}

std::string ZonedTime::ToString() const {
  return Cat(FormatDateTime(local), " ", abbreviation, " (UTC", FormatUtcOffset(utc_offset_seconds),
             ")");
}

std::string LocalResolution::Describe(std::string_view zone_name) const {
  switch (kind) {
    case LocalTimeKind::kUnique:
      return "";
    case LocalTimeKind::kNonexistent:
      return Cat(FormatTime(requested.time), " does not exist on ", FormatDate(requested.date),
                 " in ", zone_name, " (clocks jump forward ", DurationWords(shift_seconds),
                 "); using ", FormatTime(wall.local.time), " ", wall.abbreviation, ".");
    case LocalTimeKind::kAmbiguous: {
      bool earlier = utc_micros < other_utc_micros;
      return Cat(FormatTime(requested.time), " happens twice on ", FormatDate(requested.date),
                 " in ", zone_name, " (clocks go back); using the ", earlier ? "first" : "second",
                 ", ", FormatTime(wall.local.time), " ", wall.abbreviation, ".");
    }
  }
  return "";
}

absl::StatusOr<TimeZone> TimeZone::Load(std::string_view name) {
  if (!PlausibleZoneName(name)) {
    return absl::InvalidArgumentError(
        Cat("time zone '", name, "' is not an IANA time zone name (for example America/New_York)"));
  }
  try {
    (void)date::get_tzdb();
  } catch (const std::exception& e) {
    return absl::InternalError(
        Cat("the time zone database (/usr/share/zoneinfo, package tzdata) could not be read: ",
            e.what()));
  }
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return TimeZone(std::string(name), zone);
  } catch (const std::exception&) {
    return absl::InvalidArgumentError(
        Cat("time zone '", name,
            "' is not a known IANA time zone name (for example America/New_York)"));
  }
}

TimeZone TimeZone::Utc() {
  static const date::time_zone* const kUtc = date::locate_zone("UTC");
  return TimeZone("UTC", kUtc);
}

absl::StatusOr<LocalResolution> TimeZone::ToUtc(CivilDateTime local,
                                                const ResolveOptions& options) const {
  RETURN_IF_ERROR(ValidateDate(local.date));
  RETURN_IF_ERROR(ValidateTime(local.time));
  date::local_seconds lt = ToLocalSeconds(local);
  date::local_info info = zone_->get_info(lt);
  auto at = [&](const date::sys_info& i) {
    return date::sys_seconds{lt.time_since_epoch() - i.offset};
  };

  LocalResolution r;
  r.requested = local;
  switch (info.result) {
    case date::local_info::unique:
      r.kind = LocalTimeKind::kUnique;
      r.utc_micros = ToMicros(at(info.first));
      break;
    case date::local_info::nonexistent:
      r.kind = LocalTimeKind::kNonexistent;
      r.shift_seconds = (info.second.offset - info.first.offset).count();
      if (options.nonexistent == NonexistentTime::kReject) {
        return absl::FailedPreconditionError(Cat(
            FormatTime(local.time), " does not exist on ", FormatDate(local.date), " in ", name_,
            ": clocks jump forward ", DurationWords(r.shift_seconds), "; choose another time"));
      }
      // Read with the offset before the gap: lands `shift` after the requested time.
      r.utc_micros = ToMicros(at(info.first));
      break;
    case date::local_info::ambiguous: {
      r.kind = LocalTimeKind::kAmbiguous;
      int64_t earlier = ToMicros(at(info.first));
      int64_t later = ToMicros(at(info.second));
      bool pick_earlier = options.ambiguous == AmbiguousTime::kEarlier;
      r.utc_micros = pick_earlier ? earlier : later;
      r.other_utc_micros = pick_earlier ? later : earlier;
      break;
    }
  }
  r.wall = FromUtc(r.utc_micros);
  return r;
}

ZonedTime TimeZone::FromUtc(int64_t utc_micros) const {
  static const int64_t kMinSeconds = DaysSinceEpoch({kMinYear, 1, 2}) * 86400;
  static const int64_t kMaxSeconds = DaysSinceEpoch({kMaxYear, 12, 30}) * 86400;
  int64_t secs = std::clamp(FloorSeconds(utc_micros), kMinSeconds, kMaxSeconds);
  date::sys_seconds st{seconds{secs}};
  date::sys_info info = zone_->get_info(st);

  ZonedTime z;
  z.utc_micros = utc_micros;
  z.utc_offset_seconds = static_cast<int32_t>(info.offset.count());
  z.abbreviation = info.abbrev;
  z.daylight_saving = info.save != std::chrono::minutes{0};
  int64_t local = secs + info.offset.count();
  int64_t days = local / 86400;
  int64_t rem = local % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  z.local.date = DateFromDays(days);
  z.local.time = CivilTime{static_cast<int>(rem / 3600), static_cast<int>(rem % 3600 / 60),
                           static_cast<int>(rem % 60)};
  return z;
}

}  // namespace carepost::core
