#include "domain/series.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "domain/plan_testing.h"

namespace carepost::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Screens nothing; counts the calls (materialization screens the template once a run).
class FakeScreener : public ContentScreener {
 public:
  GuardReport Screen(const PostContent& content) override {
    ++calls;
    GuardReport report{.display_json = R"({"master":[]})"};
    if (content.master_text.find("cures") != std::string::npos) {
      report.findings.push_back(
          {.field = "master", .kind = "medical_claim", .type = "cure", .severity = "review"});
    }
    return report;
  }
  std::atomic<int> calls{0};
};

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), absl::UTCTimeZone());
}

class SeriesTest : public testing::PlanTest {
 protected:
  void SetUp() override {
    PlanTest::SetUp();
    if (HasFatalFailure()) return;
    series_ = std::make_unique<SeriesService>(
        db(), clock_, *audit_, *posts_, *users_, screener_,
        SeriesOptions{.horizon = absl::Hours(24 * 14), .min_ahead = 0});
  }

  RecurrenceRule WeekdaysAt9(core::CivilDate start) {
    return RecurrenceRule{.frequency = Frequency::kWeekly,
                          .weekdays = Weekdays(),
                          .time = {9, 0},
                          .zone = "America/Los_Angeles",
                          .start = start};
  }

  NewSeries Daily(core::CivilTime time, core::CivilDate start) {
    return NewSeries{.brand_id = cardiology_,
                     .rule = {.frequency = Frequency::kDaily,
                              .time = time,
                              .zone = "America/Los_Angeles",
                              .start = start},
                     .content = {.master_text = "Daily heart tip: take the stairs."}};
  }

  // The series' occurrences that are not replaced or cancelled, by local date.
  std::vector<Post> Live(int64_t id) {
    absl::StatusOr<std::vector<Post>> all = series_->Occurrences(as("author"), id);
    EXPECT_TRUE(all.ok()) << all.status();
    std::vector<Post> out;
    if (!all.ok()) return out;
    for (Post& p : *all) {
      if (p.status != PostStatus::kCancelled) out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(),
              [](const Post& a, const Post& b) { return a.series_date < b.series_date; });
    return out;
  }

  FakeScreener screener_;
  std::unique_ptr<SeriesService> series_;
};

TEST_P(SeriesTest, WeekdaysKeepNineOClockAcrossSpringForward) {
  clock_.SetTime(Utc(2027, 3, 6, 12, 0));
  absl::StatusOr<Series> s =
      series_->Create(as("author"), {.brand_id = cardiology_,
                                     .rule = WeekdaysAt9({2027, 3, 8}),
                                     .content = {.master_text = "Morning show: heart health.",
                                                 .variants = {{.platform = "facebook"}}}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->status, SeriesStatus::kActive);
  EXPECT_EQ(s->rule.zone, "America/Los_Angeles");
  EXPECT_EQ(s->rule.weekdays, Weekdays());
  EXPECT_EQ(s->created_by, as("author").user_id());
  std::vector<Post> live = Live(s->id);
  // 14 days from 2027-03-06 12:00 UTC: 2027-03-08 .. 2027-03-19, ten weekdays.
  ASSERT_EQ(live.size(), 10u);
  EXPECT_EQ(live[0].series_date, "2027-03-08");
  EXPECT_EQ(*live[0].scheduled_at, Utc(2027, 3, 8, 17, 0));  // 09:00 PST
  EXPECT_EQ(live[4].series_date, "2027-03-12");
  EXPECT_EQ(*live[4].scheduled_at, Utc(2027, 3, 12, 17, 0));
  EXPECT_EQ(live[5].series_date, "2027-03-15");
  EXPECT_EQ(*live[5].scheduled_at, Utc(2027, 3, 15, 16, 0));  // 09:00 PDT
  for (const Post& p : live) {
    EXPECT_EQ(p.status, PostStatus::kDraft);
    EXPECT_EQ(p.series_id, s->id);
    EXPECT_EQ(p.series_state, "linked");
    EXPECT_EQ(p.series_note, "");
    EXPECT_EQ(p.time_zone, "America/Los_Angeles");
    EXPECT_EQ(p.author_user_id, as("author").user_id());
    EXPECT_EQ(p.content.master_text, "Morning show: heart health.");
    ASSERT_EQ(p.content.variants.size(), 1u);
    EXPECT_EQ(p.content.variants[0].platform, "facebook");
  }
  // Each occurrence is an ordinary post: it goes through the workflow.
  ASSERT_TRUE(posts_->Submit(as("author"), live[0].id).ok());
  EXPECT_EQ(posts_->Get(as("author"), live[0].id)->status, PostStatus::kInReview);
  EXPECT_EQ(Events("series.create").size(), 1u);
  EXPECT_EQ(Events("series.materialize").size(), 1u);
  EXPECT_EQ(Events("post.create").size(), 10u);
}

TEST_P(SeriesTest, SpringForwardGapIsShiftedAndExplained) {
  clock_.SetTime(Utc(2027, 3, 12, 0, 0));
  absl::StatusOr<Series> s = series_->Create(as("author"), Daily({2, 30}, {2027, 3, 13}));
  ASSERT_TRUE(s.ok()) << s.status();
  std::vector<Post> live = Live(s->id);
  ASSERT_GE(live.size(), 3u);
  EXPECT_EQ(live[0].series_date, "2027-03-13");
  EXPECT_EQ(*live[0].scheduled_at, Utc(2027, 3, 13, 10, 30));  // 02:30 PST
  EXPECT_EQ(live[0].series_note, "");
  // 2027-03-14 02:30 does not exist in Los Angeles: 03:30 PDT is used.
  EXPECT_EQ(live[1].series_date, "2027-03-14");
  EXPECT_EQ(*live[1].scheduled_at, Utc(2027, 3, 14, 10, 30));
  EXPECT_THAT(live[1].series_note, HasSubstr("02:30 does not exist"));
  EXPECT_EQ(live[2].series_date, "2027-03-15");
  EXPECT_EQ(*live[2].scheduled_at, Utc(2027, 3, 15, 9, 30));  // 02:30 PDT
  EXPECT_EQ(live[2].series_note, "");
}

TEST_P(SeriesTest, FallBackAmbiguityTakesTheEarlierAndSaysSo) {
  clock_.SetTime(Utc(2026, 10, 30, 0, 0));
  absl::StatusOr<Series> s = series_->Create(as("author"), Daily({1, 30}, {2026, 10, 31}));
  ASSERT_TRUE(s.ok()) << s.status();
  std::vector<Post> live = Live(s->id);
  ASSERT_GE(live.size(), 3u);
  EXPECT_EQ(*live[0].scheduled_at, Utc(2026, 10, 31, 8, 30));  // 01:30 PDT
  // 2026-11-01 01:30 happens twice; the first (PDT) is used.
  EXPECT_EQ(live[1].series_date, "2026-11-01");
  EXPECT_EQ(*live[1].scheduled_at, Utc(2026, 11, 1, 8, 30));
  EXPECT_NE(live[1].series_note, "");
  EXPECT_EQ(*live[2].scheduled_at, Utc(2026, 11, 2, 9, 30));  // 01:30 PST
  EXPECT_EQ(live[2].series_note, "");
}

TEST_P(SeriesTest, ZoneChangeMovesOnlyOccurrencesFromItsDate) {
  clock_.SetTime(Utc(2027, 4, 1, 0, 0));
  absl::StatusOr<Series> s =
      series_->Create(as("author"), {.brand_id = cardiology_,
                                     .rule = WeekdaysAt9({2027, 4, 5}),
                                     .content = {.master_text = "Morning show."}});
  ASSERT_TRUE(s.ok()) << s.status();
  const std::vector<Post> before = Live(s->id);
  ASSERT_EQ(before.size(), 8u);  // 04-05 .. 04-14 09:00 PDT within 14 days
  absl::StatusOr<Series> moved =
      series_->ChangeZone(as("author"), s->id, {2027, 4, 12}, "America/New_York");
  ASSERT_TRUE(moved.ok()) << moved.status();
  ASSERT_EQ(moved->rule.zone_changes.size(), 1u);
  EXPECT_EQ(moved->rule.zone_changes[0].zone, "America/New_York");
  const std::vector<Post> after = Live(s->id);
  ASSERT_EQ(after.size(), 8u);
  for (size_t i = 0; i < 5; ++i) {  // the first week keeps its posts and zone
    EXPECT_EQ(after[i].id, before[i].id);
    EXPECT_EQ(after[i].time_zone, "America/Los_Angeles");
    EXPECT_EQ(*after[i].scheduled_at, *before[i].scheduled_at);
  }
  EXPECT_EQ(after[5].series_date, "2027-04-12");
  EXPECT_NE(after[5].id, before[5].id);
  EXPECT_EQ(after[5].time_zone, "America/New_York");
  EXPECT_EQ(*after[5].scheduled_at, Utc(2027, 4, 12, 13, 0));  // 09:00 EDT
  // The moved ones were cancelled as replaced, not deleted.
  absl::StatusOr<Post> old = posts_->Get(as("author"), before[5].id);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->status, PostStatus::kCancelled);
  EXPECT_EQ(old->series_state, "replaced");
  EXPECT_EQ(Events("series.zone_change").size(), 1u);
  // Before the start is refused, naming the field.
  EXPECT_EQ(series_->ChangeZone(as("author"), s->id, {2027, 4, 1}, "Europe/London").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(series_->ChangeZone(as("author"), s->id, {2027, 4, 20}, "Mars/Olympus").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(SeriesTest, TemplateChangeAffectsOnlyFutureLinkedOccurrences) {
  clock_.SetTime(Utc(2027, 5, 1, 0, 0));
  absl::StatusOr<Series> s = series_->Create(as("author"), Daily({9, 0}, {2027, 5, 1}));
  ASSERT_TRUE(s.ok()) << s.status();
  std::vector<Post> first = Live(s->id);
  ASSERT_EQ(first.size(), 14u);  // 05-01 .. 05-14 16:00 UTC
  // One occurrence edited on its own ("this post only") and one published.
  PostContent own{.master_text = "Special edition."};
  ASSERT_TRUE(posts_
                  ->Update(as("author"), first[8].id,
                           {.content = own, .guard = GuardReport{.display_json = "{}"}})
                  .ok());
  EXPECT_EQ(posts_->Get(as("author"), first[8].id)->series_state, "detached");
  ASSERT_TRUE(
      db().Execute("UPDATE posts SET status = 'published' WHERE id = $1", {first[9].id}).ok());
  clock_.Advance(absl::Hours(24 * 5));  // now 05-06 00:00 UTC: 05-01 .. 05-05 are past
  absl::StatusOr<Series> changed = series_->Update(
      as("author"), s->id, {.content = PostContent{.master_text = "New: this cures stress."}});
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->content.master_text, "New: this cures stress.");
  std::vector<Post> now = Live(s->id);
  int old_text = 0, new_text = 0;
  for (const Post& p : now) {
    if (p.series_date < "2027-05-06") {
      EXPECT_EQ(p.content.master_text, "Daily heart tip: take the stairs.") << p.series_date;
      ++old_text;
    } else if (p.id == first[8].id) {
      EXPECT_EQ(p.content.master_text, "Special edition.");
    } else if (p.id == first[9].id) {
      EXPECT_EQ(p.status, PostStatus::kPublished);
      EXPECT_EQ(p.content.master_text, "Daily heart tip: take the stairs.");
    } else {
      EXPECT_EQ(p.content.master_text, "New: this cures stress.") << p.series_date;
      // Screened again: the new template's claim needs a clinical reviewer.
      EXPECT_EQ(p.routing.required, std::vector<Approval>{Approval::kClinicalReviewer});
      ++new_text;
    }
  }
  EXPECT_EQ(old_text, 5);
  EXPECT_EQ(new_text, 12);  // 05-06 .. 05-19 minus the detached and the published one
  // One live occurrence per local date.
  for (size_t i = 1; i < now.size(); ++i) EXPECT_NE(now[i].series_date, now[i - 1].series_date);
}

TEST_P(SeriesTest, AnOccurrenceMovedOnItsOwnIsDetachedAndKept) {
  clock_.SetTime(Utc(2027, 5, 1, 0, 0));
  absl::StatusOr<Series> s = series_->Create(as("author"), Daily({9, 0}, {2027, 5, 3}));
  ASSERT_TRUE(s.ok()) << s.status();
  const std::vector<Post> first = Live(s->id);
  ASSERT_GE(first.size(), 3u);
  const int64_t moved = first[1].id;  // 2027-05-04
  ASSERT_TRUE(posts_->Submit(as("author"), moved).ok());
  ASSERT_TRUE(posts_->Approve(as("manager"), moved).ok());
  absl::StatusOr<Post> scheduled =
      posts_->Schedule(as("manager"), moved, Utc(2027, 5, 4, 18, 0), "America/Los_Angeles");
  ASSERT_TRUE(scheduled.ok()) << scheduled.status();
  EXPECT_EQ(scheduled->series_state, "detached");
  // Scheduling an occurrence at its own time keeps it linked.
  ASSERT_TRUE(posts_->Submit(as("author"), first[2].id).ok());
  ASSERT_TRUE(posts_->Approve(as("manager"), first[2].id).ok());
  EXPECT_EQ(posts_->Schedule(as("manager"), first[2].id)->series_state, "linked");
  // A new time for the series passes the detached one by.
  RecurrenceRule at10 = s->rule;
  at10.time = {10, 0};
  ASSERT_TRUE(series_->Update(as("manager"), s->id, {.rule = at10}).ok());
  absl::StatusOr<Post> kept = posts_->Get(as("author"), moved);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->status, PostStatus::kScheduled);
  EXPECT_EQ(*kept->scheduled_at, Utc(2027, 5, 4, 18, 0));
  for (const Post& p : Live(s->id)) {
    if (p.id == moved) continue;
    EXPECT_EQ(absl::FormatTime("%H:%M", *p.scheduled_at, absl::UTCTimeZone()), "17:00")
        << p.series_date;  // 10:00 PDT
  }
}

TEST_P(SeriesTest, MaterializeDueExtendsTheHorizonAndEndStopsIt) {
  clock_.SetTime(Utc(2027, 6, 1, 0, 0));
  absl::StatusOr<Series> s = series_->Create(as("author"), Daily({9, 0}, {2027, 6, 1}));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Live(s->id).size(), 14u);
  EXPECT_EQ(*series_->MaterializeDue(), 0);  // nothing due yet
  clock_.Advance(absl::Hours(24 * 3));
  EXPECT_EQ(*series_->MaterializeDue(), 3);
  EXPECT_EQ(Live(s->id).size(), 17u);
  EXPECT_EQ(*series_->MaterializeDue(), 0);  // idempotent
  absl::StatusOr<Series> ended = series_->End(as("author"), s->id);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->status, SeriesStatus::kEnded);
  // The future occurrences are cancelled, the past ones stay.
  EXPECT_EQ(Live(s->id).size(), 3u);
  clock_.Advance(absl::Hours(24 * 3));
  EXPECT_EQ(*series_->MaterializeDue(), 0);
  EXPECT_EQ(series_->End(as("author"), s->id).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(series_->Update(as("author"), s->id, {.content = PostContent{.master_text = "x"}})
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Events("series.end").size(), 1u);
}

TEST_P(SeriesTest, ASeriesBeyondTheHorizonShowsItsFirstOccurrences) {
  SeriesService series(db(), clock_, *audit_, *posts_, *users_, screener_,
                       SeriesOptions{.horizon = absl::Hours(24 * 14), .min_ahead = 5});
  clock_.SetTime(Utc(2026, 12, 5, 12, 0));
  absl::StatusOr<Series> s = series.Create(as("author"), {.brand_id = cardiology_,
                                                          .rule = WeekdaysAt9({2027, 3, 10}),
                                                          .content = {.master_text = "Show."}});
  ASSERT_TRUE(s.ok()) << s.status();
  std::vector<Post> live = Live(s->id);
  ASSERT_EQ(live.size(), 5u);  // 03-10, 03-11, 03-12 in PST; 03-15, 03-16 in PDT
  EXPECT_EQ(*live[2].scheduled_at, Utc(2027, 3, 12, 17, 0));
  EXPECT_EQ(*live[3].scheduled_at, Utc(2027, 3, 15, 16, 0));
  // Nothing more until the horizon reaches them.
  EXPECT_EQ(*series.MaterializeDue(), 0);
  EXPECT_EQ(Live(s->id).size(), 5u);
  // A zone change from 03-15 keeps the first three and makes the moved ones again.
  ASSERT_TRUE(series.ChangeZone(as("author"), s->id, {2027, 3, 15}, "America/New_York").ok());
  live = Live(s->id);
  ASSERT_EQ(live.size(), 5u);
  EXPECT_EQ(live[2].time_zone, "America/Los_Angeles");
  EXPECT_EQ(live[3].time_zone, "America/New_York");
  EXPECT_EQ(*live[3].scheduled_at, Utc(2027, 3, 15, 13, 0));  // 09:00 EDT
}

TEST_P(SeriesTest, CountLimitsOccurrences) {
  clock_.SetTime(Utc(2027, 6, 1, 0, 0));
  NewSeries three = Daily({9, 0}, {2027, 6, 1});
  three.rule.count = 3;
  absl::StatusOr<Series> s = series_->Create(as("author"), three);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->rule.count, 3);
  EXPECT_EQ(Live(s->id).size(), 3u);
}

TEST_P(SeriesTest, AuthorizationFollowsPostsDraftForTheBrand) {
  clock_.SetTime(Utc(2027, 6, 1, 0, 0));
  NewSeries in = Daily({9, 0}, {2027, 6, 1});
  EXPECT_EQ(series_->Create(as("analyst"), in).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(series_->Create(as("clinical_reviewer"), in).status().code(),
            absl::StatusCode::kPermissionDenied);
  NewSeries oncology = in;
  oncology.brand_id = oncology_;
  EXPECT_EQ(series_->Create(as("cardio_author"), oncology).status().code(),
            absl::StatusCode::kPermissionDenied);
  NewSeries elsewhere = in;
  elsewhere.brand_id = other_brand_;
  EXPECT_EQ(series_->Create(as("author"), elsewhere).status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(Events("series.create"), IsEmpty());

  absl::StatusOr<Series> s = series_->Create(as("cardio_author"), in);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(series_->Get(as("analyst"), s->id).ok());
  EXPECT_EQ(series_->Get(as("responder"), s->id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(series_->Get(as("outsider"), s->id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(series_->Occurrences(as("outsider"), s->id).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(series_->Update(as("analyst"), s->id, {.content = PostContent{.master_text = "x"}})
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(series_->End(as("analyst"), s->id).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(series_->List(as("responder"), {})->size(), 0u);
  EXPECT_EQ(series_->List(as("analyst"), {})->size(), 1u);
  EXPECT_EQ(series_->List(as("analyst"), {.brand_id = oncology_})->size(), 0u);
}

TEST_P(SeriesTest, BadInputIsNamed) {
  clock_.SetTime(Utc(2027, 6, 1, 0, 0));
  NewSeries bad_zone = Daily({9, 0}, {2027, 6, 1});
  bad_zone.rule.zone = "Nowhere/Land";
  absl::StatusOr<Series> s = series_->Create(as("author"), bad_zone);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  NewSeries empty = Daily({9, 0}, {2027, 6, 1});
  empty.content.master_text = "";
  s = series_->Create(as("author"), empty);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("master_text"));
  NewSeries media = Daily({9, 0}, {2027, 6, 1});
  media.content.media.push_back({.media_id = 1, .alt_text = "a"});
  s = series_->Create(as("author"), media);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("media"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SeriesTest, CAREPOST_ALL_BACKENDS);

}  // namespace
}  // namespace carepost::domain
