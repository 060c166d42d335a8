// File: domain/notifications.h
//
// In-app notifications (table `notifications`): the workflow tells people what waits
// for them — reviewers when a post enters review, the author when it is approved or
// changes are requested. Messages are written by carepost from ids and roles, never
// from post text (which may hold PHI).
//
//   NotificationService notifications(db, clock);
//   ASSIGN_OR_RETURN(auto page, notifications.List(user_id, {.unread_only = true}));
//   RETURN_IF_ERROR(notifications.MarkRead(user_id, page[0].id));
//
// Reading one's notifications is not audited (it changes nothing of record).
//
// Thread safety: safe for concurrent use from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "store/database.h"

namespace carepost::domain {

struct Notification {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string kind;  // review_requested, approved, changes_requested, authorization_withdrawn
  std::optional<int64_t> post_id;
  std::string message;
  absl::Time created_at;
  std::optional<absl::Time> read_at;
};

struct NotificationQuery {
  bool unread_only = false;
  int64_t before_id = 0;  // cursor: ids below this (0: from the newest)
  int64_t limit = 50;
};

// Adds a notification inside the caller's transaction.
[[nodiscard]] absl::Status NotifyInTx(store::Tx& tx, int64_t user_id, std::string_view kind,
                                      std::optional<int64_t> post_id, std::string_view message,
                                      absl::Time now);

class NotificationService {
 public:
  // `db` and `clock` must outlive the service.
  NotificationService(store::Database& db, core::Clock& clock);

  // The user's notifications, newest first.
  [[nodiscard]] absl::StatusOr<std::vector<Notification>> List(int64_t user_id,
                                                               const NotificationQuery& query);
  // How many are unread.
  [[nodiscard]] absl::StatusOr<int64_t> UnreadCount(int64_t user_id);
  // Marks one read; NotFound when the user has no such notification. Idempotent.
  [[nodiscard]] absl::Status MarkRead(int64_t user_id, int64_t id);
  // Marks all read; returns how many were unread.
  [[nodiscard]] absl::StatusOr<int64_t> MarkAllRead(int64_t user_id);

 private:
  store::Database& db_;
  core::Clock& clock_;
};

}  // namespace carepost::domain
