// File: domain/calendar_feeds.h
//
// Per-user secret URLs for the iCalendar feed (GET /calendar/feed/<token>.ics) that
// Outlook, Google Calendar and Apple Calendar subscribe to, and the organization's
// choice of whether a feed may carry post text.
//
//   ASSIGN_OR_RETURN(std::string token, feeds.Issue(caller));   // shown once
//   ...
//   absl::StatusOr<FeedOwner> owner = feeds.Resolve(token);     // NotFound: 404
//
// The token is 32 random bytes (URL-safe base64); only its SHA-256 is stored, so the
// URL cannot be recovered from the database and a lookup by hash reveals nothing about
// other tokens. A user has at most one feed: issuing again rotates it (the old URL stops
// working at once), revoking removes it. A disabled user's feed resolves to NotFound.
// Issue, rotation, revocation and the organization setting are audited
// (calendar_feed.create, calendar_feed.rotate, calendar_feed.revoke,
// organization.calendar_feed_text); fetches are not (they only update last_used_at).
//
// Calendar providers sign no HIPAA business associate agreement, so by default a feed
// shows campaign, platforms and time but no post text; IncludeText() is the
// organization's opt-in (org.manage to change).
//
// Thread safety: CalendarFeedService is safe for concurrent use from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/caller.h"
#include "store/database.h"

namespace carepost::domain {

// A user's feed, without its token (which is never stored).
struct CalendarFeed {
  absl::Time created_at;
  std::optional<absl::Time> last_used_at;
};

// Whose feed a token opens.
struct FeedOwner {
  int64_t user_id = 0;
  int64_t organization_id = 0;
  std::string email;
};

class CalendarFeedService {
 public:
  // Everything passed in must outlive the service.
  CalendarFeedService(store::Database& db, core::Clock& clock, AuditLog& audit);

  // Creates the caller's feed, or replaces its token (rotation). Returns the new token,
  // the only time it exists outside the caller's calendar client.
  [[nodiscard]] absl::StatusOr<std::string> Issue(const Caller& caller);
  // Removes the caller's feed; OK (and not audited) when there is none.
  [[nodiscard]] absl::Status Revoke(const Caller& caller);
  // The caller's feed, or nullopt.
  [[nodiscard]] absl::StatusOr<std::optional<CalendarFeed>> Get(const Caller& caller);

  // The enabled user whose feed `token` opens, and records the fetch. NotFound for a
  // malformed, unknown or revoked token and for a disabled user (one message for all).
  [[nodiscard]] absl::StatusOr<FeedOwner> Resolve(std::string_view token);

  // Whether the organization's feeds carry post text (default false).
  [[nodiscard]] absl::StatusOr<bool> IncludeText(int64_t organization_id);
  // Changes it (org.manage).
  [[nodiscard]] absl::Status SetIncludeText(const Caller& caller, bool include_text);

 private:
  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
};

}  // namespace carepost::domain
