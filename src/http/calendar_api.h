// File: http/calendar_api.h
//
// The content calendar leaving and entering carepost (docs/calendar-csv.md,
// docs/calendar-feed.md; docs/openapi.yaml has the contract):
//
//   POST   /api/v1/calendar/import?dry_run=     CSV file -> draft posts       posts.draft
//   GET    /api/v1/calendar/export?from&to&brand_id  CSV download            posts.read
//   GET    /api/v1/calendar/feed                does the caller have a feed   posts.read
//   POST   /api/v1/calendar/feed                create or rotate: the URL     posts.read
//   DELETE /api/v1/calendar/feed                revoke it                     posts.read
//   PUT    /api/v1/calendar/feed/settings       post text in feeds or not     org.manage
//   GET    /calendar/feed/{token}.ics           the iCalendar feed            public
//
// Import is all-or-nothing: the file is parsed (plan/calendar_csv.h), every row's
// brand, campaign, time and content are checked, and any problem answers 422
// (urn:carepost:problem:invalid-csv) listing each one with its row, column and what is
// wrong — never a cell's content — and nothing is created. Otherwise every post is
// screened by the guard exactly as POST /api/v1/posts screens (http/plan_api.h) and all
// are created in one transaction (domain PostService::Import), as drafts of the caller.
// `dry_run=true` stops after screening and creates nothing.
//
// The feed route takes no cookie: the token in the URL is the credential (its SHA-256
// is looked up; domain/calendar_feeds.h). It shows the scheduled, publishing and
// published posts the token's owner may read, from 60 days back to a year ahead, with
// campaign, platforms and time, and post text only when the organization allows it.
// Unknown, revoked and disabled users' tokens are 404.
//
//   AddCalendarRoutes(app, {.users = &users, .campaigns = &campaigns, .posts = &posts,
//                           .feeds = &feeds, .screener = screener, .metrics = &metrics,
//                           .public_url = config.public_url});
//
// Thread safety: the routes are safe to serve from many threads.
#pragma once

#include <string>

#include "core/clock.h"
#include "domain/calendar_feeds.h"
#include "domain/campaigns.h"
#include "domain/posts.h"
#include "domain/users.h"
#include "guard/screener.h"
#include "http/app.h"
#include "http/metrics.h"

namespace carepost::http {

struct CalendarApiOptions {
  // Required; must outlive the App.
  domain::UserService* users = nullptr;
  domain::CampaignService* campaigns = nullptr;
  domain::PostService* posts = nullptr;
  domain::CalendarFeedService* feeds = nullptr;
  const guard::Screener* screener = nullptr;
  // Guard metrics (optional).
  Metrics* metrics = nullptr;
  // The feed's DTSTAMP and window (nullptr: the system clock).
  const core::Clock* clock = nullptr;
  // Where users reach carepost ("https://carepost.example.org"): subscribe URLs, links
  // and UIDs are built from it. Empty: from the request's Host header over http (dev).
  std::string public_url;
};

// Adds the routes above to `app`.
void AddCalendarRoutes(App& app, CalendarApiOptions options);

}  // namespace carepost::http
