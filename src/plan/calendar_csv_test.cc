#include "plan/calendar_csv.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carepost::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kHeader[] = "date,time,time_zone,brand,campaign,platforms,text\r\n";

CsvImportOptions AllStatuses() {
  CsvImportOptions o;
  o.allowed_statuses.assign(kAllPostStatuses.begin(), kAllPostStatuses.end());
  return o;
}

std::vector<std::string> ProblemStrings(const CsvImport& r) {
  std::vector<std::string> out;
  for (const CsvProblem& p : r.problems) out.push_back(p.ToString());
  return out;
}

TEST(CalendarCsvImport, ReadsEveryColumnInAnyOrder) {
  const std::string csv =
      "Text,platforms,brand,date,time,time_zone,campaign,link,first_comment,hashtags,status,id\r\n"
      "\"Flu shots are here.\nWalk in, no appointment.\",Facebook; instagram,Riverside,"
      "2026-10-01,09:30,America/Chicago,Flu 2026,https://example.org/flu?a=1,"
      "\"Say \"\"hi\"\"\",#FluShot  #vaccines,draft,42\r\n";
  const CsvImport r = ImportCalendarCsv(csv);
  ASSERT_TRUE(r.ok()) << r.ToStatus();
  ASSERT_EQ(r.rows.size(), 1u);
  const CalendarRow& row = r.rows[0];
  EXPECT_EQ(row.row, 2);
  EXPECT_EQ(row.id, 42);
  EXPECT_EQ(row.local_time, absl::CivilMinute(2026, 10, 1, 9, 30));
  EXPECT_EQ(row.time_zone, "America/Chicago");
  EXPECT_EQ(row.brand, "Riverside");
  EXPECT_EQ(row.campaign, "Flu 2026");
  EXPECT_THAT(row.platforms, ElementsAre(Platform::kFacebook, Platform::kInstagram));
  EXPECT_EQ(row.text, "Flu shots are here.\nWalk in, no appointment.");
  EXPECT_EQ(row.link, "https://example.org/flu?a=1");
  EXPECT_EQ(row.first_comment, "Say \"hi\"");
  EXPECT_THAT(row.hashtags, ElementsAre("FluShot", "vaccines"));
  EXPECT_EQ(row.status, PostStatus::kDraft);
}

TEST(CalendarCsvImport, BomLfAndOptionalColumns) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "date,time,brand,platforms,text\n"
      "2026-02-01,9:00,Riverside,x,Heart Month starts today\n"
      "\n"
      ",,,,\n"
      "2026-02-02,17:05:00,Riverside,bluesky;mastodon;,\"Two\r\nlines\"\n";
  CsvImportOptions o;
  o.default_time_zone = "America/New_York";
  const CsvImport r = ImportCalendarCsv(csv, o);
  ASSERT_TRUE(r.ok()) << r.ToStatus();
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].row, 2);
  EXPECT_EQ(r.rows[0].time_zone, "America/New_York");
  EXPECT_EQ(r.rows[0].local_time, absl::CivilMinute(2026, 2, 1, 9, 0));
  EXPECT_FALSE(r.rows[0].id.has_value());
  EXPECT_EQ(r.rows[1].row, 5);  // the blank rows keep their numbers
  EXPECT_EQ(r.rows[1].local_time, absl::CivilMinute(2026, 2, 2, 17, 5));
  EXPECT_EQ(r.rows[1].text, "Two\nlines");
  EXPECT_THAT(r.rows[1].platforms, ElementsAre(Platform::kBluesky, Platform::kMastodon));
}

TEST(CalendarCsvImport, SemicolonSeparatedFilesFromEuropeanExcel) {
  const std::string csv =
      "date;time;time_zone;brand;platforms;text\r\n"
      "2026-03-01;10:00;Europe/Berlin;B;\"x;bluesky\";Grippeimpfung, jetzt\r\n";
  const CsvImport r = ImportCalendarCsv(csv);
  ASSERT_TRUE(r.ok()) << r.ToStatus();
  EXPECT_EQ(r.rows[0].text, "Grippeimpfung, jetzt");
  EXPECT_THAT(r.rows[0].platforms, ElementsAre(Platform::kX, Platform::kBluesky));
}

// The header's columns as recognised, so a caller can name the column of a problem it
// finds itself (an unknown brand) with its spreadsheet letter.
TEST(CalendarCsvImport, ReportsTheColumnsInFileOrder) {
  const std::string csv =
      "Text,Brand,DATE,time,time zone,Platforms\r\n"
      "Flu shots,B,2026-03-01,10:00,UTC,x\r\n";
  const CsvImport r = ImportCalendarCsv(csv);
  ASSERT_TRUE(r.ok()) << r.ToStatus();
  EXPECT_THAT(r.columns, ElementsAre("text", "brand", "date", "time", "time_zone", "platforms"));
  EXPECT_EQ(CsvColumnIndex(r, "brand"), 2);
  EXPECT_EQ(CsvColumnIndex(r, "time_zone"), 5);
  EXPECT_EQ(CsvColumnIndex(r, "campaign"), 0);
  EXPECT_EQ(CsvColumnIndex(ImportCalendarCsv(""), "brand"), 0);
}

TEST(CalendarCsvImport, RowNumbersCountEmbeddedNewlinesAsOneRow) {
  const std::string csv = std::string(kHeader) +
                          "2026-03-01,10:00,UTC,B,,x,\"a\r\nb\r\nc\"\r\n"
                          "2026-02-30,10:00,UTC,B,,x,fine\r\n";
  const CsvImport r = ImportCalendarCsv(csv);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.rows.empty());
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre("row 3, column date (A): is not a real calendar date between 1970 "
                          "and 9999"));
}

TEST(CalendarCsvImport, OneBadRowImportsNothingAndEveryProblemIsNamed) {
  const std::string secret = "Jane Doe MRN 123456";
  const std::string csv = std::string(kHeader) +
                          "2026-03-01,10:00,UTC,B,,x,ok\r\n"
                          "03/01/2026,25:00,Mars/Base,,," +
                          secret + ";facebook,\r\n" + "2026-03-01,10:00,UTC,B,,facebook;facebook," +
                          secret + "\r\n";
  const CsvImport r = ImportCalendarCsv(csv);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.rows.empty());
  const std::vector<std::string> got = ProblemStrings(r);
  EXPECT_THAT(got, ElementsAre(HasSubstr("row 3, column date (A): must be YYYY-MM-DD"),
                               HasSubstr("row 3, column time (B): is not a time of day"),
                               "row 3, column brand (D): is empty",
                               HasSubstr("row 3, column platforms (F): has an entry that is not"),
                               HasSubstr("row 3, column text (G): is empty"),
                               "row 4, column platforms (F): names facebook twice"));
  // Mars/Base is well formed; only the zone checker can refuse it.
  const std::string all = std::string(r.ToStatus().message());
  EXPECT_THAT(all, Not(HasSubstr("Jane")));
  EXPECT_THAT(all, Not(HasSubstr("123456")));
  EXPECT_EQ(r.ToStatus().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CalendarCsvImport, ZoneCheckerIsConsulted) {
  CsvImportOptions o;
  o.check_time_zone = [](std::string_view zone) {
    return zone == "Europe/Paris" ? absl::OkStatus()
                                  : absl::InvalidArgumentError("is not in the time-zone database");
  };
  const std::string csv = std::string(kHeader) +
                          "2026-03-01,10:00,Europe/Paris,B,,x,ok\r\n"
                          "2026-03-01,10:00,Mars/Base,B,,x,ok\r\n"
                          "2026-03-01,10:00,../etc/passwd,B,,x,ok\r\n";
  const CsvImport r = ImportCalendarCsv(csv, o);
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre("row 3, column time_zone (C): is not in the time-zone database",
                          HasSubstr("row 4, column time_zone (C): is not an IANA time zone")));
}

TEST(CalendarCsvImport, HeaderProblems) {
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv("")),
              ElementsAre(HasSubstr("row 1: the file is empty")));
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv("\r\n")),
              ElementsAre(HasSubstr("row 1: the first row must name the columns")));
  const CsvImport r = ImportCalendarCsv("date,time,Date,caption,,brand,text\r\n");
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre("row 1, column date (C): the column appears twice (also column A)",
                          HasSubstr("row 1, column D: unknown column name; the columns are id,"),
                          "row 1, column E: the header cell is empty; every column needs a name",
                          "row 1, column platforms: required column is missing",
                          "row 1, column time_zone: required column is missing"));
  // Spaces and capitals in names are fine.
  const CsvImport ok = ImportCalendarCsv(
      "Date,Time,Time Zone,Brand,Platforms,Text,First Comment\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,c\r\n");
  ASSERT_TRUE(ok.ok()) << ok.ToStatus();
  EXPECT_EQ(ok.rows[0].first_comment, "c");
}

TEST(CalendarCsvImport, MalformedCsvNamesTheRow) {
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(std::string(kHeader) +
                                               "2026-03-01,10:00,UTC,B,,x,ok\r\n"
                                               "2026-03-01,10:00,UTC,B,,x,say \"hi\"\r\n")),
              ElementsAre(HasSubstr("row 3: malformed CSV")));
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(std::string(kHeader) +
                                               "2026-03-01,10:00,UTC,B,,x,\"open\r\nstill")),
              ElementsAre(HasSubstr("row 2: a quoted cell is never closed")));
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(std::string(kHeader) +
                                               "2026-03-01,10:00,UTC,B,,x,ok,extra\r\n")),
              ElementsAre(HasSubstr("row 2, column H: the row has a cell past the last column")));
}

TEST(CalendarCsvImport, EncodingProblems) {
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(std::string(kHeader) +
                                               "2026-03-01,10:00,UTC,B,,x,caf\xE9\r\n")),
              ElementsAre(HasSubstr("row 2, column text (G): is not valid UTF-8 (at byte 4")));
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(std::string("\xFF\xFE") + "d\0a\0", {})),
              ElementsAre(HasSubstr("file: the file is UTF-16")));
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(
                  std::string(kHeader) + std::string("2026-03-01,10:00,UTC,B\0,,x,a\r\n", 30))),
              ElementsAre("row 2, column brand (D): holds a NUL character"));
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(std::string(kHeader) +
                                               "2026-03-01,10:00,UTC,\"B\nC\",,x,a\r\n")),
              ElementsAre(HasSubstr("row 2, column brand (D): holds a line break or control")));
}

TEST(CalendarCsvImport, Limits) {
  CsvImportOptions o;
  o.max_rows = 2;
  o.max_cell_bytes = 10;
  std::string csv = std::string(kHeader) + "2026-03-01,10:00,UTC,B,,x,0123456789A\r\n";
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(csv, o)),
              ElementsAre("row 2, column text (G): is longer than the limit of 10 bytes"));
  csv = std::string(kHeader);
  for (int i = 0; i < 5; ++i) csv += "2026-03-01,10:00,UTC,B,,x,ok\r\n";
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(csv, o)),
              ElementsAre("row 4: the file has more than 2 rows; split it into smaller files"));
  o.max_file_bytes = 16;
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(csv, o)),
              ElementsAre(HasSubstr("file: the file is larger than the limit of 16 bytes")));

  CsvImportOptions few;
  few.max_problems = 2;
  csv = std::string(kHeader);
  for (int i = 0; i < 5; ++i) csv += "2026-03-01,10:00,UTC,B,,x,\r\n";
  const CsvImport r = ImportCalendarCsv(csv, few);
  EXPECT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems_left_off, 3u);
  EXPECT_THAT(std::string(r.ToStatus().message()), HasSubstr("... and 3 more problems"));
}

TEST(CalendarCsvImport, StatusesAreRestrictedByDefault) {
  const std::string csv =
      "date,time,time_zone,brand,platforms,text,status\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,Approved\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,shipped\r\n";
  EXPECT_THAT(ProblemStrings(ImportCalendarCsv(csv)),
              ElementsAre(HasSubstr("row 3, column status (G): status approved cannot be imported"),
                          HasSubstr("row 4, column status (G): is not a post status")));
  const CsvImport r = ImportCalendarCsv(csv.substr(0, csv.rfind("2026")), AllStatuses());
  ASSERT_TRUE(r.ok()) << r.ToStatus();
  EXPECT_EQ(r.rows[1].status, PostStatus::kApproved);
}

TEST(CalendarCsvImport, LinksAndHashtags) {
  const std::string csv =
      "date,time,time_zone,brand,platforms,text,link,hashtags\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,javascript:alert(1),\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,https:///path,\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,https://a.org/x y,\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,,#good #bad-tag\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,HTTPS://A.org,\"#ok, #café;#_x\"\r\n";
  const CsvImport r = ImportCalendarCsv(csv);
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre(HasSubstr("row 2, column link (G): must be a full web address"),
                          HasSubstr("row 3, column link (G): has no host name"),
                          HasSubstr("row 4, column link (G): holds a space"),
                          HasSubstr("row 5, column hashtags (H): hashtag 2 holds punctuation")));
  const CsvImport ok = ImportCalendarCsv(
      "date,time,time_zone,brand,platforms,text,link,hashtags\r\n"
      "2026-03-01,10:00,UTC,B,x,ok,HTTPS://A.org,\"#ok, #café;#_x\"\r\n");
  ASSERT_TRUE(ok.ok()) << ok.ToStatus();
  EXPECT_THAT(ok.rows[0].hashtags, ElementsAre("ok", "café", "_x"));
}

CalendarRow SampleRow() {
  CalendarRow row;
  row.id = 7;
  row.local_time = absl::CivilMinute(2026, 11, 1, 1, 30);
  row.time_zone = "America/Los_Angeles";
  row.brand = "Riverside Health, East";
  row.campaign = "=HYPERLINK(\"http://evil\")";
  row.platforms = {Platform::kLinkedIn, Platform::kThreads};
  row.text = "-5 degrees tonight.\nStay warm, say \"hello\" to neighbours. 🧣";
  row.link = "https://example.org/winter";
  row.first_comment = "@here\ttab";
  row.hashtags = {"Winter", "Salud"};
  row.status = PostStatus::kScheduled;
  return row;
}

TEST(CalendarCsvExport, WritesSpreadsheetSafeCsv) {
  const std::vector<CalendarRow> rows = {SampleRow()};
  absl::StatusOr<std::string> csv = ExportCalendarCsv(rows);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(*csv,
            "\xEF\xBB\xBF"
            "id,date,time,time_zone,brand,campaign,platforms,text,link,first_comment,hashtags,"
            "status\r\n"
            "7,2026-11-01,01:30,America/Los_Angeles,\"Riverside Health, East\","
            "\"'=HYPERLINK(\"\"http://evil\"\")\",linkedin;threads,"
            "\"'-5 degrees tonight.\nStay warm, say \"\"hello\"\" to neighbours. 🧣\","
            "https://example.org/winter,'@here\ttab,#Winter #Salud,scheduled\r\n");
}

TEST(CalendarCsvExport, RoundTripsThroughImport) {
  std::vector<CalendarRow> rows = {SampleRow(), SampleRow(), SampleRow()};
  rows[1].id.reset();
  rows[1].text = "'=already quoted";
  rows[1].campaign = "";
  rows[1].link = "";
  rows[1].hashtags.clear();
  rows[1].status = PostStatus::kDraft;
  rows[2].text = "\tleading tab and trailing space ";
  rows[2].first_comment = "+1 ''@x";
  rows[2].brand = "'+";
  absl::StatusOr<std::string> csv = ExportCalendarCsv(rows);
  ASSERT_TRUE(csv.ok()) << csv.status();
  const CsvImport back = ImportCalendarCsv(*csv, AllStatuses());
  ASSERT_TRUE(back.ok()) << back.ToStatus();
  ASSERT_EQ(back.rows.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    const CalendarRow& a = rows[i];
    const CalendarRow& b = back.rows[i];
    EXPECT_EQ(b.row, static_cast<int>(i) + 2);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.local_time, b.local_time);
    EXPECT_EQ(a.time_zone, b.time_zone);
    EXPECT_EQ(a.brand, b.brand);
    EXPECT_EQ(a.campaign, b.campaign);
    EXPECT_EQ(a.platforms, b.platforms);
    EXPECT_EQ(a.text, b.text);
    EXPECT_EQ(a.link, b.link);
    EXPECT_EQ(a.first_comment, b.first_comment);
    EXPECT_EQ(a.hashtags, b.hashtags);
    EXPECT_EQ(a.status, b.status);
  }
  CsvExportOptions no_id;
  no_id.include_id = false;
  no_id.write_bom = false;
  csv = ExportCalendarCsv(rows, no_id);
  ASSERT_TRUE(csv.ok());
  EXPECT_TRUE(csv->starts_with("date,time,"));
  const CsvImport again = ImportCalendarCsv(*csv, AllStatuses());
  ASSERT_TRUE(again.ok()) << again.ToStatus();
  EXPECT_FALSE(again.rows[0].id.has_value());
}

TEST(CalendarCsvExport, RefusesRowsThatWouldNotImportBack) {
  std::vector<CalendarRow> rows = {SampleRow()};
  rows[0].platforms.clear();
  EXPECT_THAT(std::string(ExportCalendarCsv(rows).status().message()),
              HasSubstr("calendar row 0 cannot be exported: platforms is empty"));
  rows = {SampleRow()};
  rows[0].text = "bad \xC3";
  EXPECT_EQ(ExportCalendarCsv(rows).status().code(), absl::StatusCode::kInvalidArgument);
  rows = {SampleRow()};
  rows[0].hashtags = {"two words"};
  EXPECT_THAT(std::string(ExportCalendarCsv(rows).status().message()), HasSubstr("hashtag"));
  rows = {SampleRow()};
  rows[0].brand = " padded";
  EXPECT_EQ(std::string(ExportCalendarCsv(rows).status().message()),
            "calendar row 0 cannot be exported: brand has leading or trailing spaces");
  rows = {SampleRow()};
  rows[0].hashtags = {"a,b"};
  EXPECT_THAT(std::string(ExportCalendarCsv(rows).status().message()),
              HasSubstr("holds a separator"));
}

TEST(CalendarCsv, SpreadsheetColumnNames) {
  EXPECT_EQ(SpreadsheetColumnName(1), "A");
  EXPECT_EQ(SpreadsheetColumnName(26), "Z");
  EXPECT_EQ(SpreadsheetColumnName(27), "AA");
  EXPECT_EQ(SpreadsheetColumnName(703), "AAA");
}

TEST(Vocabulary, NamesRoundTrip) {
  for (Platform p : kAllPlatforms) EXPECT_EQ(ParsePlatform(PlatformName(p)), p);
  for (PostStatus s : kAllPostStatuses) EXPECT_EQ(ParsePostStatus(PostStatusName(s)), s);
  EXPECT_EQ(ParsePlatform("LinkedIn"), Platform::kLinkedIn);
  EXPECT_FALSE(ParsePlatform("twitter").has_value());
  EXPECT_EQ(PlatformLabel(Platform::kTikTok), "TikTok");
}

}  // namespace
}  // namespace carepost::plan
