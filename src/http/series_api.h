// File: http/series_api.h
//
// The API routes for recurring series of posts (domain/series.h; docs/openapi.yaml has
// the contract):
//
//   GET    /api/v1/series                       list (brand_id, cursor pages)    posts.read
//   POST   /api/v1/series                       plan a series                    posts.draft
//   GET    /api/v1/series/{id}                  one series                       posts.read
//   PATCH  /api/v1/series/{id}                  change rule/template from now    posts.draft
//   POST   /api/v1/series/{id}/end              stop it, cancel future ones      posts.draft
//   POST   /api/v1/series/{id}/zone-change      new zone from a local date on    posts.draft
//   GET    /api/v1/series/{id}/occurrences      its posts                        posts.read
//
// A series is sent and shown as {brand_id, campaign_id, rule: {frequency, interval,
// weekdays, month_day, week_ordinal, weekday, time, time_zone, start_date, until_date,
// count, zone_changes}, master_text, variants}. Its occurrences are ordinary posts: the
// server screens the template with the guard exactly as it screens a post
// (ScreenPostContent), and each occurrence carries that report into the workflow.
//
//   GuardContentScreener screener(guard_screener, &metrics);
//   domain::SeriesService series(db, clock, audit, posts, users, screener);
//   AddSeriesRoutes(app, {.series = &series});
//
// Thread safety: the routes and GuardContentScreener are safe to use from many threads.
#pragma once

#include <memory>

#include "domain/series.h"
#include "guard/screener.h"
#include "http/app.h"
#include "http/metrics.h"
#include "http/scratch_pool.h"

namespace carepost::http {

// The guard, as the series service's screener: ScreenPostContent through a pool of
// scratches, with guard metrics (`metrics` may be null). `screener` must outlive it.
class GuardContentScreener : public domain::ContentScreener {
 public:
  explicit GuardContentScreener(const guard::Screener& screener, Metrics* metrics = nullptr);
  domain::GuardReport Screen(const domain::PostContent& content) override;

 private:
  ScratchPool pool_;
  Metrics* metrics_;
};

struct SeriesApiOptions {
  domain::SeriesService* series = nullptr;  // required; must outlive the App
};

// Adds the routes above to `app`.
void AddSeriesRoutes(App& app, SeriesApiOptions options);

}  // namespace carepost::http
