// File: plan/ical_feed.h
//
// The calendar feed a user subscribes to from Outlook, Google Calendar or Apple
// Calendar: an RFC 5545 VCALENDAR with one VEVENT per scheduled post, written with
// libical (which does the escaping and the line folding).
//
//   plan::FeedOptions options;
//   options.calendar_name = "Riverside Health posts";
//   options.uid_host = "carepost.riverside.example";
//   options.post_url_prefix = "https://carepost.riverside.example/posts/";
//   options.generated_at = clock.Now();
//   ASSIGN_OR_RETURN(std::string body, plan::WriteCalendarFeed(events, options));
//   // serve as text/calendar; charset=utf-8
//
// Calendar providers sign no HIPAA business associate agreement, so by default an
// event carries the campaign, the platforms, the time and a link back to carepost,
// but never the post's text; `include_text` (an organization setting) adds it.
//
// Times are written in UTC ("DTSTART:20261001T143000Z"), not with a TZID and an
// embedded VTIMEZONE: a post is a single instant (carepost stores the UTC instant;
// the zone it was planned in matters for recurrence, which the feed does not express),
// every client shows UTC times in the viewer's own zone, and a VTIMEZONE would have to
// be generated from the system's tzdata at each request (libical reads zoneinfo files,
// which breaks "no I/O") and be right for every client. UTC has no such failure mode.
//
// No I/O. Safe to call from several threads: Debian's libical keeps its temporary
// buffers per thread (pthread keys) and locks its zone cache, of which only the
// built-in UTC zone is used.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "plan/vocabulary.h"

namespace carepost::plan {

// One scheduled post as the feed shows it.
struct FeedEvent {
  int64_t post_id = 0;   // positive; makes the UID and the URL
  absl::Time start;      // when the post goes out
  std::string campaign;  // may be empty ("Post" is shown instead)
  std::vector<Platform> platforms;
  PostStatus status = PostStatus::kScheduled;
  // Last change to the post; written as LAST-MODIFIED when set.
  absl::Time updated = absl::InfinitePast();
  // The post's text; written (as DESCRIPTION) only when FeedOptions::include_text.
  std::string text;
};

struct FeedOptions {
  // X-WR-CALNAME: the name a client gives the subscribed calendar.
  std::string calendar_name = "carepost";
  // The host part of every UID ("post-<id>@<uid_host>"): keep it stable, or every
  // subscriber sees every post deleted and re-added. Required.
  std::string uid_host;
  // URL of a post = post_url_prefix + id. Required (https:// or http://).
  std::string post_url_prefix;
  // DTSTAMP of every event: when the feed was generated (from the injected clock).
  absl::Time generated_at = absl::UnixEpoch();
  // Events are this long in the calendar (a post is an instant; a block shows it).
  absl::Duration duration = absl::Minutes(15);
  // How often clients should fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL).
  absl::Duration refresh_interval = absl::Hours(1);
  // Puts the post's text in DESCRIPTION. Off by default: see the file comment.
  bool include_text = false;
  std::string product_id = "-//carepost//content calendar//EN";
};

// The iCalendar text (CRLF line ends, lines folded at 75 octets). InvalidArgument when
// an option or event cannot be written (no uid_host, a non-positive id, a start outside
// years 1970-9999, text that is not UTF-8, ...), naming the event by index and post id.
[[nodiscard]] absl::StatusOr<std::string> WriteCalendarFeed(std::span<const FeedEvent> events,
                                                            const FeedOptions& options);

// The UID of a post's event: "post-<id>@<uid_host>".
std::string FeedEventUid(int64_t post_id, std::string_view uid_host);

// SUMMARY of an event: "<campaign> — Facebook, Instagram" ("Post — ..." without one).
std::string FeedEventSummary(const FeedEvent& event);

}  // namespace carepost::plan
