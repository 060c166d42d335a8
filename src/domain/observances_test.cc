#include "domain/observances.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "core/strings.h"
#include "domain/embedded_data.h"

namespace carepost::domain {
namespace {

using core::CivilDate;
using ::testing::HasSubstr;

// The resolved observances of a year by name (the first when a name repeats).
std::map<std::string, Observance> ByName(int year) {
  absl::StatusOr<std::vector<Observance>> list = ObservancesFor(year);
  EXPECT_TRUE(list.ok()) << list.status();
  std::map<std::string, Observance> out;
  if (list.ok()) {
    for (const Observance& o : *list) out.emplace(o.name, o);
  }
  return out;
}

struct Known {
  std::string_view name;
  CivilDate start;
  CivilDate end;
};

void ExpectDates(int year, const std::vector<Known>& known) {
  std::map<std::string, Observance> all = ByName(year);
  for (const Known& k : known) {
    auto it = all.find(std::string(k.name));
    ASSERT_NE(it, all.end()) << k.name;
    EXPECT_EQ(core::FormatDate(it->second.start), core::FormatDate(k.start))
        << k.name << " " << year;
    EXPECT_EQ(core::FormatDate(it->second.end), core::FormatDate(k.end)) << k.name << " " << year;
  }
}

// Checked against the 2025 calendar and the sponsors' announced dates (the table in the
// reference list tools/observances_to_toml.py names).
TEST(ObservancesTest, KnownDates2025) {
  ExpectDates(2025,
              {
                  {"American Heart Month", {2025, 2, 1}, {2025, 2, 28}},
                  {"National Wear Red Day", {2025, 2, 7}, {2025, 2, 7}},  // 1st Friday
                  {"Rare Disease Day", {2025, 2, 28}, {2025, 2, 28}},
                  {"World Kidney Day", {2025, 3, 13}, {2025, 3, 13}},  // 2nd Thursday
                  {"World Health Day", {2025, 4, 7}, {2025, 4, 7}},
                  {"National Public Health Week", {2025, 4, 7}, {2025, 4, 13}},
                  {"National Nurses Week", {2025, 5, 6}, {2025, 5, 12}},
                  {"National Hospital Week", {2025, 5, 11}, {2025, 5, 17}},
                  {"National Women's Health Week", {2025, 5, 11}, {2025, 5, 17}},
                  {"National EMS Week", {2025, 5, 18}, {2025, 5, 24}},
                  {"Men's Health Week", {2025, 6, 9}, {2025, 6, 15}},
                  {"National Health Center Week", {2025, 8, 3}, {2025, 8, 9}},
                  {"National Suicide Prevention Week", {2025, 9, 7}, {2025, 9, 13}},
                  {"Falls Prevention Awareness Week", {2025, 9, 22}, {2025, 9, 26}},
                  {"Breast Cancer Awareness Month", {2025, 10, 1}, {2025, 10, 31}},
                  {"Mental Illness Awareness Week", {2025, 10, 5}, {2025, 10, 11}},
                  {"National Depression Screening Day", {2025, 10, 9}, {2025, 10, 9}},
                  {"International Infection Prevention Week", {2025, 10, 12}, {2025, 10, 18}},
                  {"National Mammography Day", {2025, 10, 17}, {2025, 10, 17}},
                  {"Great American Smokeout", {2025, 11, 20}, {2025, 11, 20}},
                  {"International Survivors of Suicide Loss Day", {2025, 11, 22}, {2025, 11, 22}},
                  {"National Influenza Vaccination Week", {2025, 12, 1}, {2025, 12, 5}},
              });
}

TEST(ObservancesTest, KnownDates2026) {
  ExpectDates(2026, {
                        {"American Heart Month", {2026, 2, 1}, {2026, 2, 28}},
                        {"National Wear Red Day", {2026, 2, 6}, {2026, 2, 6}},
                        {"World Kidney Day", {2026, 3, 12}, {2026, 3, 12}},
                        {"Patient Safety Awareness Week", {2026, 3, 8}, {2026, 3, 14}},
                        {"World Health Day", {2026, 4, 7}, {2026, 4, 7}},
                        {"National Hospital Week", {2026, 5, 10}, {2026, 5, 16}},
                        {"National EMS Week", {2026, 5, 17}, {2026, 5, 23}},
                        {"Men's Health Week", {2026, 6, 15}, {2026, 6, 21}},  // Father's Day Jun 21
                        {"Breast Cancer Awareness Month", {2026, 10, 1}, {2026, 10, 31}},
                        {"Mental Illness Awareness Week", {2026, 10, 4}, {2026, 10, 10}},
                        {"Great American Smokeout", {2026, 11, 19}, {2026, 11, 19}},
                        {"International Survivors of Suicide Loss Day",
                         {2026, 11, 21},
                         {2026, 11, 21}},  // Saturday before Thanksgiving (Nov 26)
                        {"National Influenza Vaccination Week", {2026, 12, 7}, {2026, 12, 11}},
                        {"World AIDS Day", {2026, 12, 1}, {2026, 12, 1}},
                    });
}

TEST(ObservancesTest, KnownDates2027AndLeapYears) {
  ExpectDates(2027, {
                        {"American Heart Month", {2027, 2, 1}, {2027, 2, 28}},
                        {"National Wear Red Day", {2027, 2, 5}, {2027, 2, 5}},
                        {"World Kidney Day", {2027, 3, 11}, {2027, 3, 11}},
                        {"World Health Day", {2027, 4, 7}, {2027, 4, 7}},
                        {"Breast Cancer Awareness Month", {2027, 10, 1}, {2027, 10, 31}},
                        {"Great American Smokeout", {2027, 11, 18}, {2027, 11, 18}},
                        {"National Family Health History Day", {2027, 11, 25}, {2027, 11, 25}},
                    });
  ExpectDates(2024, {{"Rare Disease Day", {2024, 2, 29}, {2024, 2, 29}},
                     {"American Heart Month", {2024, 2, 1}, {2024, 2, 29}}});
}

TEST(ObservancesTest, MetadataComesWithTheDates) {
  std::map<std::string, Observance> all = ByName(2026);
  const Observance& heart = all.at("American Heart Month");
  EXPECT_EQ(heart.kind, ObservanceKind::kMonth);
  EXPECT_EQ(heart.hashtags, (std::vector<std::string>{"#AmericanHeartMonth", "#OurHearts"}));
  EXPECT_THAT(heart.sponsor, HasSubstr("American Heart Association"));
  EXPECT_EQ(heart.start_rule, "month:02");
  EXPECT_FALSE(heart.safe_messaging);
  EXPECT_EQ(all.at("World Health Day").kind, ObservanceKind::kDay);
  EXPECT_EQ(all.at("National Nurses Week").kind, ObservanceKind::kWeek);
  EXPECT_TRUE(all.at("World Suicide Prevention Day").safe_messaging);
  EXPECT_TRUE(all.at("SIDS Awareness Month").safe_messaging);
  EXPECT_EQ(ObservanceKindName(ObservanceKind::kWeek), "week");
}

// Every shipped entry parses and resolves for every year of the century, and its
// dates agree with its kind: a day is one day, a month is a whole calendar month, a
// week is 2 to 9 days (Monday-Friday pushes are 5; Red Ribbon Week is Oct 23-31).
TEST(ObservancesTest, EveryShippedEntryResolvesFor2000To2100) {
  absl::StatusOr<const ObservanceCalendar*> calendar = BuiltinObservances();
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  ASSERT_GE((*calendar)->size(), 150u);
  for (int year = 2000; year <= 2100; ++year) {
    absl::StatusOr<std::vector<Observance>> list = ObservancesFor(year);
    ASSERT_TRUE(list.ok()) << year << ": " << list.status();
    ASSERT_EQ(list->size(), (*calendar)->size()) << year << ": an entry has no date that year";
    for (const Observance& o : *list) {
      SCOPED_TRACE(core::Cat(o.name, " ", year, ": ", core::FormatDate(o.start), " to ",
                             core::FormatDate(o.end)));
      ASSERT_TRUE(core::ValidateDate(o.start).ok());
      ASSERT_TRUE(core::ValidateDate(o.end).ok());
      EXPECT_LE(o.start, o.end);
      // No shipped entry spills into the next year.
      EXPECT_EQ(o.start.year, year);
      EXPECT_EQ(o.end.year, year);
      int64_t days = core::DaysSinceEpoch(o.end) - core::DaysSinceEpoch(o.start) + 1;
      switch (o.kind) {
        case ObservanceKind::kDay:
          EXPECT_EQ(days, 1);
          break;
        case ObservanceKind::kWeek:
          EXPECT_GE(days, 2);
          EXPECT_LE(days, 9);
          break;
        case ObservanceKind::kMonth:
          EXPECT_EQ(o.start.day, 1);
          EXPECT_EQ(o.end.month, o.start.month);
          EXPECT_EQ(o.end.day, core::DaysInMonth(year, o.start.month));
          break;
      }
      EXPECT_FALSE(o.name.empty());
      EXPECT_FALSE(o.sponsor.empty());
      EXPECT_FALSE(o.hashtags.empty());
    }
  }
}

TEST(ObservancesTest, BetweenReturnsWhatOverlapsTheRange) {
  absl::StatusOr<std::vector<Observance>> march = ObservancesBetween({2026, 3, 10}, {2026, 3, 16});
  ASSERT_TRUE(march.ok()) << march.status();
  std::vector<std::string> names;
  for (const Observance& o : *march) names.push_back(o.name);
  EXPECT_THAT(names, ::testing::Contains("National Kidney Month"));
  EXPECT_THAT(names, ::testing::Contains("World Kidney Day"));               // Mar 12
  EXPECT_THAT(names, ::testing::Contains("Patient Safety Awareness Week"));  // Mar 8-14
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("American Heart Month")));
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("World Health Day")));
  // Sorted by start, months (longest) before the weeks and days that start with them.
  for (size_t i = 1; i < march->size(); ++i) {
    EXPECT_LE((*march)[i - 1].start, (*march)[i].start);
  }
  EXPECT_EQ(march->front().kind, ObservanceKind::kMonth);

  EXPECT_EQ(ObservancesBetween({2026, 3, 2}, {2026, 3, 1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ObservancesBetween({2026, 2, 30}, {2026, 3, 1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ObservancesFor(0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ObservancesTest, RuleForms) {
  auto span = [](std::string_view start, std::string_view end, int year) {
    absl::StatusOr<DateSpan> s = ResolveObservance(start, end, year);
    EXPECT_TRUE(s.ok()) << start << " " << end << ": " << s.status();
    return s.ok() ? core::Cat(core::FormatDate(s->start), "/", core::FormatDate(s->end))
                  : std::string("error");
  };
  EXPECT_EQ(span("month:oct", "", 2026), "2026-10-01/2026-10-31");
  EXPECT_EQ(span("date:04-07", "", 2026), "2026-04-07/2026-04-07");
  EXPECT_EQ(span("date:02-29", "", 2026), "2026-02-28/2026-02-28");  // a common year
  EXPECT_EQ(span("nth:09-last-wed", "", 2026), "2026-09-30/2026-09-30");
  EXPECT_EQ(span("week:dec-1st-full", "", 2026), "2026-12-07/2026-12-13");
  EXPECT_EQ(span("week:mar-last-full-sun", "", 2026), "2026-03-22/2026-03-28");
  EXPECT_EQ(span("week:aug-last-full", "", 2026), "2026-08-24/2026-08-30");
  EXPECT_EQ(span("weekof:05-12", "", 2026), "2026-05-11/2026-05-17");
  EXPECT_EQ(span("weekof:05-12-sun", "", 2026), "2026-05-10/2026-05-16");
  EXPECT_EQ(span("nth:jun-3rd-sun@-6d", "+6d", 2026), "2026-06-15/2026-06-21");
  EXPECT_EQ(span("date:02-07", "date:02-14", 2026), "2026-02-07/2026-02-14");
  EXPECT_EQ(span("date:03-01", "month:03", 2026), "2026-03-01/2026-03-31");
  // An end before the start is in the following year (the documented spill-over).
  EXPECT_EQ(span("date:12-28", "date:01-03", 2026), "2026-12-28/2027-01-03");
  // Easter-relative rules, for observances tied to it.
  EXPECT_EQ(span("easter", "", 2025), "2025-04-20/2025-04-20");
  EXPECT_EQ(span("easter", "", 2026), "2026-04-05/2026-04-05");
  EXPECT_EQ(span("easter", "", 2027), "2027-03-28/2027-03-28");
  EXPECT_EQ(span("easter@-2d", "", 2026), "2026-04-03/2026-04-03");  // Good Friday

  // March 2026 has four Thursdays (the last is Mar 26): a 5th is NotFound.
  EXPECT_EQ(ResolveObservance("nth:mar-5th-thu", "", 2026).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(span("nth:apr-5th-thu", "", 2026), "2026-04-30/2026-04-30");
}

TEST(ObservancesTest, BadRulesAreNamed) {
  for (std::string_view bad :
       {"", "month:13", "month:october", "date:02-30", "date:2-14", "nth:feb-6th-fri",
        "nth:feb-1st-friday", "nth:feb-1st", "week:mar-2nd", "week:mar-2nd-full-mon",
        "weekof:05-32", "holiday:12-25", "date:02-14@+5", "date:02-14@+400d", "easter@x"}) {
    absl::StatusOr<std::shared_ptr<const DateRule>> r = ParseDateRule(bad);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr(core::Cat("date rule '", bad, "'"))) << bad;
  }
  EXPECT_THAT(ParseDateRule("date:02-30").status().message(),
              HasSubstr("'30' is not a day of February"));
  EXPECT_EQ(ResolveObservance("date:02-14", "+x", 2026).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ObservancesTest, ParseErrorsNameTheLine) {
  auto error = [](std::string_view text) {
    absl::StatusOr<ObservanceCalendar> c = ObservanceCalendar::Parse(text, "mine.toml");
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << text;
    return std::string(c.status().message());
  };
  EXPECT_THAT(error("[[observance]]\nname = \"X\"\nkind = \"day\"\nstart = \"date:02-30\"\n"),
              HasSubstr("mine.toml:1: 'X': date rule 'date:02-30'"));
  EXPECT_THAT(error("[[observance]]\nname = \"X\"\nkind = \"fortnight\"\nstart = \"date:02-03\"\n"),
              HasSubstr("kind must be day, week or month"));
  EXPECT_THAT(error("[[observance]]\nname = \"X\"\nkind = \"day\"\nstart = \"date:02-03\"\n"
                    "colour = \"red\"\n"),
              HasSubstr("unknown key 'colour'"));
  EXPECT_THAT(error("[[observance]]\nname = \"X\"\nkind = \"day\"\n"),
              HasSubstr("missing 'start'"));
  EXPECT_THAT(error("[[observance]]\nname = \"X\"\nkind = \"day\"\nstart = \"date:02-03\"\n"
                    "hashtags = [\"no hash\"]\n"),
              HasSubstr("hashtag"));
  EXPECT_THAT(error("name = "), HasSubstr("mine.toml:1:"));
  EXPECT_THAT(error("# nothing\n"), HasSubstr("no [[observance]] entries"));

  absl::StatusOr<ObservanceCalendar> ok = ObservanceCalendar::Parse(
      "[[observance]]\nname = \"Holiday Safety Week\"\nkind = \"week\"\n"
      "start = \"date:12-28\"\nend = \"date:01-03\"\nurl = \"https://example.org/x\"\n",
      "mine.toml");
  ASSERT_TRUE(ok.ok()) << ok.status();
  // Asked for early January 2027, the week that started in 2026 is there.
  absl::StatusOr<std::vector<Observance>> jan = ok->Between({2027, 1, 1}, {2027, 1, 10});
  ASSERT_TRUE(jan.ok()) << jan.status();
  ASSERT_EQ(jan->size(), 1u);
  EXPECT_EQ(jan->front().start, (CivilDate{2026, 12, 28}));
  EXPECT_EQ(jan->front().url, "https://example.org/x");
}

TEST(ObservancesTest, TheDataIsEmbedded) {
  EXPECT_THAT(EmbeddedFile("observances.toml"), HasSubstr("[[observance]]"));
  EXPECT_TRUE(EmbeddedFile("nothing.toml").empty());
}

}  // namespace
}  // namespace carepost::domain
