#include "core/civil_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace carepost::core {
namespace {

using ::testing::HasSubstr;

TEST(CivilTimeTest, ParsesAndFormatsDates) {
  absl::StatusOr<CivilDate> d = ParseDate("2026-03-08");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, (CivilDate{2026, 3, 8}));
  EXPECT_EQ(FormatDate(*d), "2026-03-08");
  EXPECT_EQ(FormatDate({2024, 2, 29}), "2024-02-29");
}

TEST(CivilTimeTest, RejectsDatesThatDoNotExist) {
  absl::StatusOr<CivilDate> feb30 = ParseDate("2026-02-30");
  ASSERT_EQ(feb30.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(feb30.status().message(), HasSubstr("'2026-02-30' does not exist"));
  EXPECT_THAT(feb30.status().message(), HasSubstr("February 2026 has 28 days"));

  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_FALSE(ParseDate("2025-02-29").ok());
  EXPECT_FALSE(ParseDate("1900-02-29").ok());  // not a leap year: divisible by 100
  EXPECT_TRUE(ParseDate("2000-02-29").ok());   // a leap year: divisible by 400
  EXPECT_FALSE(ParseDate("2026-13-01").ok());
  EXPECT_FALSE(ParseDate("2026-04-31").ok());
  EXPECT_FALSE(ParseDate("2026-00-10").ok());
  for (std::string_view bad :
       {"", "2026-3-8", "2026/03/08", "26-03-08", "2026-03-08T", "+026-03-08", "2026-0a-08"}) {
    absl::StatusOr<CivilDate> r = ParseDate(bad);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("YYYY-MM-DD")) << bad;
  }
}

TEST(CivilTimeTest, ParsesTimes) {
  EXPECT_EQ(*ParseTime("09:00"), (CivilTime{9, 0, 0}));
  EXPECT_EQ(*ParseTime("9:05"), (CivilTime{9, 5, 0}));
  EXPECT_EQ(*ParseTime("23:59:59"), (CivilTime{23, 59, 59}));
  EXPECT_EQ(FormatTime({9, 0, 0}), "09:00");
  EXPECT_EQ(FormatTime({9, 0, 7}), "09:00:07");
}

TEST(CivilTimeTest, RejectsTimesThatDoNotExist) {
  absl::StatusOr<CivilTime> t = ParseTime("25:00");
  ASSERT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("'25:00' does not exist"));
  EXPECT_THAT(t.status().message(), HasSubstr("hour must be 0 to 23"));
  EXPECT_THAT(ParseTime("09:60").status().message(), HasSubstr("minute must be 0 to 59"));
  EXPECT_FALSE(ParseTime("24:00").ok());
  for (std::string_view bad : {"", "9", "0900", "09:0", "09:00:0", "-1:00", "09h00", "09:00 am"}) {
    EXPECT_EQ(ParseTime(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(CivilTimeTest, DayArithmeticAndWeekdays) {
  EXPECT_EQ(DaysSinceEpoch({1970, 1, 1}), 0);
  EXPECT_EQ(DaysSinceEpoch({1969, 12, 31}), -1);
  EXPECT_EQ(DateFromDays(DaysSinceEpoch({2026, 3, 8})), (CivilDate{2026, 3, 8}));
  EXPECT_EQ(AddDays({2026, 2, 28}, 1), (CivilDate{2026, 3, 1}));
  EXPECT_EQ(AddDays({2024, 2, 28}, 1), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(AddDays({2026, 1, 1}, -1), (CivilDate{2025, 12, 31}));
  EXPECT_EQ(WeekdayOf({2026, 3, 8}), Weekday::kSunday);
  EXPECT_EQ(WeekdayOf({2026, 12, 5}), Weekday::kSaturday);
  EXPECT_EQ(WeekdayOf({1970, 1, 1}), Weekday::kThursday);
  EXPECT_EQ(WeekdayName(Weekday::kWednesday), "Wednesday");
  EXPECT_EQ(WeekdayAbbreviation(Weekday::kFriday), "fri");
  EXPECT_EQ(DaysInMonth(2026, 2), 28);
  EXPECT_EQ(DaysInMonth(2028, 2), 29);
  EXPECT_EQ(DaysInMonth(2026, 12), 31);
}

}  // namespace
}  // namespace carepost::core
