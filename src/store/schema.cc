// carepost's schema, as migrations. Released migrations are never edited: add one.
//
// Conventions: ids are int64 assigned by the database (never inserted by hand);
// timestamps are int64 microseconds since the Unix epoch, UTC, in columns named *_at;
// hashes, keys and ciphertext are blobs; optional values are NULL, optional text is ''.
// No table holds PHI in a column meant for it: audit details and idempotent responses
// are written by code that keeps PHI out.
#include <string>
#include <string_view>
#include <vector>

#include "store/migrations.h"

namespace carepost::store {

namespace {

// Replaces every `from` in `s` by `to`.
std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

// A DDL statement whose column types differ by dialect: {id} is the primary key the
// database assigns, {blob} the bytes type.
MigrationStatement Ddl(std::string_view text) {
  std::string sqlite =
      ReplaceAll(std::string(text), "{id}", "id INTEGER PRIMARY KEY AUTOINCREMENT");
  std::string postgres =
      ReplaceAll(std::string(text), "{id}", "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
  return MigrationStatement{.sqlite = ReplaceAll(std::move(sqlite), "{blob}", "BLOB"),
                            .postgres = ReplaceAll(std::move(postgres), "{blob}", "BYTEA")};
}

MigrationStatement Sql(std::string_view text) {
  return MigrationStatement{.sql = std::string(text)};
}

Migration AccountsAndAudit() {
  return Migration{
      .version = 1,
      .name = "accounts_and_audit",
      .statements = {
          // A health system.
          Ddl("CREATE TABLE organizations ("
              " {id},"
              " name TEXT NOT NULL,"
              " slug TEXT NOT NULL UNIQUE,"
              " time_zone TEXT NOT NULL DEFAULT 'UTC',"  // IANA zone; schedules default to it
              " created_at BIGINT NOT NULL)"),
          // A brand or department of an organization (Cardiology, the children's hospital).
          Ddl("CREATE TABLE brands ("
              " {id},"
              " organization_id BIGINT NOT NULL REFERENCES organizations (id),"
              " name TEXT NOT NULL,"
              " slug TEXT NOT NULL,"
              " created_at BIGINT NOT NULL,"
              " UNIQUE (organization_id, slug))"),
          // A person who signs in. email is stored lower-cased by the caller.
          // password_hash is libsodium's argon2id string ('' for single-sign-on only).
          Ddl("CREATE TABLE users ("
              " {id},"
              " organization_id BIGINT NOT NULL REFERENCES organizations (id),"
              " email TEXT NOT NULL UNIQUE,"
              " display_name TEXT NOT NULL DEFAULT '',"
              " password_hash TEXT NOT NULL,"
              " created_at BIGINT NOT NULL,"
              " disabled_at BIGINT)"),
          // A role (admin, manager, author, clinical_reviewer, compliance, responder,
          // analyst) granted to a user for one brand. The permission table in code
          // decides what a role may do; the database does not restrict role names.
          Ddl("CREATE TABLE role_grants ("
              " user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              " brand_id BIGINT NOT NULL REFERENCES brands (id) ON DELETE CASCADE,"
              " role TEXT NOT NULL,"
              " granted_at BIGINT NOT NULL,"
              " granted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " PRIMARY KEY (user_id, brand_id, role))"),
          Sql("CREATE INDEX role_grants_by_brand ON role_grants (brand_id)"),
          // A signed-in session. The cookie holds a random token; only its SHA-256 is
          // kept. Idle expiry is last_seen_at + the idle limit; expires_at is absolute.
          Ddl("CREATE TABLE sessions ("
              " token_hash {blob} PRIMARY KEY,"
              " user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              " created_at BIGINT NOT NULL,"
              " last_seen_at BIGINT NOT NULL,"
              " expires_at BIGINT NOT NULL,"
              " from_address TEXT NOT NULL DEFAULT '',"
              " user_agent TEXT NOT NULL DEFAULT '')"),
          Sql("CREATE INDEX sessions_by_user ON sessions (user_id)"),
          Sql("CREATE INDEX sessions_by_expiry ON sessions (expires_at)"),
          // The append-only, hash-chained audit trail. seq is 1, 2, 3, ... assigned by
          // the writer (no gaps, unlike an identity); hash covers prev_hash and every
          // other column. actor is who it was at the time (no foreign key: the trail
          // outlives users). details is JSON without PHI, kept as TEXT so the hashed
          // bytes come back exactly.
          Ddl("CREATE TABLE audit_events ("
              " seq BIGINT PRIMARY KEY,"
              " prev_hash {blob} NOT NULL,"
              " hash {blob} NOT NULL,"
              " at BIGINT NOT NULL,"
              " organization_id BIGINT,"
              " actor_user_id BIGINT,"
              " actor TEXT NOT NULL,"
              " action TEXT NOT NULL,"
              " record_type TEXT NOT NULL DEFAULT '',"
              " record_id TEXT NOT NULL DEFAULT '',"
              " from_address TEXT NOT NULL DEFAULT '',"
              " details TEXT NOT NULL DEFAULT '{}')"),
          Sql("CREATE INDEX audit_events_by_time ON audit_events (at)"),
          Sql("CREATE INDEX audit_events_by_record ON audit_events (record_type, record_id)"),
          Sql("CREATE INDEX audit_events_by_actor ON audit_events (actor_user_id)"),
          // A signed statement that the chain had `seq` events ending in head_hash:
          // signature is an HMAC with the server key (also written outside the
          // database), so a cut tail or a chain rebuilt from scratch is detected.
          Ddl("CREATE TABLE audit_checkpoints ("
              " seq BIGINT PRIMARY KEY,"
              " head_hash {blob} NOT NULL,"
              " signature {blob} NOT NULL,"
              " at BIGINT NOT NULL)"),
          // Idempotency-Key handling for POST: the first request's response is replayed;
          // the same key with another request (request_hash) is refused. response_status
          // is NULL while the first request is still running.
          Ddl("CREATE TABLE idempotency_keys ("
              " user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              " idempotency_key TEXT NOT NULL,"
              " method TEXT NOT NULL,"
              " path TEXT NOT NULL,"
              " request_hash {blob} NOT NULL,"
              " response_status BIGINT,"
              " response_body {blob},"
              " created_at BIGINT NOT NULL,"
              " expires_at BIGINT NOT NULL,"
              " PRIMARY KEY (user_id, idempotency_key))"),
          Sql("CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at)"),
          // Secrets later features keep (platform tokens), sealed with libsodium
          // secretbox under the server key named key_id (so keys can be rotated).
          Ddl("CREATE TABLE secrets ("
              " name TEXT PRIMARY KEY,"
              " key_id TEXT NOT NULL,"
              " nonce {blob} NOT NULL,"
              " ciphertext {blob} NOT NULL,"
              " created_at BIGINT NOT NULL,"
              " updated_at BIGINT NOT NULL)"),
      }};
}

Migration OrganizationRoleGrants() {
  return Migration{
      .version = 2,
      .name = "organization_role_grants",
      .statements = {
          // A role granted to a user for the whole organization (every brand, and the
          // organization-scoped actions such as users.manage and audit.read). Per-brand
          // grants stay in role_grants.
          Ddl("CREATE TABLE organization_role_grants ("
              " user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              " role TEXT NOT NULL,"
              " granted_at BIGINT NOT NULL,"
              " granted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " PRIMARY KEY (user_id, role))"),
      }};
}

Migration CampaignsAndPosts() {
  return Migration{
      .version = 3,
      .name = "campaigns_and_posts",
      .statements = {
          // A campaign of one brand (flu shots, Heart Month, a careers push). type is one
          // of awareness, seasonal, misinformation_response, careers, event, series,
          // other; dates are calendar days 'YYYY-MM-DD' ('' when open); tags a JSON list
          // of strings; utm_campaign the utm_campaign value added to the posts' links.
          Ddl("CREATE TABLE campaigns ("
              " {id},"
              " organization_id BIGINT NOT NULL REFERENCES organizations (id),"
              " brand_id BIGINT NOT NULL REFERENCES brands (id),"
              " name TEXT NOT NULL,"
              " type TEXT NOT NULL,"
              " goal TEXT NOT NULL DEFAULT '',"
              " start_date TEXT NOT NULL DEFAULT '',"
              " end_date TEXT NOT NULL DEFAULT '',"
              " owner_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " tags TEXT NOT NULL DEFAULT '[]',"
              " observance_key TEXT NOT NULL DEFAULT '',"
              " utm_campaign TEXT NOT NULL DEFAULT '',"
              " created_at BIGINT NOT NULL,"
              " updated_at BIGINT NOT NULL)"),
          Sql("CREATE INDEX campaigns_by_brand ON campaigns (brand_id, id)"),
          // A post: its workflow state and the current revision. status is draft,
          // in_review, approved, scheduled, cancelled (publishing, published and failed
          // are reserved for publishing). scheduled_at is the UTC instant, time_zone the
          // IANA zone it was planned in ('' while unscheduled).
          Ddl("CREATE TABLE posts ("
              " {id},"
              " organization_id BIGINT NOT NULL REFERENCES organizations (id),"
              " brand_id BIGINT NOT NULL REFERENCES brands (id),"
              " campaign_id BIGINT REFERENCES campaigns (id),"
              " author_user_id BIGINT NOT NULL REFERENCES users (id),"
              " status TEXT NOT NULL,"
              " revision BIGINT NOT NULL,"
              " scheduled_at BIGINT,"
              " time_zone TEXT NOT NULL DEFAULT '',"
              " created_at BIGINT NOT NULL,"
              " updated_at BIGINT NOT NULL)"),
          Sql("CREATE INDEX posts_by_brand ON posts (brand_id, id)"),
          Sql("CREATE INDEX posts_by_campaign ON posts (campaign_id)"),
          Sql("CREATE INDEX posts_by_schedule ON posts (scheduled_at)"),
          // Every revision of a post's content, kept so a reviewer sees what changed.
          // findings is the guard's findings as JSON (for display); required_approvals
          // the approvals the findings call for (comma-separated role names); blocked is
          // 1 when a finding blocks. A revision is frozen once submitted (submitted_at).
          Ddl("CREATE TABLE post_revisions ("
              " post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,"
              " revision BIGINT NOT NULL,"
              " master_text TEXT NOT NULL,"
              " findings TEXT NOT NULL DEFAULT '{}',"
              " required_approvals TEXT NOT NULL DEFAULT '',"
              " blocked BIGINT NOT NULL DEFAULT 0,"
              " edited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " created_at BIGINT NOT NULL,"
              " submitted_at BIGINT,"
              " PRIMARY KEY (post_id, revision))"),
          // One platform's version of a revision ('' body: the master text). hashtags is
          // a JSON list of strings without '#'.
          Ddl("CREATE TABLE post_variants ("
              " post_id BIGINT NOT NULL,"
              " revision BIGINT NOT NULL,"
              " platform TEXT NOT NULL,"
              " body TEXT NOT NULL DEFAULT '',"
              " link TEXT NOT NULL DEFAULT '',"
              " first_comment TEXT NOT NULL DEFAULT '',"
              " hashtags TEXT NOT NULL DEFAULT '[]',"
              " PRIMARY KEY (post_id, revision, platform),"
              " FOREIGN KEY (post_id, revision) REFERENCES post_revisions (post_id, revision)"
              " ON DELETE CASCADE)"),
          // An approval of one revision: approval is the role that gave it (manager,
          // clinical_reviewer, compliance).
          Ddl("CREATE TABLE post_approvals ("
              " post_id BIGINT NOT NULL,"
              " revision BIGINT NOT NULL,"
              " approval TEXT NOT NULL,"
              " user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " created_at BIGINT NOT NULL,"
              " PRIMARY KEY (post_id, revision, approval),"
              " FOREIGN KEY (post_id, revision) REFERENCES post_revisions (post_id, revision)"
              " ON DELETE CASCADE)"),
          // A compliance officer's override of a revision's guard block, with the reason.
          Ddl("CREATE TABLE post_overrides ("
              " post_id BIGINT NOT NULL,"
              " revision BIGINT NOT NULL,"
              " user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " reason TEXT NOT NULL,"
              " created_at BIGINT NOT NULL,"
              " PRIMARY KEY (post_id, revision),"
              " FOREIGN KEY (post_id, revision) REFERENCES post_revisions (post_id, revision)"
              " ON DELETE CASCADE)"),
          // Review conversation on a post. kind: comment, request_changes, override.
          Ddl("CREATE TABLE post_comments ("
              " {id},"
              " post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,"
              " revision BIGINT NOT NULL,"
              " user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " kind TEXT NOT NULL,"
              " body TEXT NOT NULL,"
              " created_at BIGINT NOT NULL)"),
          Sql("CREATE INDEX post_comments_by_post ON post_comments (post_id, id)"),
          // In-app notifications. message is written by carepost (ids and names of
          // people, never post text).
          Ddl("CREATE TABLE notifications ("
              " {id},"
              " user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              " kind TEXT NOT NULL,"
              " post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,"
              " message TEXT NOT NULL,"
              " created_at BIGINT NOT NULL,"
              " read_at BIGINT)"),
          Sql("CREATE INDEX notifications_by_user ON notifications (user_id, id)"),
      }};
}

Migration CalendarFeeds() {
  return Migration{
      .version = 4,
      .name = "calendar_feeds",
      .statements = {
          // A user's iCalendar subscription (GET /calendar/feed/{token}.ics): one per user.
          // The URL holds a random token; only its SHA-256 is kept, so a copy of the
          // database does not give anyone the feeds. last_used_at: the latest fetch.
          Ddl("CREATE TABLE calendar_feeds ("
              " user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,"
              " token_hash {blob} NOT NULL UNIQUE,"
              " created_at BIGINT NOT NULL,"
              " last_used_at BIGINT)"),
          // The organization's choice to put post text in calendar feeds (0: campaign,
          // platforms and time only; calendar providers sign no HIPAA BAA).
          Sql("ALTER TABLE organizations ADD COLUMN calendar_feed_text BIGINT NOT NULL "
              "DEFAULT 0"),
      }};
}

// Uploaded media and their use in posts.
Migration Media() {
  return Migration{
      .version = 5,
      .name = "media",
      .statements = {
          // An uploaded image or video of a brand, as stored: its metadata removed
          // (metadata_stripped 1; video 0 until MP4/MOV stripping lands), the bytes in the
          // media store under sha256 (hex). content_type is the type sniffed from the
          // content; width/height are pixels (NULL for video); original_filename is the
          // sanitized name (it may still name a patient: never logged).
          Ddl("CREATE TABLE media ("
              " {id},"
              " organization_id BIGINT NOT NULL REFERENCES organizations (id),"
              " brand_id BIGINT NOT NULL REFERENCES brands (id),"
              " uploaded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " sha256 TEXT NOT NULL,"
              " content_type TEXT NOT NULL,"
              " bytes BIGINT NOT NULL,"
              " width BIGINT,"
              " height BIGINT,"
              " metadata_stripped BIGINT NOT NULL DEFAULT 0,"
              " original_filename TEXT NOT NULL DEFAULT '',"
              " created_at BIGINT NOT NULL)"),
          Sql("CREATE INDEX media_by_brand ON media (brand_id, id)"),
          Sql("CREATE INDEX media_by_sha256 ON media (sha256)"),
          // Media attached to a revision of a post, in order (position 0, 1, ...), with
          // its alt text (required) and the platforms it goes to: a JSON list of platform
          // names, [] for every platform of the post.
          Ddl("CREATE TABLE post_media ("
              " post_id BIGINT NOT NULL,"
              " revision BIGINT NOT NULL,"
              " position BIGINT NOT NULL,"
              " media_id BIGINT NOT NULL REFERENCES media (id),"
              " alt_text TEXT NOT NULL,"
              " platforms TEXT NOT NULL DEFAULT '[]',"
              " PRIMARY KEY (post_id, revision, position),"
              " FOREIGN KEY (post_id, revision) REFERENCES post_revisions (post_id, revision)"
              " ON DELETE CASCADE)"),
          Sql("CREATE INDEX post_media_by_media ON post_media (media_id)"),
      }};
}

// The calendar asks for a brand's (or the organization's) posts in a time range; these
// serve that without reading every post of the brand.
Migration PostsBySchedule() {
  return Migration{
      .version = 6,
      .name = "posts_by_schedule",
      .statements = {
          Sql("CREATE INDEX posts_by_brand_schedule ON posts (brand_id, scheduled_at)"),
          Sql("CREATE INDEX posts_by_organization_schedule ON posts (organization_id, "
              "scheduled_at)"),
      }};
}

// Inline review comments: a comment may point at a span of one text of one revision
// (domain/comment_anchor.h). All NULL for a comment about the whole post.
Migration CommentAnchors() {
  return Migration{.version = 7,
                   .name = "comment_anchors",
                   .statements = {
                       Sql("ALTER TABLE post_comments ADD COLUMN anchor_revision BIGINT"),
                       Sql("ALTER TABLE post_comments ADD COLUMN anchor_field TEXT"),
                       Sql("ALTER TABLE post_comments ADD COLUMN anchor_start BIGINT"),
                       Sql("ALTER TABLE post_comments ADD COLUMN anchor_end BIGINT"),
                   }};
}

// Patient HIPAA authorizations (domain/patient_authorizations.h) and the posts relying
// on them; per-brand routing rules (domain/routing_rules.h).
Migration PatientAuthorizations() {
  return Migration{
      .version = 8,
      .name = "patient_authorizations_and_routing_rules",
      .statements = {
          // One patient's signed authorization for a brand. sealed: the patient's name,
          // details, scope and revocation reason, sealed with the server's patient-data
          // key (key_id: its fingerprint). form_key: the signed form, sealed too, in the
          // media store (NULL until attached). expiry_processed_at: when the sweep pulled
          // back the posts relying on it after it expired.
          Ddl("CREATE TABLE patient_authorizations ("
              " {id},"
              " organization_id BIGINT NOT NULL REFERENCES organizations (id),"
              " brand_id BIGINT NOT NULL REFERENCES brands (id),"
              " sealed {blob} NOT NULL,"
              " key_id TEXT NOT NULL,"
              " expires_at BIGINT NOT NULL,"
              " form_key TEXT,"
              " form_type TEXT,"
              " form_bytes BIGINT,"
              " form_uploaded_at BIGINT,"
              " recorded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " created_at BIGINT NOT NULL,"
              " revoked_at BIGINT,"
              " revoked_by BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " expiry_processed_at BIGINT)"),
          Sql("CREATE INDEX patient_authorizations_by_brand ON patient_authorizations "
              "(brand_id, id)"),
          Sql("CREATE INDEX patient_authorizations_by_expiry ON patient_authorizations "
              "(expires_at)"),
          // The uploaded media that show the patient.
          Ddl("CREATE TABLE patient_authorization_media ("
              " authorization_id BIGINT NOT NULL REFERENCES patient_authorizations (id)"
              " ON DELETE CASCADE,"
              " media_id BIGINT NOT NULL REFERENCES media (id),"
              " PRIMARY KEY (authorization_id, media_id))"),
          // The authorizations a revision of a post names, in order; relied = 1 when a
          // finding of that revision was downgraded because of it.
          Ddl("CREATE TABLE post_authorizations ("
              " post_id BIGINT NOT NULL,"
              " revision BIGINT NOT NULL,"
              " position BIGINT NOT NULL,"
              " authorization_id BIGINT NOT NULL REFERENCES patient_authorizations (id),"
              " relied BIGINT NOT NULL DEFAULT 0,"
              " PRIMARY KEY (post_id, revision, authorization_id),"
              " FOREIGN KEY (post_id, revision) REFERENCES post_revisions (post_id, revision)"
              " ON DELETE CASCADE)"),
          Sql("CREATE INDEX post_authorizations_by_authorization ON post_authorizations "
              "(authorization_id)"),
          // A brand's routing rules (domain/routing_rules.h) as JSON: which approvals its
          // posts need beyond what the guard's findings call for.
          Ddl("CREATE TABLE brand_routing_rules ("
              " brand_id BIGINT PRIMARY KEY REFERENCES brands (id) ON DELETE CASCADE,"
              " rules TEXT NOT NULL,"
              " updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,"
              " updated_at BIGINT NOT NULL)"),
      }};
}

// Recurring series of posts ("every weekday 9:00 America/Los_Angeles"): the rule in
// local wall time plus the zone it was planned in, the template every occurrence starts
// from, and the link from each materialized occurrence (an ordinary post) back to it.
Migration Series() {
  return Migration{
      .version = 9,
      .name = "series",
      .statements = {
          // frequency: daily, weekly, monthly_by_day, monthly_by_weekday; weekdays a
          // comma-separated list of 0..6 (Sunday = 0, as core::Weekday); local_time "HH:MM";
          // start_date,
          // until_date "YYYY-MM-DD" (until '' for none); occurrence_count NULL for no
          // limit. variants is the template's per-platform variants as JSON (the post
          // variant fields). materialized_until: occurrences before this instant exist as
          // posts. status: active, ended.
          Ddl("CREATE TABLE series ("
              " {id},"
              " organization_id BIGINT NOT NULL REFERENCES organizations (id),"
              " brand_id BIGINT NOT NULL REFERENCES brands (id),"
              " campaign_id BIGINT REFERENCES campaigns (id),"
              " created_by BIGINT NOT NULL REFERENCES users (id),"
              " status TEXT NOT NULL,"
              " frequency TEXT NOT NULL,"
              " repeat_interval BIGINT NOT NULL,"
              " weekdays TEXT NOT NULL DEFAULT '',"
              " month_day BIGINT NOT NULL DEFAULT 0,"
              " week_ordinal BIGINT NOT NULL DEFAULT 0,"
              " weekday BIGINT NOT NULL DEFAULT 0,"
              " local_time TEXT NOT NULL,"
              " time_zone TEXT NOT NULL,"
              " start_date TEXT NOT NULL,"
              " until_date TEXT NOT NULL DEFAULT '',"
              " occurrence_count BIGINT,"
              " master_text TEXT NOT NULL,"
              " variants TEXT NOT NULL DEFAULT '[]',"
              " materialized_until BIGINT NOT NULL DEFAULT 0,"
              " created_at BIGINT NOT NULL,"
              " updated_at BIGINT NOT NULL,"
              " ended_at BIGINT)"),
          Sql("CREATE INDEX series_by_brand ON series (brand_id, id)"),
          // The series' zone from a local date on (from_date "YYYY-MM-DD").
          Ddl("CREATE TABLE series_zone_changes ("
              " series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,"
              " from_date TEXT NOT NULL,"
              " time_zone TEXT NOT NULL,"
              " PRIMARY KEY (series_id, from_date))"),
          // An occurrence: series_date is its local date; series_state linked (follows
          // the series), detached (edited on its own: "this post only") or replaced (a
          // change of the series superseded it); series_note the DST resolution text
          // when the local time had to be resolved ('' otherwise).
          Sql("ALTER TABLE posts ADD COLUMN series_id BIGINT REFERENCES series (id)"),
          Sql("ALTER TABLE posts ADD COLUMN series_date TEXT NOT NULL DEFAULT ''"),
          Sql("ALTER TABLE posts ADD COLUMN series_state TEXT NOT NULL DEFAULT ''"),
          Sql("ALTER TABLE posts ADD COLUMN series_note TEXT NOT NULL DEFAULT ''"),
          // One live occurrence per series and local date.
          Sql("CREATE UNIQUE INDEX posts_by_series_date ON posts (series_id, series_date) "
              "WHERE series_id IS NOT NULL AND series_state <> 'replaced'"),
      }};
}

// Publishing (issue 5): the platform accounts a brand publishes to and the outbox of
// publish jobs, one per (post, account), written in the transaction that schedules the
// post and worked by the dispatcher (src/dispatch/).
Migration PublishingOutbox() {
  return Migration{
      .version = 10,
      .name = "publishing_outbox",
      .statements = {
          // A connected account. credentials is a SecretBox-sealed JSON object (tokens,
          // app password); base_url the platform's API root. status is active, paused
          // (status_reason says why: an expired token, a team's pause) or revoked.
          Ddl("CREATE TABLE platform_accounts ("
              " {id},"
              " organization_id BIGINT NOT NULL REFERENCES organizations (id),"
              " brand_id BIGINT NOT NULL REFERENCES brands (id),"
              " platform TEXT NOT NULL,"
              " handle TEXT NOT NULL,"
              " base_url TEXT NOT NULL,"
              " credentials {blob} NOT NULL,"
              " token_expires_at BIGINT,"
              " status TEXT NOT NULL,"
              " status_reason TEXT NOT NULL DEFAULT '',"
              " created_at BIGINT NOT NULL,"
              " updated_at BIGINT NOT NULL)"),
          Sql("CREATE INDEX platform_accounts_by_brand ON platform_accounts (brand_id, id)"),
          // One job per (post, account). status: pending, claimed, published, failed,
          // cancelled. A claim sets claim_token and lease_until; a job whose lease ran out
          // is claimed again. maybe_sent is 1 once an attempt may have reached the
          // platform without carepost learning the outcome: the next attempt looks for the
          // post (client_reference) before publishing again. last_error is the
          // connector's message for the author (no tokens, no post text).
          Ddl("CREATE TABLE publish_jobs ("
              " {id},"
              " post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,"
              " account_id BIGINT NOT NULL REFERENCES platform_accounts (id),"
              " platform TEXT NOT NULL,"
              " client_reference TEXT NOT NULL UNIQUE,"
              " status TEXT NOT NULL,"
              " due_at BIGINT NOT NULL,"
              " next_attempt_at BIGINT NOT NULL,"
              " attempts BIGINT NOT NULL DEFAULT 0,"
              " claim_token TEXT NOT NULL DEFAULT '',"
              " lease_until BIGINT NOT NULL DEFAULT 0,"
              " maybe_sent BIGINT NOT NULL DEFAULT 0,"
              " last_error TEXT NOT NULL DEFAULT '',"
              " platform_post_id TEXT NOT NULL DEFAULT '',"
              " url TEXT NOT NULL DEFAULT '',"
              " created_at BIGINT NOT NULL,"
              " updated_at BIGINT NOT NULL,"
              " published_at BIGINT,"
              " UNIQUE (post_id, account_id))"),
          Sql("CREATE INDEX publish_jobs_due ON publish_jobs (status, next_attempt_at)"),
          Sql("CREATE INDEX publish_jobs_by_account ON publish_jobs (account_id, status)"),
      }};
}

}  // namespace

const std::vector<Migration>& CarepostMigrations() {
  static const std::vector<Migration>* const kMigrations = new std::vector<Migration>{
      AccountsAndAudit(), OrganizationRoleGrants(), CampaignsAndPosts(), CalendarFeeds(), Media(),
      PostsBySchedule(),  CommentAnchors(),         PatientAuthorizations(), Series(),
      PublishingOutbox()};
  return *kMigrations;
}

}  // namespace carepost::store
