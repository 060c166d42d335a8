#include "domain/notifications.h"

#include "core/status_macros.h"
#include "core/strings.h"

namespace carepost::domain {

namespace {

absl::StatusOr<Notification> FromRow(const store::Row& row) {
  Notification n;
  ASSIGN_OR_RETURN(n.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(n.user_id, row.GetInt64("user_id"));
  ASSIGN_OR_RETURN(n.kind, row.GetText("kind"));
  ASSIGN_OR_RETURN(bool no_post, row.IsNull("post_id"));
  if (!no_post) {
    ASSIGN_OR_RETURN(int64_t post, row.GetInt64("post_id"));
    n.post_id = post;
  }
  ASSIGN_OR_RETURN(n.message, row.GetText("message"));
  ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
  n.created_at = absl::FromUnixMicros(created);
  ASSIGN_OR_RETURN(bool unread, row.IsNull("read_at"));
  if (!unread) {
    ASSIGN_OR_RETURN(int64_t read, row.GetInt64("read_at"));
    n.read_at = absl::FromUnixMicros(read);
  }
  return n;
}

}  // namespace

absl::Status NotifyInTx(store::Tx& tx, int64_t user_id, std::string_view kind,
                        std::optional<int64_t> post_id, std::string_view message, absl::Time now) {
  return tx
      .Execute(
          "INSERT INTO notifications (user_id, kind, post_id, message, created_at) "
          "VALUES ($1, $2, $3, $4, $5)",
          {user_id, kind, post_id, message, absl::ToUnixMicros(now)})
      .status();
}

NotificationService::NotificationService(store::Database& db, core::Clock& clock)
    : db_(db), clock_(clock) {}

absl::StatusOr<std::vector<Notification>> NotificationService::List(
    int64_t user_id, const NotificationQuery& query) {
  std::string sql =
      "SELECT id, user_id, kind, post_id, message, created_at, read_at FROM notifications "
      "WHERE user_id = $1 AND ($2 = 0 OR id < $2)";
  if (query.unread_only) sql += " AND read_at IS NULL";
  sql += " ORDER BY id DESC LIMIT $3";
  ASSIGN_OR_RETURN(store::Rows rows, db_.Query(sql, {user_id, query.before_id, query.limit}));
  std::vector<Notification> out;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(Notification n, FromRow(row));
    out.push_back(std::move(n));
  }
  return out;
}

absl::StatusOr<int64_t> NotificationService::UnreadCount(int64_t user_id) {
  ASSIGN_OR_RETURN(store::Row row, db_.QueryRow("SELECT COUNT(*) AS n FROM notifications "
                                                "WHERE user_id = $1 AND read_at IS NULL",
                                                {user_id}));
  return row.GetInt64("n");
}

absl::Status NotificationService::MarkRead(int64_t user_id, int64_t id) {
  ASSIGN_OR_RETURN(store::Rows rows, db_.Query("SELECT read_at FROM notifications WHERE id = $1 "
                                               "AND user_id = $2",
                                               {id, user_id}));
  if (rows.empty()) return absl::NotFoundError(core::Cat("no notification with id ", id));
  return db_
      .Execute("UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at IS NULL",
               {absl::ToUnixMicros(clock_.Now()), id})
      .status();
}

absl::StatusOr<int64_t> NotificationService::MarkAllRead(int64_t user_id) {
  return db_.Execute("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
                     {absl::ToUnixMicros(clock_.Now()), user_id});
}

}  // namespace carepost::domain
