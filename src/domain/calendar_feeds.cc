#include "domain/calendar_feeds.h"

#include <nlohmann/json.hpp>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/internal/crypto.h"

namespace carepost::domain {

namespace {

constexpr size_t kTokenBytes = 32;
constexpr char kNoFeed[] = "no calendar feed at this address";

AuditEntry FeedEntry(const Caller& caller, std::string_view action) {
  AuditEntry e = EntryFor(caller.actor, action);
  e.organization_id = caller.organization_id;
  e.record_type = "calendar_feed";
  e.record_id = core::Cat(caller.user_id());
  return e;
}

}  // namespace

CalendarFeedService::CalendarFeedService(store::Database& db, core::Clock& clock, AuditLog& audit)
    : db_(db), clock_(clock), audit_(audit) {}

absl::StatusOr<std::string> CalendarFeedService::Issue(const Caller& caller) {
  const std::string raw = internal::RandomBytes(kTokenBytes);
  const std::string hash = internal::Sha256(raw);
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    ASSIGN_OR_RETURN(int64_t removed, tx.Execute("DELETE FROM calendar_feeds WHERE user_id = $1",
                                                 {caller.user_id()}));
    RETURN_IF_ERROR(tx.Execute("INSERT INTO calendar_feeds (user_id, token_hash, created_at) "
                               "VALUES ($1, $2, $3)",
                               {caller.user_id(), store::Blob{hash}, now})
                        .status());
    return audit_
        .AppendInTx(
            tx, FeedEntry(caller, removed > 0 ? "calendar_feed.rotate" : "calendar_feed.create"))
        .status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return internal::ToBase64Url(raw);
}

absl::Status CalendarFeedService::Revoke(const Caller& caller) {
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t removed, tx.Execute("DELETE FROM calendar_feeds WHERE user_id = $1",
                                                 {caller.user_id()}));
    if (removed == 0) return absl::OkStatus();
    return audit_.AppendInTx(tx, FeedEntry(caller, "calendar_feed.revoke")).status();
  }));
  return audit_.FlushCheckpoints();
}

absl::StatusOr<std::optional<CalendarFeed>> CalendarFeedService::Get(const Caller& caller) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db_.Query("SELECT created_at, last_used_at FROM calendar_feeds "
                             "WHERE user_id = $1",
                             {caller.user_id()}));
  if (rows.empty()) return std::optional<CalendarFeed>();
  CalendarFeed feed;
  ASSIGN_OR_RETURN(int64_t created, rows[0].GetInt64("created_at"));
  feed.created_at = absl::FromUnixMicros(created);
  ASSIGN_OR_RETURN(bool never_used, rows[0].IsNull("last_used_at"));
  if (!never_used) {
    ASSIGN_OR_RETURN(int64_t used, rows[0].GetInt64("last_used_at"));
    feed.last_used_at = absl::FromUnixMicros(used);
  }
  return std::optional<CalendarFeed>(feed);
}

absl::StatusOr<FeedOwner> CalendarFeedService::Resolve(std::string_view token) {
  absl::StatusOr<std::string> raw = internal::FromBase64Url(token);
  if (!raw.ok() || raw->size() != kTokenBytes) return absl::NotFoundError(kNoFeed);
  const std::string hash = internal::Sha256(*raw);
  ASSIGN_OR_RETURN(store::Rows rows,
                   db_.Query("SELECT u.id, u.organization_id, u.email FROM calendar_feeds f "
                             "JOIN users u ON u.id = f.user_id "
                             "WHERE f.token_hash = $1 AND u.disabled_at IS NULL",
                             {store::Blob{hash}}));
  if (rows.empty()) return absl::NotFoundError(kNoFeed);
  FeedOwner owner;
  ASSIGN_OR_RETURN(owner.user_id, rows[0].GetInt64("id"));
  ASSIGN_OR_RETURN(owner.organization_id, rows[0].GetInt64("organization_id"));
  ASSIGN_OR_RETURN(owner.email, rows[0].GetText("email"));
  RETURN_IF_ERROR(db_.Execute("UPDATE calendar_feeds SET last_used_at = $1 WHERE token_hash = $2",
                              {absl::ToUnixMicros(clock_.Now()), store::Blob{hash}})
                      .status());
  return owner;
}

absl::StatusOr<bool> CalendarFeedService::IncludeText(int64_t organization_id) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      db_.Query("SELECT calendar_feed_text FROM organizations WHERE id = $1", {organization_id}));
  if (rows.empty())
    return absl::NotFoundError(core::Cat("no organization with id ", organization_id));
  ASSIGN_OR_RETURN(int64_t v, rows[0].GetInt64("calendar_feed_text"));
  return v != 0;
}

absl::Status CalendarFeedService::SetIncludeText(const Caller& caller, bool include_text) {
  if (!caller.Can("org.manage", 0)) {
    return absl::PermissionDeniedError(
        "your roles do not allow changing the organization's settings (org.manage)");
  }
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Execute("UPDATE organizations SET calendar_feed_text = $1 WHERE id = $2",
                               {include_text ? 1 : 0, caller.organization_id})
                        .status());
    AuditEntry e = EntryFor(caller.actor, "organization.calendar_feed_text");
    e.organization_id = caller.organization_id;
    e.record_type = "organization";
    e.record_id = core::Cat(caller.organization_id);
    e.details = nlohmann::json{{"include_text", include_text}}.dump();
    return audit_.AppendInTx(tx, e).status();
  }));
  return audit_.FlushCheckpoints();
}

}  // namespace carepost::domain
