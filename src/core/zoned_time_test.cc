#include "core/zoned_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace carepost::core {
namespace {

using ::testing::HasSubstr;

// Microseconds since the epoch of a UTC wall time.
int64_t Utc(CivilDate d, int hour, int minute) {
  return (DaysSinceEpoch(d) * 86400 + hour * 3600 + minute * 60) * 1'000'000;
}

TimeZone Zone(std::string_view name) {
  absl::StatusOr<TimeZone> z = TimeZone::Load(name);
  EXPECT_TRUE(z.ok()) << z.status();
  return z.ok() ? *z : TimeZone::Utc();
}

LocalResolution Resolve(const TimeZone& zone, CivilDate d, int hour, int minute,
                        ResolveOptions options = {}) {
  absl::StatusOr<LocalResolution> r = zone.ToUtc({d, {hour, minute, 0}}, options);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : LocalResolution{};
}

TEST(ZonedTimeTest, LoadsIanaZonesAndNamesUnknownOnes) {
  EXPECT_EQ(Zone("America/Los_Angeles").name(), "America/Los_Angeles");
  EXPECT_EQ(Zone("US/Pacific").name(), "US/Pacific");  // a link keeps the name given
  EXPECT_EQ(TimeZone::Utc().name(), "UTC");

  absl::StatusOr<TimeZone> mars = TimeZone::Load("Mars/Olympus_Mons");
  ASSERT_EQ(mars.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(mars.status().message(), HasSubstr("'Mars/Olympus_Mons'"));
  EXPECT_THAT(mars.status().message(), HasSubstr("not a known IANA time zone"));
  for (std::string_view bad : {"", "America/New York", "../../etc/passwd", "/etc/localtime",
                               "america/new_york", "EST5EDT\n", "Europe//London"}) {
    EXPECT_EQ(TimeZone::Load(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ZonedTimeTest, OrdinaryTimesInAndOutOfSummerTime) {
  TimeZone la = Zone("America/Los_Angeles");
  LocalResolution winter = Resolve(la, {2026, 1, 15}, 9, 0);
  EXPECT_EQ(winter.kind, LocalTimeKind::kUnique);
  EXPECT_EQ(winter.utc_micros, Utc({2026, 1, 15}, 17, 0));
  EXPECT_EQ(winter.wall.abbreviation, "PST");
  EXPECT_EQ(winter.wall.utc_offset_seconds, -8 * 3600);
  EXPECT_FALSE(winter.wall.daylight_saving);
  EXPECT_EQ(winter.Describe(la.name()), "");

  LocalResolution summer = Resolve(la, {2026, 7, 15}, 9, 0);
  EXPECT_EQ(summer.utc_micros, Utc({2026, 7, 15}, 16, 0));
  EXPECT_EQ(summer.wall.abbreviation, "PDT");
  EXPECT_TRUE(summer.wall.daylight_saving);
  EXPECT_EQ(summer.wall.ToString(), "2026-07-15 09:00 PDT (UTC-07:00)");
}

TEST(ZonedTimeTest, FromUtcShowsTheClockOfTheZone) {
  ZonedTime ny = Zone("America/New_York").FromUtc(Utc({2026, 3, 8}, 7, 0));  // 03:00 EDT
  EXPECT_EQ(ny.local, (CivilDateTime{{2026, 3, 8}, {3, 0, 0}}));
  EXPECT_EQ(ny.abbreviation, "EDT");
  ZonedTime before = Zone("America/New_York").FromUtc(Utc({2026, 3, 8}, 7, 0) - 1);
  EXPECT_EQ(before.local, (CivilDateTime{{2026, 3, 8}, {1, 59, 59}}));
  EXPECT_EQ(before.abbreviation, "EST");
  ZonedTime kolkata = Zone("Asia/Kolkata").FromUtc(Utc({2026, 12, 31}, 20, 0));
  EXPECT_EQ(kolkata.local, (CivilDateTime{{2027, 1, 1}, {1, 30, 0}}));
  EXPECT_EQ(FormatUtcOffset(kolkata.utc_offset_seconds), "+05:30");
  ZonedTime epoch_minus = TimeZone::Utc().FromUtc(-1);
  EXPECT_EQ(epoch_minus.local, (CivilDateTime{{1969, 12, 31}, {23, 59, 59}}));
}

// Spring forward, 2026-03-08: Los Angeles and New York go 02:00 -> 03:00.
TEST(ZonedTimeTest, NonexistentTimeOnUsSpringForwardIsShiftedByTheGap) {
  TimeZone la = Zone("America/Los_Angeles");
  LocalResolution r = Resolve(la, {2026, 3, 8}, 2, 30);
  EXPECT_EQ(r.kind, LocalTimeKind::kNonexistent);
  EXPECT_EQ(r.shift_seconds, 3600);
  EXPECT_EQ(r.requested.time, (CivilTime{2, 30, 0}));
  EXPECT_EQ(r.wall.local, (CivilDateTime{{2026, 3, 8}, {3, 30, 0}}));
  EXPECT_EQ(r.wall.abbreviation, "PDT");
  EXPECT_EQ(r.utc_micros, Utc({2026, 3, 8}, 10, 30));
  EXPECT_EQ(r.Describe(la.name()),
            "02:30 does not exist on 2026-03-08 in America/Los_Angeles (clocks jump forward 1 "
            "hour); using 03:30 PDT.");

  LocalResolution ny = Resolve(Zone("America/New_York"), {2026, 3, 8}, 2, 30);
  EXPECT_EQ(ny.kind, LocalTimeKind::kNonexistent);
  EXPECT_EQ(ny.utc_micros, Utc({2026, 3, 8}, 7, 30));
  EXPECT_EQ(ny.wall.local.time, (CivilTime{3, 30, 0}));

  // The edges of the gap: 02:00 is in it, 03:00 and 01:59 are not.
  EXPECT_EQ(Resolve(la, {2026, 3, 8}, 2, 0).kind, LocalTimeKind::kNonexistent);
  EXPECT_EQ(Resolve(la, {2026, 3, 8}, 3, 0).kind, LocalTimeKind::kUnique);
  EXPECT_EQ(Resolve(la, {2026, 3, 8}, 1, 59).kind, LocalTimeKind::kUnique);
}

TEST(ZonedTimeTest, NonexistentTimeCanBeRefused) {
  TimeZone la = Zone("America/Los_Angeles");
  absl::StatusOr<LocalResolution> r =
      la.ToUtc({{2026, 3, 8}, {2, 30, 0}}, {.nonexistent = NonexistentTime::kReject});
  ASSERT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(),
              HasSubstr("02:30 does not exist on 2026-03-08 in America/Los_Angeles"));
}

// Fall back, 2026-11-01: Los Angeles and New York go 02:00 -> 01:00.
TEST(ZonedTimeTest, AmbiguousTimeOnUsFallBackPicksEarlierUnlessAsked) {
  TimeZone la = Zone("America/Los_Angeles");
  LocalResolution first = Resolve(la, {2026, 11, 1}, 1, 30);
  EXPECT_EQ(first.kind, LocalTimeKind::kAmbiguous);
  EXPECT_EQ(first.utc_micros, Utc({2026, 11, 1}, 8, 30));  // 01:30 PDT
  EXPECT_EQ(first.other_utc_micros, Utc({2026, 11, 1}, 9, 30));
  EXPECT_EQ(first.wall.abbreviation, "PDT");
  EXPECT_EQ(first.wall.local, (CivilDateTime{{2026, 11, 1}, {1, 30, 0}}));
  EXPECT_EQ(first.Describe(la.name()),
            "01:30 happens twice on 2026-11-01 in America/Los_Angeles (clocks go back); using the "
            "first, 01:30 PDT.");

  LocalResolution second = Resolve(la, {2026, 11, 1}, 1, 30, {.ambiguous = AmbiguousTime::kLater});
  EXPECT_EQ(second.kind, LocalTimeKind::kAmbiguous);
  EXPECT_EQ(second.utc_micros, Utc({2026, 11, 1}, 9, 30));  // 01:30 PST
  EXPECT_EQ(second.wall.abbreviation, "PST");
  EXPECT_THAT(second.Describe(la.name()), HasSubstr("using the second, 01:30 PST"));

  LocalResolution ny = Resolve(Zone("America/New_York"), {2026, 11, 1}, 1, 30);
  EXPECT_EQ(ny.kind, LocalTimeKind::kAmbiguous);
  EXPECT_EQ(ny.utc_micros, Utc({2026, 11, 1}, 5, 30));  // 01:30 EDT
  EXPECT_EQ(Resolve(la, {2026, 11, 1}, 2, 0).kind, LocalTimeKind::kUnique);
  EXPECT_EQ(Resolve(la, {2026, 11, 1}, 0, 59).kind, LocalTimeKind::kUnique);
}

// Europe/London 2026: 01:00 GMT -> 02:00 BST on 29 March, back on 25 October.
TEST(ZonedTimeTest, EuropeanTransitions) {
  TimeZone london = Zone("Europe/London");
  LocalResolution gap = Resolve(london, {2026, 3, 29}, 1, 30);
  EXPECT_EQ(gap.kind, LocalTimeKind::kNonexistent);
  EXPECT_EQ(gap.utc_micros, Utc({2026, 3, 29}, 1, 30));
  EXPECT_EQ(gap.wall.local.time, (CivilTime{2, 30, 0}));
  EXPECT_EQ(gap.wall.abbreviation, "BST");

  LocalResolution twice = Resolve(london, {2026, 10, 25}, 1, 30);
  EXPECT_EQ(twice.kind, LocalTimeKind::kAmbiguous);
  EXPECT_EQ(twice.utc_micros, Utc({2026, 10, 25}, 0, 30));        // BST
  EXPECT_EQ(twice.other_utc_micros, Utc({2026, 10, 25}, 1, 30));  // GMT
  // The US and Europe change on different weekends: 2026-03-15 is still GMT.
  EXPECT_EQ(Resolve(london, {2026, 3, 15}, 9, 0).utc_micros, Utc({2026, 3, 15}, 9, 0));
}

// Australia/Sydney: summer time ENDS in April (03:00 AEDT -> 02:00 AEST on 2026-04-05)
// and STARTS in October (02:00 AEST -> 03:00 AEDT on 2026-10-04).
TEST(ZonedTimeTest, SouthernHemisphere) {
  TimeZone sydney = Zone("Australia/Sydney");
  LocalResolution twice = Resolve(sydney, {2026, 4, 5}, 2, 30);
  EXPECT_EQ(twice.kind, LocalTimeKind::kAmbiguous);
  EXPECT_EQ(twice.utc_micros, Utc({2026, 4, 4}, 15, 30));  // AEDT, UTC+11
  EXPECT_EQ(twice.wall.abbreviation, "AEDT");
  EXPECT_EQ(twice.other_utc_micros, Utc({2026, 4, 4}, 16, 30));  // AEST, UTC+10

  LocalResolution gap = Resolve(sydney, {2026, 10, 4}, 2, 30);
  EXPECT_EQ(gap.kind, LocalTimeKind::kNonexistent);
  EXPECT_EQ(gap.utc_micros, Utc({2026, 10, 3}, 16, 30));  // 02:30 read at UTC+10
  EXPECT_EQ(gap.wall.local, (CivilDateTime{{2026, 10, 4}, {3, 30, 0}}));
  EXPECT_EQ(gap.wall.abbreviation, "AEDT");

  LocalResolution july = Resolve(sydney, {2026, 7, 1}, 9, 0);  // winter there
  EXPECT_FALSE(july.wall.daylight_saving);
  EXPECT_EQ(july.utc_micros, Utc({2026, 6, 30}, 23, 0));
}

// Lord Howe Island moves its clocks by 30 minutes.
TEST(ZonedTimeTest, HalfHourGap) {
  TimeZone lord_howe = Zone("Australia/Lord_Howe");
  LocalResolution gap = Resolve(lord_howe, {2026, 10, 4}, 2, 15);
  EXPECT_EQ(gap.kind, LocalTimeKind::kNonexistent);
  EXPECT_EQ(gap.shift_seconds, 1800);
  EXPECT_EQ(gap.wall.local.time, (CivilTime{2, 45, 0}));
  EXPECT_THAT(gap.Describe(lord_howe.name()), HasSubstr("jump forward 30 minutes"));
}

TEST(ZonedTimeTest, BadWallTimesAreInvalidArguments) {
  TimeZone la = Zone("America/Los_Angeles");
  absl::StatusOr<LocalResolution> hour25 = la.ToUtc({{2026, 3, 9}, {25, 0, 0}});
  ASSERT_EQ(hour25.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(hour25.status().message(), HasSubstr("'25:00' does not exist"));
  absl::StatusOr<LocalResolution> feb30 = la.ToUtc({{2026, 2, 30}, {9, 0, 0}});
  ASSERT_EQ(feb30.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(feb30.status().message(), HasSubstr("February 2026 has 28 days"));
  EXPECT_FALSE(la.ToUtc({{0, 1, 1}, {9, 0, 0}}).ok());
}

// Every quarter hour of 2026 in zones with different rules: a unique or ambiguous wall
// time comes back unchanged from FromUtc, a nonexistent one comes back later by exactly
// the gap. (Instants are not monotonic in the wall time: 02:45 in a gap shifts to 03:45,
// after 03:00.)
TEST(ZonedTimeTest, RoundTripsEveryQuarterHourOf2026) {
  for (std::string_view name :
       {"America/Los_Angeles", "America/New_York", "Europe/London", "Australia/Sydney",
        "Australia/Lord_Howe", "Asia/Kolkata", "America/Phoenix", "Pacific/Chatham", "UTC"}) {
    TimeZone zone = Zone(name);
    int gaps = 0;
    int overlaps = 0;
    for (CivilDate d{2026, 1, 1}; d.year == 2026; d = AddDays(d, 1)) {
      for (int minutes = 0; minutes < 24 * 60; minutes += 15) {
        CivilDateTime wall{d, {minutes / 60, minutes % 60, 0}};
        absl::StatusOr<LocalResolution> r = zone.ToUtc(wall);
        ASSERT_TRUE(r.ok()) << name << " " << FormatDateTime(wall);
        ZonedTime back = zone.FromUtc(r->utc_micros);
        if (r->kind == LocalTimeKind::kNonexistent) {
          ++gaps;
          int64_t shifted = (DaysSinceEpoch(d) * 86400 + minutes * 60 + r->shift_seconds);
          CivilDateTime expected{
              DateFromDays(shifted / 86400),
              {static_cast<int>(shifted % 86400 / 3600), static_cast<int>(shifted % 3600 / 60), 0}};
          EXPECT_EQ(back.local, expected) << name << " " << FormatDateTime(wall);
        } else {
          overlaps += r->kind == LocalTimeKind::kAmbiguous;
          EXPECT_EQ(back.local, wall) << name;
        }
      }
    }
    // Each zone with summer time has one gap and one overlap a year.
    bool has_dst = name != "Asia/Kolkata" && name != "America/Phoenix" && name != "UTC";
    EXPECT_EQ(gaps > 0, has_dst) << name;
    EXPECT_EQ(overlaps > 0, has_dst) << name;
  }
}

}  // namespace
}  // namespace carepost::core
