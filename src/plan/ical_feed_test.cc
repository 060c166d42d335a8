#include "plan/ical_feed.h"

#include <libical/ical.h>

#include <string>
#include <vector>

#include "core/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carepost::plan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

FeedOptions Options() {
  FeedOptions o;
  o.calendar_name = "Riverside Health, posts; all brands";
  o.uid_host = "carepost.riverside.example";
  o.post_url_prefix = "https://carepost.riverside.example/posts/";
  o.generated_at = absl::FromCivil(absl::CivilSecond(2026, 12, 5, 12, 0, 0), absl::UTCTimeZone());
  return o;
}

FeedEvent Event(int64_t id) {
  FeedEvent e;
  e.post_id = id;
  e.start = absl::FromCivil(absl::CivilSecond(2026, 10, 1, 14, 30, 0), absl::UTCTimeZone());
  e.campaign = "Flu shots, 2026; walk-ins";
  e.platforms = {Platform::kFacebook, Platform::kLinkedIn};
  e.status = PostStatus::kScheduled;
  e.text = "Jane Doe, room 4B: your results are ready";
  return e;
}

struct Parsed {
  icalcomponent* calendar = nullptr;
  ~Parsed() {
    if (calendar != nullptr) icalcomponent_free(calendar);
  }
};

std::vector<icalcomponent*> Events(icalcomponent* calendar) {
  std::vector<icalcomponent*> out;
  for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
       c != nullptr; c = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
    out.push_back(c);
  }
  return out;
}

std::string XValue(icalcomponent* c, std::string_view name) {
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
    if (name == icalproperty_get_x_name(p)) return icalproperty_get_x(p);
  }
  return "";
}

TEST(CalendarFeed, ParsesBackWithEveryField) {
  std::vector<FeedEvent> events = {Event(42), Event(43)};
  events[1].campaign.clear();
  events[1].platforms = {Platform::kX};
  events[1].status = PostStatus::kCancelled;
  events[1].updated = absl::FromUnixSeconds(1790000000);
  absl::StatusOr<std::string> feed = WriteCalendarFeed(events, Options());
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_TRUE(feed->starts_with("BEGIN:VCALENDAR\r\n"));
  EXPECT_THAT(*feed, HasSubstr("DTSTART:20261001T143000Z\r\n"));
  EXPECT_THAT(*feed, HasSubstr("DTSTAMP:20261205T120000Z\r\n"));
  EXPECT_THAT(*feed, HasSubstr("DURATION:PT15M\r\n"));
  // Commas and semicolons in TEXT are escaped by libical; X- values are written raw.
  EXPECT_THAT(*feed, HasSubstr("X-WR-CALNAME:Riverside Health, posts; all brands\r\n"));
  EXPECT_THAT(*feed,
              HasSubstr("SUMMARY:Flu shots\\, 2026\\; walk-ins \xE2\x80\x94 Facebook\\, LinkedIn"));
  // No post text by default.
  EXPECT_THAT(*feed, Not(HasSubstr("Jane")));
  EXPECT_THAT(*feed, Not(HasSubstr("results")));

  Parsed parsed{icalparser_parse_string(feed->c_str())};
  ASSERT_NE(parsed.calendar, nullptr);
  ASSERT_EQ(icalcomponent_isa(parsed.calendar), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(icalcomponent_count_errors(parsed.calendar), 0);
  EXPECT_EQ(XValue(parsed.calendar, "X-WR-CALNAME"), "Riverside Health, posts; all brands");
  EXPECT_EQ(icalcomponent_get_method(parsed.calendar), ICAL_METHOD_PUBLISH);
  const std::vector<icalcomponent*> ev = Events(parsed.calendar);
  ASSERT_EQ(ev.size(), 2u);

  EXPECT_STREQ(icalcomponent_get_uid(ev[0]), "post-42@carepost.riverside.example");
  EXPECT_STREQ(icalcomponent_get_summary(ev[0]),
               "Flu shots, 2026; walk-ins \xE2\x80\x94 Facebook, LinkedIn");
  const icaltimetype start = icalcomponent_get_dtstart(ev[0]);
  EXPECT_TRUE(icaltime_is_utc(start));
  EXPECT_EQ(icaltime_as_timet(start), absl::ToUnixSeconds(events[0].start));
  EXPECT_EQ(icaltime_as_timet(icalcomponent_get_dtend(ev[0])),
            absl::ToUnixSeconds(events[0].start) + 15 * 60);
  EXPECT_EQ(icalcomponent_get_status(ev[0]), ICAL_STATUS_CONFIRMED);
  icalproperty* url = icalcomponent_get_first_property(ev[0], ICAL_URL_PROPERTY);
  ASSERT_NE(url, nullptr);
  EXPECT_STREQ(icalproperty_get_url(url), "https://carepost.riverside.example/posts/42");
  EXPECT_STREQ(icalcomponent_get_description(ev[0]),
               "Status: scheduled\nOpen in carepost: https://carepost.riverside.example/posts/42");
  EXPECT_EQ(icalcomponent_get_first_property(ev[0], ICAL_LASTMODIFIED_PROPERTY), nullptr);

  EXPECT_STREQ(icalcomponent_get_uid(ev[1]), "post-43@carepost.riverside.example");
  EXPECT_STREQ(icalcomponent_get_summary(ev[1]), "Post \xE2\x80\x94 X");
  EXPECT_EQ(icalcomponent_get_status(ev[1]), ICAL_STATUS_CANCELLED);
  icalproperty* modified = icalcomponent_get_first_property(ev[1], ICAL_LASTMODIFIED_PROPERTY);
  ASSERT_NE(modified, nullptr);
  EXPECT_EQ(icaltime_as_timet(icalproperty_get_lastmodified(modified)), 1790000000);
}

TEST(CalendarFeed, UidIsStableAcrossFeeds) {
  FeedOptions later = Options();
  later.generated_at += absl::Hours(5);
  std::vector<FeedEvent> events = {Event(7)};
  absl::StatusOr<std::string> a = WriteCalendarFeed(events, Options());
  events[0].start += absl::Hours(24);  // rescheduled
  absl::StatusOr<std::string> b = WriteCalendarFeed(events, later);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_THAT(*a, HasSubstr("UID:post-7@carepost.riverside.example\r\n"));
  EXPECT_THAT(*b, HasSubstr("UID:post-7@carepost.riverside.example\r\n"));
}

TEST(CalendarFeed, TextOnlyWhenAllowedAndFoldedOnCharacterBoundaries) {
  FeedOptions o = Options();
  o.include_text = true;
  std::vector<FeedEvent> events = {Event(9)};
  // Long non-ASCII text with every character that needs escaping.
  std::string text;
  for (int i = 0; i < 12; ++i) text += "Vacunación gratuita; ¡sin cita, sin costo! 予防接種 \\ ";
  text += "\r\nSecond line\rThird\x01line";
  events[0].text = text;
  absl::StatusOr<std::string> feed = WriteCalendarFeed(events, o);
  ASSERT_TRUE(feed.ok()) << feed.status();

  // Every physical line is at most 75 octets, ends with CRLF, and is valid UTF-8 on its
  // own (folding never splits a character).
  size_t pos = 0;
  int folded = 0;
  while (pos < feed->size()) {
    const size_t end = feed->find("\r\n", pos);
    ASSERT_NE(end, std::string::npos);
    const std::string_view line(feed->data() + pos, end - pos);
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_TRUE(core::ValidateUtf8(line).ok) << line;
    EXPECT_EQ(line.find('\n'), std::string_view::npos);
    if (line.starts_with(" ")) ++folded;
    pos = end + 2;
  }
  EXPECT_GT(folded, 10);
  EXPECT_THAT(*feed, HasSubstr("\\;"));
  EXPECT_THAT(*feed, HasSubstr("\\,"));
  EXPECT_THAT(*feed, HasSubstr("\\\\"));
  EXPECT_THAT(*feed, HasSubstr("\\n"));

  Parsed parsed{icalparser_parse_string(feed->c_str())};
  ASSERT_NE(parsed.calendar, nullptr);
  const std::vector<icalcomponent*> ev = Events(parsed.calendar);
  ASSERT_EQ(ev.size(), 1u);
  std::string want = text.substr(0, text.find("\r\n"));
  want += "\nSecond line\nThird line";
  want += "\n\nStatus: scheduled\nOpen in carepost: https://carepost.riverside.example/posts/9";
  EXPECT_EQ(std::string(icalcomponent_get_description(ev[0])), want);
}

TEST(CalendarFeed, EmptyFeedIsAValidCalendar) {
  absl::StatusOr<std::string> feed = WriteCalendarFeed({}, Options());
  ASSERT_TRUE(feed.ok());
  Parsed parsed{icalparser_parse_string(feed->c_str())};
  ASSERT_NE(parsed.calendar, nullptr);
  EXPECT_TRUE(Events(parsed.calendar).empty());
  EXPECT_THAT(*feed, HasSubstr("REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
  EXPECT_THAT(*feed, HasSubstr("X-PUBLISHED-TTL:PT1H\r\n"));
  EXPECT_THAT(*feed, HasSubstr("VERSION:2.0\r\n"));
}

TEST(CalendarFeed, RefusesWhatItCannotWrite) {
  FeedOptions o = Options();
  o.uid_host = "";
  EXPECT_EQ(WriteCalendarFeed({}, o).status().code(), absl::StatusCode::kInvalidArgument);
  o = Options();
  o.post_url_prefix = "javascript:alert(1)//";
  EXPECT_EQ(WriteCalendarFeed({}, o).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<FeedEvent> events = {Event(0)};
  EXPECT_THAT(std::string(WriteCalendarFeed(events, Options()).status().message()),
              HasSubstr("feed event 0 (post 0): the id must be positive"));
  events = {Event(5)};
  events[0].start = absl::InfiniteFuture();
  EXPECT_THAT(std::string(WriteCalendarFeed(events, Options()).status().message()),
              HasSubstr("outside the years"));
  events = {Event(5)};
  events[0].campaign = "bad \xFF";
  EXPECT_EQ(WriteCalendarFeed(events, Options()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carepost::plan
