#include "domain/recurrence.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "core/strings.h"

namespace carepost::domain {
namespace {

using core::CivilDate;
using core::CivilTime;
using core::LocalTimeKind;
using core::Weekday;
using ::testing::HasSubstr;

int64_t Utc(CivilDate d, int hour, int minute = 0) {
  return (core::DaysSinceEpoch(d) * 86400 + hour * 3600 + minute * 60) * 1'000'000;
}

std::vector<Occurrence> ExpandOk(const RecurrenceRule& rule, CivilDate from, CivilDate to) {
  absl::StatusOr<std::vector<Occurrence>> r = Expand(rule, Utc(from, 0), Utc(to, 0));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : std::vector<Occurrence>{};
}

RecurrenceRule WeekdaysAt9(std::string zone, CivilDate start) {
  return RecurrenceRule{.frequency = Frequency::kWeekly,
                        .weekdays = Weekdays(),
                        .time = {9, 0},
                        .zone = std::move(zone),
                        .start = start};
}

// "Every weekday 9:00 America/Los_Angeles" across the spring-forward weekend
// (2026-03-08): 9:00 PST is 17:00 UTC, 9:00 PDT is 16:00 UTC.
TEST(RecurrenceTest, KeepsLocalWallTimeAcrossUsSpringForward) {
  RecurrenceRule rule = WeekdaysAt9("America/Los_Angeles", {2026, 3, 2});
  std::vector<Occurrence> got = ExpandOk(rule, {2026, 3, 1}, {2026, 3, 14});
  ASSERT_EQ(got.size(), 10u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(got[i].date, (CivilDate{2026, 3, 2 + i}));
    EXPECT_EQ(got[i].utc_micros, Utc({2026, 3, 2 + i}, 17)) << i;
    EXPECT_EQ(got[i].resolution.wall.abbreviation, "PST");
  }
  for (int i = 5; i < 10; ++i) {
    EXPECT_EQ(got[i].date, (CivilDate{2026, 3, 4 + i}));
    EXPECT_EQ(got[i].utc_micros, Utc({2026, 3, 4 + i}, 16)) << i;
    EXPECT_EQ(got[i].resolution.wall.abbreviation, "PDT");
  }
  for (const Occurrence& o : got) {
    EXPECT_EQ(o.resolution.wall.local.time, (CivilTime{9, 0, 0}));
    EXPECT_EQ(o.resolution.kind, LocalTimeKind::kUnique);
    EXPECT_EQ(o.zone, "America/Los_Angeles");
  }
  EXPECT_EQ(got[0].index, 0);
  EXPECT_EQ(got[9].index, 9);
}

// New York falls back on 2026-11-01: 9:00 EDT is 13:00 UTC, 9:00 EST is 14:00 UTC.
TEST(RecurrenceTest, KeepsLocalWallTimeAcrossUsFallBack) {
  RecurrenceRule rule{.frequency = Frequency::kWeekly,
                      .weekdays = {Weekday::kSunday},
                      .time = {9, 0},
                      .zone = "America/New_York",
                      .start = {2026, 10, 1}};
  std::vector<Occurrence> got = ExpandOk(rule, {2026, 10, 20}, {2026, 11, 10});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].utc_micros, Utc({2026, 10, 25}, 13));
  EXPECT_EQ(got[1].utc_micros, Utc({2026, 11, 1}, 14));
  EXPECT_EQ(got[2].utc_micros, Utc({2026, 11, 8}, 14));
  EXPECT_EQ(got[1].resolution.wall.abbreviation, "EST");
  // Occurrences are numbered from the start, not from the window.
  EXPECT_EQ(got[0].index, 3);  // Oct 4, 11, 18 came first

  rule.zone = "America/Los_Angeles";
  got = ExpandOk(rule, {2026, 10, 20}, {2026, 11, 10});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].utc_micros, Utc({2026, 10, 25}, 16));
  EXPECT_EQ(got[1].utc_micros, Utc({2026, 11, 1}, 17));
}

TEST(RecurrenceTest, NonexistentOccurrenceIsShiftedAndSaysSo) {
  RecurrenceRule rule{.frequency = Frequency::kDaily,
                      .time = {2, 30},
                      .zone = "America/Los_Angeles",
                      .start = {2026, 3, 6}};
  std::vector<Occurrence> got = ExpandOk(rule, {2026, 3, 7}, {2026, 3, 10});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].utc_micros, Utc({2026, 3, 7}, 10, 30));  // 02:30 PST
  EXPECT_EQ(got[1].date, (CivilDate{2026, 3, 8}));
  EXPECT_EQ(got[1].resolution.kind, LocalTimeKind::kNonexistent);
  EXPECT_EQ(got[1].utc_micros, Utc({2026, 3, 8}, 10, 30));  // 03:30 PDT
  EXPECT_EQ(got[1].resolution.wall.local.time, (CivilTime{3, 30, 0}));
  EXPECT_THAT(got[1].resolution.Describe(got[1].zone), HasSubstr("02:30 does not exist"));
  EXPECT_EQ(got[2].utc_micros, Utc({2026, 3, 9}, 9, 30));  // 02:30 PDT
  EXPECT_EQ(got[2].resolution.kind, LocalTimeKind::kUnique);

  rule.resolve.nonexistent = core::NonexistentTime::kReject;
  absl::StatusOr<std::vector<Occurrence>> refused =
      Expand(rule, Utc({2026, 3, 7}, 0), Utc({2026, 3, 10}, 0));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  // A window that does not reach the gap is fine.
  EXPECT_TRUE(Expand(rule, Utc({2026, 3, 9}, 0), Utc({2026, 3, 12}, 0)).ok());
}

TEST(RecurrenceTest, AmbiguousOccurrenceTakesTheEarlierUnlessAsked) {
  RecurrenceRule rule{.frequency = Frequency::kDaily,
                      .time = {1, 30},
                      .zone = "America/Los_Angeles",
                      .start = {2026, 10, 1}};
  std::vector<Occurrence> got = ExpandOk(rule, {2026, 10, 31}, {2026, 11, 3});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].utc_micros, Utc({2026, 10, 31}, 8, 30));  // 01:30 PDT
  EXPECT_EQ(got[1].resolution.kind, LocalTimeKind::kAmbiguous);
  EXPECT_EQ(got[1].utc_micros, Utc({2026, 11, 1}, 8, 30));  // the first 01:30, PDT
  EXPECT_EQ(got[2].utc_micros, Utc({2026, 11, 2}, 9, 30));  // 01:30 PST

  rule.resolve.ambiguous = core::AmbiguousTime::kLater;
  got = ExpandOk(rule, {2026, 10, 31}, {2026, 11, 3});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].utc_micros, Utc({2026, 11, 1}, 9, 30));  // the second 01:30, PST
  EXPECT_EQ(got[1].resolution.wall.abbreviation, "PST");
}

// Europe/London: GMT -> BST on 2026-03-29, back on 2026-10-25 (other weekends than the US).
TEST(RecurrenceTest, EuropeanTransitions) {
  RecurrenceRule rule{.frequency = Frequency::kDaily,
                      .time = {9, 0},
                      .zone = "Europe/London",
                      .start = {2026, 1, 1}};
  std::vector<Occurrence> got = ExpandOk(rule, {2026, 3, 28}, {2026, 3, 31});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].utc_micros, Utc({2026, 3, 28}, 9));  // GMT
  EXPECT_EQ(got[1].utc_micros, Utc({2026, 3, 29}, 8));  // BST
  EXPECT_EQ(got[2].utc_micros, Utc({2026, 3, 30}, 8));
  got = ExpandOk(rule, {2026, 10, 24}, {2026, 10, 27});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].utc_micros, Utc({2026, 10, 24}, 8));  // BST
  EXPECT_EQ(got[1].utc_micros, Utc({2026, 10, 25}, 9));  // GMT
}

// Australia/Sydney: summer time ends 2026-04-05 and starts 2026-10-04.
TEST(RecurrenceTest, SouthernHemisphere) {
  RecurrenceRule rule{.frequency = Frequency::kWeekly,
                      .weekdays = {Weekday::kSunday},
                      .time = {10, 0},
                      .zone = "Australia/Sydney",
                      .start = {2026, 1, 4}};
  std::vector<Occurrence> got = ExpandOk(rule, {2026, 3, 27}, {2026, 4, 7});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].date, (CivilDate{2026, 3, 29}));
  EXPECT_EQ(got[0].utc_micros, Utc({2026, 3, 28}, 23));  // 10:00 AEDT, UTC+11
  EXPECT_EQ(got[1].date, (CivilDate{2026, 4, 5}));
  EXPECT_EQ(got[1].utc_micros, Utc({2026, 4, 5}, 0));  // 10:00 AEST, UTC+10
  got = ExpandOk(rule, {2026, 9, 26}, {2026, 10, 6});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].utc_micros, Utc({2026, 9, 27}, 0));   // AEST
  EXPECT_EQ(got[1].utc_micros, Utc({2026, 10, 3}, 23));  // AEDT
}

// The team moves the daily show from Los Angeles to New York from 4 June: earlier
// occurrences keep 9:00 Pacific, later ones are 9:00 Eastern.
TEST(RecurrenceTest, ZoneChangeMidSeries) {
  RecurrenceRule rule{.frequency = Frequency::kDaily,
                      .time = {9, 0},
                      .zone = "America/Los_Angeles",
                      .start = {2026, 6, 1}};
  ASSERT_TRUE(ChangeZoneFrom(&rule, {2026, 6, 4}, "America/New_York").ok());
  std::vector<Occurrence> got = ExpandOk(rule, {2026, 5, 30}, {2026, 6, 7});
  ASSERT_EQ(got.size(), 6u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(got[i].zone, "America/Los_Angeles");
    EXPECT_EQ(got[i].utc_micros, Utc({2026, 6, 1 + i}, 16)) << i;  // 09:00 PDT
  }
  for (int i = 3; i < 6; ++i) {
    EXPECT_EQ(got[i].zone, "America/New_York");
    EXPECT_EQ(got[i].utc_micros, Utc({2026, 6, 1 + i}, 13)) << i;  // 09:00 EDT
    EXPECT_EQ(got[i].index, i);
  }
  // Moving again later, and then re-planning an earlier change, replaces what follows.
  ASSERT_TRUE(ChangeZoneFrom(&rule, {2026, 6, 6}, "Europe/London").ok());
  ASSERT_EQ(rule.zone_changes.size(), 2u);
  ASSERT_TRUE(ChangeZoneFrom(&rule, {2026, 6, 5}, "America/Chicago").ok());
  ASSERT_EQ(rule.zone_changes.size(), 2u);
  EXPECT_EQ(rule.zone_changes[1].zone, "America/Chicago");
  EXPECT_EQ(Describe(rule),
            "every day at 09:00 America/Los_Angeles, America/New_York from 2026-06-04, "
            "America/Chicago from 2026-06-05");

  absl::Status bad = ChangeZoneFrom(&rule, {2026, 6, 1}, "Europe/Paris");
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ChangeZoneFrom(&rule, {2026, 7, 1}, "Europe/Pariss").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(rule.zone_changes.size(), 2u);  // a refused change leaves the rule alone
}

TEST(RecurrenceTest, MonthlyRules) {
  RecurrenceRule second_tuesday{.frequency = Frequency::kMonthlyByWeekday,
                                .week_ordinal = 2,
                                .weekday = Weekday::kTuesday,
                                .time = {12, 0},
                                .zone = "Europe/London",
                                .start = {2026, 1, 1}};
  std::vector<Occurrence> got = ExpandOk(second_tuesday, {2026, 1, 1}, {2026, 5, 1});
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].date, (CivilDate{2026, 1, 13}));
  EXPECT_EQ(got[1].date, (CivilDate{2026, 2, 10}));
  EXPECT_EQ(got[2].date, (CivilDate{2026, 3, 10}));
  EXPECT_EQ(got[3].date, (CivilDate{2026, 4, 14}));
  EXPECT_EQ(got[3].utc_micros, Utc({2026, 4, 14}, 11));  // 12:00 BST
  EXPECT_EQ(Describe(second_tuesday), "on the 2nd Tuesday of every month at 12:00 Europe/London");

  RecurrenceRule last_friday = second_tuesday;
  last_friday.week_ordinal = -1;
  last_friday.weekday = Weekday::kFriday;
  got = ExpandOk(last_friday, {2026, 1, 1}, {2026, 3, 1});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].date, (CivilDate{2026, 1, 30}));
  EXPECT_EQ(got[1].date, (CivilDate{2026, 2, 27}));

  // The 5th Monday exists only in some months (2026: March, June, August, November).
  RecurrenceRule fifth_monday = second_tuesday;
  fifth_monday.week_ordinal = 5;
  fifth_monday.weekday = Weekday::kMonday;
  got = ExpandOk(fifth_monday, {2026, 1, 1}, {2027, 1, 1});
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].date, (CivilDate{2026, 3, 30}));

  RecurrenceRule day31{.frequency = Frequency::kMonthlyByDay,
                       .month_day = 31,
                       .time = {8, 0},
                       .zone = "America/Chicago",
                       .start = {2026, 1, 15}};
  got = ExpandOk(day31, {2026, 1, 1}, {2026, 6, 1});
  ASSERT_EQ(got.size(), 3u);  // January, March, May: the short months are skipped
  EXPECT_EQ(got[1].date, (CivilDate{2026, 3, 31}));
  EXPECT_EQ(got[2].date, (CivilDate{2026, 5, 31}));

  RecurrenceRule quarterly = day31;
  quarterly.month_day = 1;
  quarterly.interval = 3;
  got = ExpandOk(quarterly, {2026, 1, 1}, {2027, 1, 1});
  ASSERT_EQ(got.size(), 3u);  // Jan 15 start: Apr 1, Jul 1, Oct 1
  EXPECT_EQ(got[0].date, (CivilDate{2026, 4, 1}));
  EXPECT_EQ(got[2].date, (CivilDate{2026, 10, 1}));
  EXPECT_EQ(Describe(quarterly), "on day 1 of every 3 months at 08:00 America/Chicago");
}

TEST(RecurrenceTest, IntervalsCountsAndEndDates) {
  RecurrenceRule fortnightly{.frequency = Frequency::kWeekly,
                             .interval = 2,
                             .time = {9, 0},
                             .zone = "UTC",
                             .start = {2026, 3, 4}};  // a Wednesday: weekdays default to it
  std::vector<Occurrence> got = ExpandOk(fortnightly, {2026, 3, 1}, {2026, 4, 1});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].date, (CivilDate{2026, 3, 4}));
  EXPECT_EQ(got[1].date, (CivilDate{2026, 3, 18}));
  EXPECT_EQ(Describe(fortnightly), "every 2 weeks on Wednesday at 09:00 UTC");

  // Start mid-week: the Monday of the start week has passed; Thursday and Friday remain.
  RecurrenceRule rule = WeekdaysAt9("America/Los_Angeles", {2026, 3, 5});
  rule.count = 3;
  got = ExpandOk(rule, {2026, 3, 1}, {2026, 4, 1});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].date, (CivilDate{2026, 3, 5}));
  EXPECT_EQ(got[2].date, (CivilDate{2026, 3, 9}));
  EXPECT_TRUE(ExpandOk(rule, {2026, 3, 10}, {2026, 4, 1}).empty());  // count used up
  EXPECT_EQ(Describe(rule), "every weekday at 09:00 America/Los_Angeles");

  rule.count.reset();
  rule.until = CivilDate{2026, 3, 10};
  got = ExpandOk(rule, {2026, 3, 1}, {2026, 4, 1});
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got.back().date, (CivilDate{2026, 3, 10}));

  // A window far from the start still numbers occurrences from the start.
  RecurrenceRule daily{
      .frequency = Frequency::kDaily, .time = {6, 0}, .zone = "UTC", .start = {2000, 1, 1}};
  got = ExpandOk(daily, {2100, 1, 1}, {2100, 1, 2});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].index, core::DaysSinceEpoch({2100, 1, 1}) - core::DaysSinceEpoch({2000, 1, 1}));

  absl::StatusOr<std::vector<Occurrence>> too_many =
      Expand(daily, Utc({2026, 1, 1}, 0), Utc({2027, 1, 1}, 0), 100);
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(ExpandOk(daily, {2026, 1, 2}, {2026, 1, 1}).empty());  // an empty window
}

// A whole year of a daily 9:00 series in zones north and south of the equator: 365
// occurrences, every one at 09:00 local, none shifted, UTC offsets of exactly two kinds
// where the zone has summer time.
TEST(RecurrenceTest, AYearOfDailyOccurrencesStaysAtNine) {
  for (std::string_view zone : {"America/Los_Angeles", "America/New_York", "Europe/London",
                                "Australia/Sydney", "America/Phoenix"}) {
    RecurrenceRule rule{.frequency = Frequency::kDaily,
                        .time = {9, 0},
                        .zone = std::string(zone),
                        .start = {2026, 1, 1}};
    absl::StatusOr<std::vector<Occurrence>> got =
        Expand(rule, Utc({2025, 12, 30}, 0), Utc({2027, 1, 2}, 0));
    ASSERT_TRUE(got.ok()) << got.status();
    std::vector<Occurrence> in_2026;
    for (const Occurrence& o : *got) {
      if (o.date.year == 2026) in_2026.push_back(o);
    }
    ASSERT_EQ(in_2026.size(), 365u) << zone;
    std::set<int32_t> offsets;
    for (const Occurrence& o : in_2026) {
      EXPECT_EQ(o.resolution.kind, LocalTimeKind::kUnique) << zone;
      EXPECT_EQ(o.resolution.wall.local, (core::CivilDateTime{o.date, {9, 0, 0}})) << zone;
      offsets.insert(o.resolution.wall.utc_offset_seconds);
    }
    EXPECT_EQ(offsets.size(), zone == "America/Phoenix" ? 1u : 2u) << zone;
  }
}

std::string Segments(const RecurrenceRule& rule) {
  absl::StatusOr<std::vector<RruleSegment>> got = ToRrule(rule);
  EXPECT_TRUE(got.ok()) << got.status();
  if (!got.ok()) return "error";
  std::string out;
  for (const RruleSegment& s : *got) {
    core::Append(&out, "DTSTART;TZID=", s.zone, ":", core::FormatDateTime(s.dtstart),
                 " RRULE:", s.rrule, "\n");
  }
  return out;
}

TEST(RecurrenceTest, ExportsRfc5545Rules) {
  RecurrenceRule weekdays = WeekdaysAt9("America/Los_Angeles", {2026, 3, 2});
  weekdays.count = 10;
  EXPECT_EQ(Segments(weekdays),
            "DTSTART;TZID=America/Los_Angeles:2026-03-02 09:00 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10\n");

  // DTSTART is the first occurrence, not the start date (Jan 1 is a Thursday).
  RecurrenceRule second_tuesday{.frequency = Frequency::kMonthlyByWeekday,
                                .week_ordinal = 2,
                                .weekday = Weekday::kTuesday,
                                .time = {12, 0},
                                .zone = "Europe/London",
                                .start = {2026, 1, 1}};
  EXPECT_EQ(Segments(second_tuesday),
            "DTSTART;TZID=Europe/London:2026-01-13 12:00 RRULE:FREQ=MONTHLY;BYDAY=2TU\n");
  RecurrenceRule last_friday = second_tuesday;
  last_friday.week_ordinal = -1;
  last_friday.weekday = Weekday::kFriday;
  last_friday.interval = 2;
  last_friday.until = CivilDate{2026, 12, 31};
  EXPECT_EQ(Segments(last_friday),
            "DTSTART;TZID=Europe/London:2026-01-30 12:00 "
            "RRULE:FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=2;UNTIL=20261231T120000Z\n");
  RecurrenceRule day31{.frequency = Frequency::kMonthlyByDay,
                       .month_day = 31,
                       .time = {8, 0},
                       .zone = "UTC",
                       .start = {2026, 2, 1}};
  EXPECT_EQ(Segments(day31),
            "DTSTART;TZID=UTC:2026-03-31 08:00 RRULE:FREQ=MONTHLY;BYMONTHDAY=31\n");
  RecurrenceRule fortnightly{.frequency = Frequency::kWeekly,
                             .interval = 2,
                             .time = {9, 0},
                             .zone = "UTC",
                             .start = {2026, 3, 4}};
  EXPECT_EQ(Segments(fortnightly),
            "DTSTART;TZID=UTC:2026-03-04 09:00 RRULE:FREQ=WEEKLY;BYDAY=WE;INTERVAL=2\n");
}

// One RRULE cannot change zone: a zone change splits the export, the earlier part ending
// (UNTIL, in UTC) at its last occurrence and the later one carrying what is left.
TEST(RecurrenceTest, ExportSplitsAtAZoneChange) {
  RecurrenceRule rule{.frequency = Frequency::kDaily,
                      .time = {9, 0},
                      .zone = "America/Los_Angeles",
                      .start = {2026, 6, 1},
                      .until = CivilDate{2026, 6, 30}};
  ASSERT_TRUE(ChangeZoneFrom(&rule, {2026, 6, 4}, "America/New_York").ok());
  EXPECT_EQ(Segments(rule),
            "DTSTART;TZID=America/Los_Angeles:2026-06-01 09:00 "
            "RRULE:FREQ=DAILY;UNTIL=20260603T160000Z\n"
            "DTSTART;TZID=America/New_York:2026-06-04 09:00 "
            "RRULE:FREQ=DAILY;UNTIL=20260630T130000Z\n");
  rule.until.reset();
  rule.count = 5;
  EXPECT_EQ(Segments(rule),
            "DTSTART;TZID=America/Los_Angeles:2026-06-01 09:00 "
            "RRULE:FREQ=DAILY;UNTIL=20260603T160000Z\n"
            "DTSTART;TZID=America/New_York:2026-06-04 09:00 RRULE:FREQ=DAILY;COUNT=2\n");
  rule.count = 2;  // used up before the move
  EXPECT_EQ(Segments(rule),
            "DTSTART;TZID=America/Los_Angeles:2026-06-01 09:00 "
            "RRULE:FREQ=DAILY;UNTIL=20260602T160000Z\n");
  rule.count.reset();
  EXPECT_EQ(Segments(rule),
            "DTSTART;TZID=America/Los_Angeles:2026-06-01 09:00 "
            "RRULE:FREQ=DAILY;UNTIL=20260603T160000Z\n"
            "DTSTART;TZID=America/New_York:2026-06-04 09:00 RRULE:FREQ=DAILY\n");
  rule.zone = "Nowhere/Special";
  EXPECT_EQ(ToRrule(rule).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RecurrenceTest, BadRulesAreNamed) {
  struct Case {
    std::string_view what;
    RecurrenceRule rule;
    std::string_view message;
  };
  RecurrenceRule good = WeekdaysAt9("America/Los_Angeles", {2026, 3, 2});
  ASSERT_TRUE(ValidateRule(good).ok());
  auto with = [&](auto change) {
    RecurrenceRule r = good;
    change(r);
    return r;
  };
  std::vector<Case> cases = {
      {"unknown zone", with([](RecurrenceRule& r) { r.zone = "America/Los_Angelos"; }),
       "recurrence: zone: time zone 'America/Los_Angelos' is not a known IANA time zone"},
      {"empty zone", with([](RecurrenceRule& r) { r.zone = ""; }), "recurrence: zone: "},
      {"25:00", with([](RecurrenceRule& r) {
         r.time = {25, 0};
       }),
       "recurrence: time: time '25:00' does not exist"},
      {"Feb 30", with([](RecurrenceRule& r) {
         r.start = {2026, 2, 30};
       }),
       "recurrence: start: date '2026-02-30' does not exist: February 2026 has 28 days"},
      {"until before start", with([](RecurrenceRule& r) {
         r.until = CivilDate{2026, 3, 1};
       }),
       "recurrence: until: the end date 2026-03-01 is before the start date 2026-03-02"},
      {"until Feb 29", with([](RecurrenceRule& r) {
         r.until = CivilDate{2027, 2, 29};
       }),
       "recurrence: until: date '2027-02-29' does not exist"},
      {"zero count", with([](RecurrenceRule& r) { r.count = 0; }), "recurrence: count: "},
      {"zero interval", with([](RecurrenceRule& r) { r.interval = 0; }),
       "recurrence: interval: must be 1 to 1000, not 0"},
      {"day 32", with([](RecurrenceRule& r) {
         r.frequency = Frequency::kMonthlyByDay;
         r.month_day = 32;
       }),
       "recurrence: month_day: must be 1 to 31, not 32"},
      {"6th Monday", with([](RecurrenceRule& r) {
         r.frequency = Frequency::kMonthlyByWeekday;
         r.week_ordinal = 6;
       }),
       "recurrence: week_ordinal: "},
      {"change before start", with([](RecurrenceRule& r) {
         r.zone_changes = {{{2026, 3, 1}, "America/New_York"}};
       }),
       "recurrence: zone_changes: the change on 2026-03-01 must come after the start"},
      {"change to unknown zone", with([](RecurrenceRule& r) {
         r.zone_changes = {{{2026, 4, 1}, "Moon/Base"}};
       }),
       "recurrence: zone_changes: time zone 'Moon/Base'"},
  };
  for (const Case& c : cases) {
    absl::Status s = ValidateRule(c.rule);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.what;
    EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.what;
    EXPECT_EQ(Expand(c.rule, 0, Utc({2027, 1, 1}, 0)).status(), s) << c.what;
  }
}

}  // namespace
}  // namespace carepost::domain
