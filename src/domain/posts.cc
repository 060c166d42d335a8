#include "domain/posts.h"

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/status_macros.h"
#include "core/strings.h"
#include "core/zoned_time.h"
#include "domain/campaigns.h"
#include "domain/comment_anchor.h"
#include "domain/internal/plan_common.h"
#include "domain/notifications.h"
#include "domain/patient_authorizations.h"
#include "domain/post_media.h"
#include "domain/routing_rules.h"

namespace carepost::domain {

namespace {

using nlohmann::json;

constexpr std::array<Approval, 3> kApprovals = {Approval::kManager, Approval::kClinicalReviewer,
                                                Approval::kCompliance};
constexpr std::array<std::string_view, 3> kApprovalNames = {"manager", "clinical_reviewer",
                                                            "compliance"};
constexpr std::array<std::string_view, 3> kApprovalPermissions = {
    "posts.approve", "posts.review_clinical", "posts.review_compliance"};

constexpr size_t kMaxText = 64 << 10;
constexpr size_t kMaxLink = 2048;
constexpr size_t kMaxHashtags = 30;
constexpr size_t kMaxComment = 4000;

constexpr char kPostColumns[] =
    "p.id, p.organization_id, p.brand_id, p.campaign_id, p.author_user_id, p.status, "
    "p.revision, p.scheduled_at, p.time_zone, p.created_at, p.updated_at, r.master_text, "
    "r.findings, r.required_approvals, r.blocked, r.edited_by, p.series_id, p.series_date, "
    "p.series_state, p.series_note";
// The same without the findings, which a calendar does not draw and which are the
// largest column.
constexpr char kSummaryColumns[] =
    "p.id, p.organization_id, p.brand_id, p.campaign_id, p.author_user_id, p.status, "
    "p.revision, p.scheduled_at, p.time_zone, p.created_at, p.updated_at, r.master_text, "
    "'{}' AS findings, r.required_approvals, r.blocked, r.edited_by, p.series_id, "
    "p.series_date, p.series_state, p.series_note";

std::string RoutingText(const Routing& routing) {
  std::string out;
  for (Approval a : routing.required) {
    if (!out.empty()) out.push_back(',');
    out.append(ApprovalName(a));
  }
  return out;
}

Routing RoutingFromText(std::string_view text, bool blocked) {
  Routing r{.blocked = blocked};
  while (!text.empty()) {
    const size_t comma = text.find(',');
    if (std::optional<Approval> a = ParseApproval(text.substr(0, comma))) r.required.push_back(*a);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (r.required.empty()) r.required.push_back(Approval::kManager);
  return r;
}

using internal::OptionalInt;

absl::StatusOr<std::map<std::pair<int64_t, int64_t>, std::vector<int64_t>>> ReadPostAuthorizations(
    store::Executor& db, const std::vector<int64_t>& post_ids, bool current_only);

std::optional<absl::Time> OptionalTime(const store::Row& row, std::string_view column) {
  std::optional<int64_t> v = OptionalInt(row, column);
  if (!v) return std::nullopt;
  return absl::FromUnixMicros(*v);
}

absl::StatusOr<Variant> VariantFromRow(const store::Row& row) {
  Variant v;
  ASSIGN_OR_RETURN(v.platform, row.GetText("platform"));
  ASSIGN_OR_RETURN(v.text, row.GetText("body"));
  ASSIGN_OR_RETURN(v.link, row.GetText("link"));
  ASSIGN_OR_RETURN(v.first_comment, row.GetText("first_comment"));
  ASSIGN_OR_RETURN(std::string tags, row.GetText("hashtags"));
  ASSIGN_OR_RETURN(v.hashtags, internal::ParseJsonStringList("hashtags", tags));
  return v;
}

absl::StatusOr<Post> PostFromRow(const store::Row& row) {
  Post p;
  ASSIGN_OR_RETURN(p.id, row.GetInt64("id"));
  ASSIGN_OR_RETURN(p.organization_id, row.GetInt64("organization_id"));
  ASSIGN_OR_RETURN(p.brand_id, row.GetInt64("brand_id"));
  p.campaign_id = OptionalInt(row, "campaign_id");
  ASSIGN_OR_RETURN(p.author_user_id, row.GetInt64("author_user_id"));
  ASSIGN_OR_RETURN(std::string status, row.GetText("status"));
  std::optional<PostStatus> s = ParsePostStatus(status);
  if (!s) return absl::InternalError(core::Cat("post ", p.id, " has an unknown status"));
  p.status = *s;
  ASSIGN_OR_RETURN(p.revision, row.GetInt64("revision"));
  p.scheduled_at = OptionalTime(row, "scheduled_at");
  ASSIGN_OR_RETURN(p.time_zone, row.GetText("time_zone"));
  ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
  ASSIGN_OR_RETURN(int64_t updated, row.GetInt64("updated_at"));
  p.created_at = absl::FromUnixMicros(created);
  p.updated_at = absl::FromUnixMicros(updated);
  ASSIGN_OR_RETURN(p.content.master_text, row.GetText("master_text"));
  ASSIGN_OR_RETURN(p.findings_json, row.GetText("findings"));
  ASSIGN_OR_RETURN(std::string required, row.GetText("required_approvals"));
  ASSIGN_OR_RETURN(int64_t blocked, row.GetInt64("blocked"));
  p.routing = RoutingFromText(required, blocked != 0);
  p.edited_by = OptionalInt(row, "edited_by");
  p.series_id = OptionalInt(row, "series_id");
  ASSIGN_OR_RETURN(p.series_date, row.GetText("series_date"));
  ASSIGN_OR_RETURN(p.series_state, row.GetText("series_state"));
  ASSIGN_OR_RETURN(p.series_note, row.GetText("series_note"));
  return p;
}

// How much of a post LoadPosts reads: everything, or what a calendar draws (see
// PostQuery::summary_only).
enum class Depth { kFull, kSummary };

// Posts (with their current revision, variants, approvals and override) selected by
// `where` (over posts p), in id order.
absl::StatusOr<std::vector<Post>> LoadPosts(store::Executor& db, std::string_view where,
                                            std::vector<store::Value> params,
                                            std::string_view tail = " ORDER BY p.id",
                                            Depth depth = Depth::kFull) {
  const bool full = depth == Depth::kFull;
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query(core::Cat("SELECT ", full ? kPostColumns : kSummaryColumns,
                                      " FROM posts p JOIN post_revisions r ON r.post_id = p.id "
                                      "AND r.revision = p.revision WHERE ",
                                      where, tail),
                            params));
  std::vector<Post> posts;
  std::map<int64_t, size_t> index;
  std::vector<int64_t> ids;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(Post p, PostFromRow(row));
    index[p.id] = posts.size();
    ids.push_back(p.id);
    posts.push_back(std::move(p));
  }
  if (posts.empty()) return posts;
  const auto select = [&](std::string_view table, std::string_view columns) {
    std::vector<store::Value> in;
    std::string sql = core::Cat("SELECT t.post_id, ", columns, " FROM ", table,
                                " t JOIN posts p ON p.id = t.post_id AND p.revision = t.revision "
                                "WHERE 1 = 1");
    internal::AppendInList(&sql, &in, "t.post_id", ids);
    sql += " ORDER BY t.post_id";
    return db.Query(sql, in);
  };
  ASSIGN_OR_RETURN(store::Rows variants,
                   select("post_variants", full ? "t.platform, t.body, t.link, t.first_comment, "
                                                  "t.hashtags"
                                                : "t.platform"));
  for (const store::Row& row : variants) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("post_id"));
    Variant v;
    if (full) {
      ASSIGN_OR_RETURN(v, VariantFromRow(row));
    } else {
      ASSIGN_OR_RETURN(v.platform, row.GetText("platform"));
    }
    posts[index[id]].content.variants.push_back(std::move(v));
  }
  if (!full) {
    ASSIGN_OR_RETURN(store::Rows overridden, select("post_overrides", "t.user_id"));
    for (const store::Row& row : overridden) {
      ASSIGN_OR_RETURN(int64_t id, row.GetInt64("post_id"));
      posts[index[id]].override_ = OverrideRecord{};
    }
    for (Post& p : posts) {
      std::sort(p.content.variants.begin(), p.content.variants.end(),
                [](const Variant& a, const Variant& b) { return a.platform < b.platform; });
    }
    return posts;
  }
  ASSIGN_OR_RETURN(store::Rows approvals,
                   select("post_approvals", "t.approval, t.user_id, t.created_at"));
  for (const store::Row& row : approvals) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("post_id"));
    ASSIGN_OR_RETURN(std::string name, row.GetText("approval"));
    ASSIGN_OR_RETURN(int64_t at, row.GetInt64("created_at"));
    std::optional<Approval> a = ParseApproval(name);
    if (!a) continue;
    posts[index[id]].approvals.push_back({.approval = *a,
                                          .user_id = OptionalInt(row, "user_id").value_or(0),
                                          .at = absl::FromUnixMicros(at)});
  }
  ASSIGN_OR_RETURN(store::Rows overrides,
                   select("post_overrides", "t.user_id, t.reason, t.created_at"));
  for (const store::Row& row : overrides) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("post_id"));
    ASSIGN_OR_RETURN(std::string reason, row.GetText("reason"));
    ASSIGN_OR_RETURN(int64_t at, row.GetInt64("created_at"));
    posts[index[id]].override_ = OverrideRecord{.user_id = OptionalInt(row, "user_id").value_or(0),
                                                .reason = std::move(reason),
                                                .at = absl::FromUnixMicros(at)};
  }
  ASSIGN_OR_RETURN(PostMediaMap media, ReadPostMedia(db, ids, /*current_only=*/true));
  for (auto& [key, attachments] : media)
    posts[index[key.first]].content.media = std::move(attachments);
  ASSIGN_OR_RETURN(auto authorizations, ReadPostAuthorizations(db, ids, /*current_only=*/true));
  for (auto& [key, list] : authorizations)
    posts[index[key.first]].content.authorization_ids = std::move(list);
  for (Post& p : posts) {
    std::sort(p.content.variants.begin(), p.content.variants.end(),
              [](const Variant& a, const Variant& b) { return a.platform < b.platform; });
    std::sort(
        p.approvals.begin(), p.approvals.end(),
        [](const ApprovalRecord& a, const ApprovalRecord& b) { return a.approval < b.approval; });
  }
  return posts;
}

absl::StatusOr<Post> ReadPost(store::Executor& db, int64_t id) {
  ASSIGN_OR_RETURN(std::vector<Post> posts, LoadPosts(db, "p.id = $1", {id}));
  if (posts.empty()) return absl::NotFoundError(core::Cat("no post with id ", id));
  return std::move(posts[0]);
}

// The post when the caller may read it, else NotFound.
absl::StatusOr<Post> ReadVisible(store::Executor& db, const Caller& caller, int64_t id) {
  absl::StatusOr<Post> p = ReadPost(db, id);
  if (!p.ok() && p.status().code() != absl::StatusCode::kNotFound) return p.status();
  if (!p.ok() || p->organization_id != caller.organization_id ||
      !caller.Can("posts.read", p->brand_id)) {
    return absl::NotFoundError(core::Cat("no post with id ", id));
  }
  return p;
}

// ReadVisible for a change: the post's row is locked for the rest of the transaction
// (PostgreSQL: FOR UPDATE; SQLite transactions hold the write lock from BEGIN), so two
// reviewers approving at once both see each other's approval.
absl::StatusOr<Post> LockVisible(store::Tx& tx, const Caller& caller, int64_t id) {
  if (tx.dialect() == store::Dialect::kPostgres) {
    RETURN_IF_ERROR(tx.Query("SELECT id FROM posts WHERE id = $1 FOR UPDATE", {id}).status());
  }
  return ReadVisible(tx, caller, id);
}

bool IsOpen(PostStatus s) {
  return s == PostStatus::kDraft || s == PostStatus::kInReview || s == PostStatus::kApproved ||
         s == PostStatus::kScheduled;
}

absl::Status CheckContent(const PostContent& content) {
  RETURN_IF_ERROR(CheckText("master_text", content.master_text, 1, kMaxText, false));
  std::set<std::string> seen;
  for (const Variant& v : content.variants) {
    if (!IsPostPlatform(v.platform)) {
      return absl::InvalidArgumentError(
          "variants: platform must be one of facebook, instagram, threads, x, linkedin, "
          "youtube, pinterest, tiktok, bluesky, mastodon");
    }
    if (!seen.insert(v.platform).second) {
      return absl::InvalidArgumentError(
          core::Cat("variants: more than one variant for ", v.platform));
    }
    RETURN_IF_ERROR(
        CheckText(core::Cat("variants.", v.platform, ".text"), v.text, 0, kMaxText, false));
    RETURN_IF_ERROR(CheckText(core::Cat("variants.", v.platform, ".first_comment"), v.first_comment,
                              0, kMaxText, false));
    RETURN_IF_ERROR(
        CheckText(core::Cat("variants.", v.platform, ".link"), v.link, 0, kMaxLink, true));
    if (!v.link.empty() && v.link.rfind("https://", 0) != 0 && v.link.rfind("http://", 0) != 0) {
      return absl::InvalidArgumentError(
          core::Cat("variants.", v.platform, ".link must start with https:// or http://"));
    }
    if (v.link.find(' ') != std::string::npos) {
      return absl::InvalidArgumentError(
          core::Cat("variants.", v.platform, ".link must not contain spaces"));
    }
    if (v.hashtags.size() > kMaxHashtags) {
      return absl::InvalidArgumentError(
          core::Cat("variants.", v.platform, ".hashtags: at most ", kMaxHashtags));
    }
    for (const std::string& h : v.hashtags) {
      RETURN_IF_ERROR(CheckText(core::Cat("variants.", v.platform, ".hashtags"), h, 1, 100, true));
      if (h.find(' ') != std::string::npos || h.find('#') != std::string::npos) {
        return absl::InvalidArgumentError(
            core::Cat("variants.", v.platform, ".hashtags are single words without '#' or spaces"));
      }
    }
  }
  RETURN_IF_ERROR(CheckAuthorizationIds(content.authorization_ids));
  return CheckPostMedia(content);
}

bool SameContent(PostContent a, PostContent b) {
  const auto by_platform = [](const Variant& x, const Variant& y) {
    return x.platform < y.platform;
  };
  std::sort(a.variants.begin(), a.variants.end(), by_platform);
  std::sort(b.variants.begin(), b.variants.end(), by_platform);
  if (a.master_text != b.master_text || a.variants.size() != b.variants.size() ||
      !SameMedia(a.media, b.media) || a.authorization_ids != b.authorization_ids) {
    return false;
  }
  for (size_t i = 0; i < a.variants.size(); ++i) {
    const Variant &x = a.variants[i], &y = b.variants[i];
    if (x.platform != y.platform || x.text != y.text || x.link != y.link ||
        x.first_comment != y.first_comment || x.hashtags != y.hashtags) {
      return false;
    }
  }
  return true;
}

absl::Status CheckSchedule(const std::optional<absl::Time>& at, std::string_view zone) {
  if (!zone.empty()) RETURN_IF_ERROR(CheckTimeZone(zone));
  if (at.has_value() && zone.empty()) {
    return absl::InvalidArgumentError(
        "time_zone is required with scheduled_at (the IANA zone it was planned in)");
  }
  return absl::OkStatus();
}

// The patient authorizations whose coverage `guard`'s findings rely on.
std::set<int64_t> ReliedOn(const GuardReport& guard) {
  std::set<int64_t> out;
  for (const GuardFinding& f : guard.findings) {
    if (f.authorization_id != 0) out.insert(f.authorization_id);
  }
  return out;
}

// Writes revision `revision` of a post (its row, variants, media and authorizations;
// `relied`: the authorizations its findings rely on).
absl::Status InsertRevision(store::Tx& tx, int64_t post_id, int64_t revision,
                            const PostContent& content, const GuardReport& guard,
                            const Routing& routing, std::optional<int64_t> editor, int64_t now,
                            std::optional<int64_t> submitted_at, const std::set<int64_t>& relied) {
  RETURN_IF_ERROR(
      tx.Execute("INSERT INTO post_revisions (post_id, revision, master_text, "
                 "findings, required_approvals, blocked, edited_by, created_at, "
                 "submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                 {post_id, revision, content.master_text, guard.display_json, RoutingText(routing),
                  routing.blocked ? 1 : 0, editor, now, submitted_at})
          .status());
  for (const Variant& v : content.variants) {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO post_variants (post_id, revision, platform, body, "
                               "link, first_comment, hashtags) VALUES ($1, $2, $3, $4, $5, $6, "
                               "$7)",
                               {post_id, revision, v.platform, v.text, v.link, v.first_comment,
                                internal::JsonStringList(v.hashtags)})
                        .status());
  }
  for (size_t i = 0; i < content.authorization_ids.size(); ++i) {
    const int64_t a = content.authorization_ids[i];
    RETURN_IF_ERROR(
        tx.Execute("INSERT INTO post_authorizations (post_id, revision, position, "
                   "authorization_id, relied) VALUES ($1, $2, $3, $4, $5)",
                   {post_id, revision, static_cast<int64_t>(i), a, relied.count(a) != 0 ? 1 : 0})
            .status());
  }
  return InsertPostMedia(tx, post_id, revision, content.media);
}

// The patient authorizations of posts `post_ids` as (post id, revision) -> ids in order;
// only each post's current revision when `current_only`.
absl::StatusOr<std::map<std::pair<int64_t, int64_t>, std::vector<int64_t>>> ReadPostAuthorizations(
    store::Executor& db, const std::vector<int64_t>& post_ids, bool current_only) {
  std::map<std::pair<int64_t, int64_t>, std::vector<int64_t>> out;
  if (post_ids.empty()) return out;
  std::vector<store::Value> params;
  std::string sql = "SELECT t.post_id, t.revision, t.authorization_id FROM post_authorizations t";
  if (current_only) sql += " JOIN posts p ON p.id = t.post_id AND p.revision = t.revision";
  sql += " WHERE 1 = 1";
  internal::AppendInList(&sql, &params, "t.post_id", post_ids);
  sql += " ORDER BY t.post_id, t.revision, t.position";
  ASSIGN_OR_RETURN(store::Rows rows, db.Query(sql, params));
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(int64_t post, row.GetInt64("post_id"));
    ASSIGN_OR_RETURN(int64_t revision, row.GetInt64("revision"));
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("authorization_id"));
    out[{post, revision}].push_back(id);
  }
  return out;
}

absl::Status CheckCampaignOfBrand(store::Executor& db, int64_t campaign_id, int64_t brand_id) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query("SELECT brand_id FROM campaigns WHERE id = $1", {campaign_id}));
  if (rows.empty() || *rows[0].GetInt64("brand_id") != brand_id) {
    return absl::InvalidArgumentError(
        core::Cat("campaign_id: no campaign with id ", campaign_id, " for this post's brand"));
  }
  return absl::OkStatus();
}

json ApprovalList(const std::vector<Approval>& approvals) {
  json out = json::array();
  for (Approval a : approvals) out.push_back(ApprovalName(a));
  return out;
}

// The audit entry for a change of post `p` from `from` to `to`.
AuditEntry PostEntry(const Caller& caller, std::string_view action, const Post& p, PostStatus from,
                     PostStatus to, json extra = json::object()) {
  AuditEntry e = EntryFor(caller.actor, action);
  e.organization_id = p.organization_id;
  e.record_type = "post";
  e.record_id = core::Cat(p.id);
  extra["from"] = PostStatusName(from);
  extra["to"] = PostStatusName(to);
  extra["revision"] = p.revision;
  extra["brand_id"] = p.brand_id;
  e.details = extra.dump();
  return e;
}

// Active users of the organization whose roles let them give one of `approvals` for
// `brand_id`, except `exclude`.
absl::StatusOr<std::set<int64_t>> Reviewers(store::Executor& db, int64_t organization_id,
                                            int64_t brand_id,
                                            const std::vector<Approval>& approvals,
                                            const std::set<int64_t>& exclude) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query("SELECT u.id AS id, g.role AS role FROM users u JOIN "
                            "organization_role_grants g ON g.user_id = u.id WHERE "
                            "u.organization_id = $1 AND u.disabled_at IS NULL "
                            "UNION ALL SELECT u.id AS id, g.role AS role FROM users u JOIN "
                            "role_grants g ON g.user_id = u.id WHERE u.organization_id = $1 "
                            "AND g.brand_id = $2 AND u.disabled_at IS NULL",
                            {organization_id, brand_id}));
  std::set<int64_t> out;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
    ASSIGN_OR_RETURN(std::string name, row.GetText("role"));
    std::optional<Role> role = ParseRole(name);
    if (!role || exclude.count(id) != 0) continue;
    for (Approval a : approvals) {
      if (RoleAllows(*role, ApprovalPermission(a))) out.insert(id);
    }
  }
  return out;
}

std::vector<Approval> Missing(const Post& p) {
  std::vector<Approval> out;
  for (Approval a : p.routing.required) {
    bool given = false;
    for (const ApprovalRecord& r : p.approvals) given = given || r.approval == a;
    if (!given) out.push_back(a);
  }
  return out;
}

bool IsOwnPost(const Caller& caller, const Post& p) {
  return caller.user_id() == p.author_user_id ||
         (p.edited_by.has_value() && *p.edited_by == caller.user_id());
}

absl::Status AddCommentInTx(store::Tx& tx, int64_t post_id, int64_t revision, int64_t user_id,
                            std::string_view kind, std::string_view body, int64_t now) {
  return tx
      .Execute(
          "INSERT INTO post_comments (post_id, revision, user_id, kind, body, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          {post_id, revision, user_id, kind, body, now})
      .status();
}

// The routing of a revision of a post of `brand_id`: the findings' (RouteFindings) plus
// the brand's rules (routing_rules.h) for its platforms and campaign type.
absl::StatusOr<Routing> RouteInTx(store::Executor& db, int64_t brand_id,
                                  std::optional<int64_t> campaign_id, const PostContent& content,
                                  const GuardReport& guard) {
  ASSIGN_OR_RETURN(Routing routing, RouteFindings(guard.findings));
  ASSIGN_OR_RETURN(BrandRouting rules, ReadBrandRouting(db, brand_id));
  if (rules.rules.empty()) return routing;
  RoutingFacts facts{.findings = guard.findings};
  for (const Variant& v : content.variants) facts.platforms.push_back(v.platform);
  if (campaign_id) {
    ASSIGN_OR_RETURN(store::Rows rows,
                     db.Query("SELECT type FROM campaigns WHERE id = $1", {*campaign_id}));
    if (!rows.empty()) {
      ASSIGN_OR_RETURN(facts.campaign_type, rows[0].GetText("type"));
    }
  }
  return ApplyRoutingRules(std::move(routing), rules, facts);
}

// The routing of post `p` once it belongs to `campaign_id`, its content unchanged. Brand
// rules only add approvals, so the new campaign type's rules are added to what the
// current revision already needs (rules about findings and platforms were applied when
// it was routed).
absl::StatusOr<Routing> RerouteForCampaignInTx(store::Executor& db, const Post& p,
                                               std::optional<int64_t> campaign_id) {
  if (!campaign_id) return p.routing;
  ASSIGN_OR_RETURN(BrandRouting rules, ReadBrandRouting(db, p.brand_id));
  if (rules.rules.empty()) return p.routing;
  RoutingFacts facts;
  for (const Variant& v : p.content.variants) facts.platforms.push_back(v.platform);
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query("SELECT type FROM campaigns WHERE id = $1", {*campaign_id}));
  if (!rows.empty()) {
    ASSIGN_OR_RETURN(facts.campaign_type, rows[0].GetText("type"));
  }
  return ApplyRoutingRules(p.routing, rules, facts);
}

// Tells the reviewers `p` waits for them.
absl::Status NotifyReviewers(store::Tx& tx, const Post& p, absl::Time now) {
  std::set<int64_t> exclude = {p.author_user_id};
  if (p.edited_by) exclude.insert(*p.edited_by);
  const std::vector<Approval> missing = Missing(p);
  ASSIGN_OR_RETURN(std::set<int64_t> reviewers,
                   Reviewers(tx, p.organization_id, p.brand_id, missing, exclude));
  std::string needs;
  for (Approval a : missing) {
    if (!needs.empty()) needs += " and ";
    needs.append(ApprovalName(a));
  }
  for (int64_t user : reviewers) {
    RETURN_IF_ERROR(NotifyInTx(tx, user, "review_requested", p.id,
                               core::Cat("Post ", p.id, " (revision ", p.revision,
                                         ") waits for review: needs ", needs, " approval"),
                               now));
  }
  return absl::OkStatus();
}

// The content of revision `revision` of post `post_id`; nullopt when there is no such
// revision.
absl::StatusOr<std::optional<PostContent>> RevisionContent(store::Executor& db, int64_t post_id,
                                                           int64_t revision) {
  ASSIGN_OR_RETURN(store::Rows rows,
                   db.Query("SELECT master_text FROM post_revisions WHERE post_id = $1 AND "
                            "revision = $2",
                            {post_id, revision}));
  if (rows.empty()) return std::optional<PostContent>();
  PostContent content;
  ASSIGN_OR_RETURN(content.master_text, rows[0].GetText("master_text"));
  ASSIGN_OR_RETURN(store::Rows variants,
                   db.Query("SELECT platform, body, link, first_comment, hashtags FROM "
                            "post_variants WHERE post_id = $1 AND revision = $2 ORDER BY platform",
                            {post_id, revision}));
  for (const store::Row& row : variants) {
    ASSIGN_OR_RETURN(Variant v, VariantFromRow(row));
    content.variants.push_back(std::move(v));
  }
  ASSIGN_OR_RETURN(PostMediaMap media, ReadPostMedia(db, {post_id}, /*current_only=*/false));
  if (auto it = media.find({post_id, revision}); it != media.end()) content.media = it->second;
  return std::optional<PostContent>(std::move(content));
}

absl::Status SetStatus(store::Tx& tx, int64_t id, PostStatus status, int64_t now) {
  return tx
      .Execute("UPDATE posts SET status = $1, updated_at = $2 WHERE id = $3",
               {PostStatusName(status), now, id})
      .status();
}

// True when a text of the findings JSON has the verdict block.
bool AnyBlock(const std::string& findings_json) {
  const json j = json::parse(findings_json, nullptr, false);
  if (!j.is_object()) return false;
  for (const auto& [field, text] : j.items()) {
    if (text.is_object() && text.value("verdict", "") == "block") return true;
  }
  return false;
}

// Post `p` (locked by the caller) relied on patient authorization `authorization_id`,
// which stopped being valid: a new revision with the same content and the block
// restored; approved and scheduled go back to in_review. See WithdrawAuthorizationInTx.
absl::Status WithdrawPostInTx(store::Tx& tx, AuditLog& audit, const Actor& actor, Post p,
                              int64_t authorization_id, std::string_view why, absl::Time now) {
  const int64_t micros = absl::ToUnixMicros(now);
  ASSIGN_OR_RETURN(store::Rows rows,
                   tx.Query("SELECT authorization_id, relied FROM post_authorizations WHERE "
                            "post_id = $1 AND revision = $2",
                            {p.id, p.revision}));
  std::set<int64_t> relied;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(int64_t a, row.GetInt64("authorization_id"));
    ASSIGN_OR_RETURN(int64_t r, row.GetInt64("relied"));
    if (r != 0 && a != authorization_id) relied.insert(a);
  }
  GuardReport guard{.display_json = RestoreFindingsJson(p.findings_json, authorization_id)};
  Routing routing = p.routing;
  // Only blocking findings are ever downgraded, so restoring one blocks again.
  routing.blocked = p.routing.blocked || AnyBlock(guard.display_json);
  const PostStatus from = p.status;
  const PostStatus to = (from == PostStatus::kApproved || from == PostStatus::kScheduled)
                            ? PostStatus::kInReview
                            : from;
  std::optional<int64_t> submitted;
  if (from != PostStatus::kDraft) submitted = micros;
  ++p.revision;
  RETURN_IF_ERROR(InsertRevision(tx, p.id, p.revision, p.content, guard, routing, std::nullopt,
                                 micros, submitted, relied));
  RETURN_IF_ERROR(tx.Execute("UPDATE posts SET status = $1, revision = $2, updated_at = $3 "
                             "WHERE id = $4",
                             {PostStatusName(to), p.revision, micros, p.id})
                      .status());
  p.status = to;
  p.routing = routing;
  p.findings_json = guard.display_json;
  p.edited_by.reset();
  p.approvals.clear();
  p.override_.reset();
  RETURN_IF_ERROR(
      NotifyInTx(tx, p.author_user_id, "authorization_withdrawn", p.id,
                 core::Cat("Post ", p.id, " is blocked again: patient authorization ",
                           authorization_id, " it relied on was ", why,
                           to == PostStatus::kInReview ? "; it went back to review" : ""),
                 now));
  if (to == PostStatus::kInReview) RETURN_IF_ERROR(NotifyReviewers(tx, p, now));
  const Caller as{.actor = actor, .organization_id = p.organization_id};
  return audit
      .AppendInTx(tx, PostEntry(as, "post.authorization_withdrawn", p, from, to,
                                {{"authorization_id", authorization_id}, {"cause", why}}))
      .status();
}

}  // namespace

std::optional<PostStatus> ParsePostStatus(std::string_view name) {
  std::optional<PostStatus> s = plan::ParsePostStatus(name);
  if (s && PostStatusName(*s) != name) return std::nullopt;
  return s;
}

std::span<const Approval> AllApprovals() { return kApprovals; }
std::string_view ApprovalName(Approval approval) {
  return kApprovalNames[static_cast<size_t>(approval)];
}
std::optional<Approval> ParseApproval(std::string_view name) {
  for (size_t i = 0; i < kApprovalNames.size(); ++i) {
    if (kApprovalNames[i] == name) return kApprovals[i];
  }
  return std::nullopt;
}
std::string_view ApprovalPermission(Approval approval) {
  return kApprovalPermissions[static_cast<size_t>(approval)];
}

std::string TextAsPublished(const PostContent& content, const Variant& variant) {
  std::string out = variant.text.empty() ? content.master_text : variant.text;
  if (variant.hashtags.empty()) return out;
  out.append("\n\n");
  for (size_t i = 0; i < variant.hashtags.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out.push_back('#');
    out.append(variant.hashtags[i]);
  }
  return out;
}

bool IsPostPlatform(std::string_view name) {
  std::optional<plan::Platform> p = plan::ParsePlatform(name);
  return p && plan::PlatformName(*p) == name;
}

absl::StatusOr<Routing> RouteFindings(const std::vector<GuardFinding>& findings) {
  bool clinical = false, compliance = false;
  Routing r;
  for (const GuardFinding& f : findings) {
    if (f.severity == "block") {
      r.blocked = true;
    } else if (f.severity != "review" && f.severity != "info") {
      return absl::InvalidArgumentError("a finding's severity must be info, review or block");
    }
    clinical = clinical || f.kind == "medical_claim" || f.kind == "misinformation";
    compliance = compliance || f.kind == "phi" || f.kind == "patient_confirmation";
  }
  if (clinical) r.required.push_back(Approval::kClinicalReviewer);
  if (compliance) r.required.push_back(Approval::kCompliance);
  if (r.required.empty()) r.required.push_back(Approval::kManager);
  return r;
}

absl::Status CheckTimeZone(std::string_view zone) {
  absl::StatusOr<core::TimeZone> loaded = core::TimeZone::Load(zone);
  if (loaded.ok()) return absl::OkStatus();
  if (loaded.status().code() != absl::StatusCode::kInvalidArgument) return loaded.status();
  return absl::InvalidArgumentError(
      core::Cat("time_zone: ", std::string(loaded.status().message())));
}

PostService::PostService(store::Database& db, core::Clock& clock, AuditLog& audit)
    : db_(db), clock_(clock), audit_(audit) {}

absl::Status CheckNewPost(const NewPost& post) {
  RETURN_IF_ERROR(CheckContent(post.content));
  return CheckSchedule(post.scheduled_at, post.time_zone);
}

absl::StatusOr<int64_t> PostService::InsertInTx(store::Tx& tx, const Caller& caller,
                                                const NewPost& in) {
  RETURN_IF_ERROR(CheckNewPost(in));
  ASSIGN_OR_RETURN(Routing routing, RouteFindings(in.guard.findings));
  RETURN_IF_ERROR(internal::CheckBrandOfOrganization(tx, in.brand_id, caller.organization_id));
  if (!caller.Can("posts.draft", in.brand_id)) {
    return absl::PermissionDeniedError(
        "your roles do not allow writing posts for this brand (posts.draft)");
  }
  if (in.campaign_id) RETURN_IF_ERROR(CheckCampaignOfBrand(tx, *in.campaign_id, in.brand_id));
  RETURN_IF_ERROR(CheckMediaOfBrand(tx, in.content.media, caller.organization_id, in.brand_id));
  RETURN_IF_ERROR(CheckAuthorizationsOfBrand(tx, in.content.authorization_ids,
                                             caller.organization_id, in.brand_id));
  ASSIGN_OR_RETURN(routing, RouteInTx(tx, in.brand_id, in.campaign_id, in.content, in.guard));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  std::optional<int64_t> at;
  if (in.scheduled_at) at = absl::ToUnixMicros(*in.scheduled_at);
  ASSIGN_OR_RETURN(
      store::Row row,
      tx.QueryRow("INSERT INTO posts (organization_id, brand_id, campaign_id, "
                  "author_user_id, status, revision, scheduled_at, time_zone, "
                  "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, "
                  "$8, $8) RETURNING id",
                  {caller.organization_id, in.brand_id, in.campaign_id, caller.user_id(),
                   PostStatusName(PostStatus::kDraft), at, in.time_zone, now}));
  ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
  RETURN_IF_ERROR(InsertRevision(tx, id, 1, in.content, in.guard, routing, caller.user_id(), now,
                                 std::nullopt, ReliedOn(in.guard)));
  Post p{.id = id, .organization_id = caller.organization_id, .brand_id = in.brand_id};
  AuditEntry e = PostEntry(caller, "post.create", p, PostStatus::kDraft, PostStatus::kDraft,
                           {{"campaign_id", in.campaign_id ? json(*in.campaign_id) : json()},
                            {"required_approvals", ApprovalList(routing.required)},
                            {"blocked", routing.blocked}});
  RETURN_IF_ERROR(audit_.AppendInTx(tx, e).status());
  return id;
}

absl::StatusOr<int64_t> PostService::Create(const Caller& caller, const NewPost& in) {
  RETURN_IF_ERROR(CheckNewPost(in));
  int64_t id = 0;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(id, InsertInTx(tx, caller, in));
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return id;
}

absl::StatusOr<std::vector<int64_t>> PostService::Import(const Caller& caller,
                                                         std::span<const NewPost> posts) {
  for (size_t i = 0; i < posts.size(); ++i) {
    if (absl::Status s = CheckNewPost(posts[i]); !s.ok()) {
      return absl::Status(s.code(), core::Cat("post ", i + 1, ": ", std::string(s.message())));
    }
  }
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ids.clear();
    std::set<int64_t> brands;
    for (size_t i = 0; i < posts.size(); ++i) {
      absl::StatusOr<int64_t> id = InsertInTx(tx, caller, posts[i]);
      if (!id.ok()) {
        return absl::Status(id.status().code(),
                            core::Cat("post ", i + 1, ": ", std::string(id.status().message())));
      }
      ids.push_back(*id);
      brands.insert(posts[i].brand_id);
    }
    AuditEntry e = EntryFor(caller.actor, "calendar.import");
    e.organization_id = caller.organization_id;
    e.record_type = "post";
    e.details = json{{"posts", ids.size()},
                     {"brand_ids", std::vector<int64_t>(brands.begin(), brands.end())}}
                    .dump();
    return audit_.AppendInTx(tx, e).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ids;
}

absl::Status PostService::AuditRead(const Caller& caller, std::string_view what,
                                    std::optional<int64_t> id, std::span<const int64_t> listed) {
  if (!id && listed.empty()) return absl::OkStatus();
  AuditEntry e = EntryFor(caller.actor, id ? "post.view" : "post.list");
  e.organization_id = caller.organization_id;
  e.record_type = "post";
  json details = {{"read", what}};
  if (id) {
    e.record_id = core::Cat(*id);
  } else {
    details["post_ids"] = listed;
  }
  e.details = details.dump();
  absl::StatusOr<int64_t> seq = audit_.Append(e);
  if (!seq.ok()) {
    // An access that cannot be recorded is refused: reads of posts are part of the trail.
    return absl::UnavailableError(
        core::Cat("the read of posts could not be audited: ", std::string(seq.status().message())));
  }
  return absl::OkStatus();
}

absl::StatusOr<Post> PostService::Get(const Caller& caller, int64_t id) {
  ASSIGN_OR_RETURN(Post p, ReadVisible(db_, caller, id));
  RETURN_IF_ERROR(AuditRead(caller, "post", id));
  return p;
}

absl::StatusOr<std::vector<Post>> PostService::List(const Caller& caller, const PostQuery& query) {
  std::vector<store::Value> params = {caller.organization_id};
  std::string where = "p.organization_id = $1";
  const auto add = [&](std::string_view condition, store::Value value) {
    core::Append(&where, " AND ", condition, internal::NextParam(params));
    params.push_back(std::move(value));
  };
  if (query.brand_id) add("p.brand_id = ", *query.brand_id);
  if (query.campaign_id) add("p.campaign_id = ", *query.campaign_id);
  if (query.status) add("p.status = ", PostStatusName(*query.status));
  if (query.awaiting_my_review) add("p.status = ", PostStatusName(PostStatus::kInReview));
  if (query.from) add("p.scheduled_at >= ", absl::ToUnixMicros(*query.from));
  if (query.to) add("p.scheduled_at < ", absl::ToUnixMicros(*query.to));
  if (query.unscheduled) where += " AND p.scheduled_at IS NULL";
  if (query.series_id) add("p.series_id = ", *query.series_id);
  if (query.platform) {
    add("EXISTS (SELECT 1 FROM post_variants v WHERE v.post_id = p.id AND "
        "v.revision = p.revision AND v.platform = ",
        *query.platform);
    where += ")";
  }
  if (std::optional<std::vector<int64_t>> brands = internal::BrandsAllowing(caller, "posts.read")) {
    internal::AppendInList(&where, &params, "p.brand_id", *brands);
  }
  const std::string cursor_param = internal::NextParam(params);
  params.push_back(query.after_id);
  const std::string limit_param = internal::NextParam(params);
  params.push_back(query.limit);
  std::vector<Post> out;
  // The review queue filters after reading (whether the caller may give a missing
  // approval depends on the post), so it reads until the page is full.
  while (static_cast<int64_t>(out.size()) < query.limit) {
    ASSIGN_OR_RETURN(std::vector<Post> batch,
                     LoadPosts(db_, core::Cat(where, " AND p.id > ", cursor_param), params,
                               core::Cat(" ORDER BY p.id LIMIT ", limit_param),
                               query.summary_only && !query.awaiting_my_review ? Depth::kSummary
                                                                               : Depth::kFull));
    for (Post& p : batch) {
      params[params.size() - 2] = p.id;
      if (query.awaiting_my_review) {
        if (IsOwnPost(caller, p)) continue;
        bool can = false;
        for (Approval a : Missing(p)) can = can || caller.Can(ApprovalPermission(a), p.brand_id);
        if (!can) continue;
      }
      if (static_cast<int64_t>(out.size()) < query.limit) out.push_back(std::move(p));
    }
    if (static_cast<int64_t>(batch.size()) < query.limit) break;
  }
  std::vector<int64_t> ids;
  ids.reserve(out.size());
  for (const Post& p : out) ids.push_back(p.id);
  RETURN_IF_ERROR(AuditRead(caller, query.summary_only ? "calendar" : "posts", std::nullopt, ids));
  return out;
}

absl::StatusOr<Post> PostService::Update(const Caller& caller, int64_t id, const PostEdit& edit) {
  if (edit.content.has_value() != edit.guard.has_value()) {
    return absl::InvalidArgumentError("new content needs the guard's report on it");
  }
  if (edit.content) RETURN_IF_ERROR(CheckContent(*edit.content));
  std::optional<Routing> routing;
  if (edit.guard) {
    ASSIGN_OR_RETURN(Routing r, RouteFindings(edit.guard->findings));
    routing = r;
  }
  if (edit.time_zone && !edit.time_zone->empty()) {
    RETURN_IF_ERROR(CheckTimeZone(*edit.time_zone));
  }
  // A new time must lie ahead, as Schedule() requires; a time already set that has since
  // passed may stay while the post is edited.
  if (edit.scheduled_at && edit.scheduled_at->has_value() && **edit.scheduled_at <= clock_.Now()) {
    return absl::InvalidArgumentError(
        "scheduled_at must be in the future: the time given has already passed");
  }
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Post p, LockVisible(tx, caller, id));
    if (!caller.Can("posts.draft", p.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow editing posts of this brand (posts.draft)");
    }
    if (!IsOpen(p.status)) {
      return absl::FailedPreconditionError(
          core::Cat("a ", PostStatusName(p.status), " post cannot be edited"));
    }
    const PostStatus from = p.status;
    const int64_t now = absl::ToUnixMicros(clock_.Now());
    const bool content_changed = edit.content && !SameContent(*edit.content, p.content);
    const bool time_changed = edit.scheduled_at.has_value() || edit.time_zone.has_value();
    PostStatus to = from;
    if (content_changed && (from == PostStatus::kApproved || from == PostStatus::kScheduled)) {
      to = PostStatus::kInReview;
    }
    if (hook_ != nullptr && from == PostStatus::kScheduled && to != from) {
      RETURN_IF_ERROR(hook_->OnUnscheduled(tx, id, clock_.Now()));
    }
    if (time_changed && to == PostStatus::kScheduled) {
      return absl::FailedPreconditionError(
          "the post is scheduled: move it with schedule (posts.schedule)");
    }
    std::optional<absl::Time> at = p.scheduled_at;
    std::string zone = p.time_zone;
    if (edit.scheduled_at) at = *edit.scheduled_at;
    if (edit.time_zone) zone = *edit.time_zone;
    RETURN_IF_ERROR(CheckSchedule(at, zone));
    if (edit.campaign_id && edit.campaign_id->has_value()) {
      RETURN_IF_ERROR(CheckCampaignOfBrand(tx, **edit.campaign_id, p.brand_id));
    }
    // The campaign's type can decide who approves (routing_rules.h), so moving an
    // approved post to another campaign would skip an approval it now needs.
    const bool campaign_changed = edit.campaign_id && *edit.campaign_id != p.campaign_id;
    if (campaign_changed && !content_changed &&
        (from == PostStatus::kApproved || from == PostStatus::kScheduled)) {
      return absl::FailedPreconditionError(
          "campaign_id of an approved or scheduled post cannot change: its campaign can "
          "decide who must approve it; edit the post (it goes back to review) or cancel it");
    }
    if (campaign_changed && !content_changed) {
      ASSIGN_OR_RETURN(Routing rerouted, RerouteForCampaignInTx(tx, p, *edit.campaign_id));
      RETURN_IF_ERROR(tx.Execute("UPDATE post_revisions SET required_approvals = $1 WHERE "
                                 "post_id = $2 AND revision = $3",
                                 {RoutingText(rerouted), id, p.revision})
                          .status());
      p.routing = rerouted;
    }
    if (content_changed) {
      RETURN_IF_ERROR(CheckMediaOfBrand(tx, edit.content->media, p.organization_id, p.brand_id));
      RETURN_IF_ERROR(CheckAuthorizationsOfBrand(tx, edit.content->authorization_ids,
                                                 p.organization_id, p.brand_id));
      ASSIGN_OR_RETURN(
          *routing, RouteInTx(tx, p.brand_id, edit.campaign_id ? *edit.campaign_id : p.campaign_id,
                              *edit.content, *edit.guard));
      ASSIGN_OR_RETURN(store::Row rev,
                       tx.QueryRow("SELECT submitted_at FROM post_revisions WHERE post_id = $1 "
                                   "AND revision = $2",
                                   {id, p.revision}));
      ASSIGN_OR_RETURN(bool never_submitted, rev.IsNull("submitted_at"));
      // A revision reviewers may have seen stays as it was.
      std::optional<int64_t> submitted;
      if (to == PostStatus::kInReview) submitted = now;
      if (never_submitted) {
        RETURN_IF_ERROR(
            tx.Execute("DELETE FROM post_revisions WHERE post_id = $1 AND revision = $2",
                       {id, p.revision})
                .status());
      } else {
        ++p.revision;
      }
      RETURN_IF_ERROR(InsertRevision(tx, id, p.revision, *edit.content, *edit.guard, *routing,
                                     caller.user_id(), now, submitted, ReliedOn(*edit.guard)));
      p.content = *edit.content;
      p.routing = *routing;
      p.edited_by = caller.user_id();
      p.approvals.clear();
      p.override_.reset();
    }
    std::optional<int64_t> at_micros;
    if (at) at_micros = absl::ToUnixMicros(*at);
    std::optional<int64_t> campaign = p.campaign_id;
    if (edit.campaign_id) campaign = *edit.campaign_id;
    RETURN_IF_ERROR(tx.Execute("UPDATE posts SET status = $1, revision = $2, scheduled_at = $3, "
                               "time_zone = $4, campaign_id = $5, updated_at = $6 WHERE id = $7",
                               {PostStatusName(to), p.revision, at_micros, zone, campaign, now, id})
                        .status());
    if (p.series_id && p.series_state == "linked" && (content_changed || time_changed)) {
      RETURN_IF_ERROR(
          tx.Execute("UPDATE posts SET series_state = 'detached' WHERE id = $1", {id}).status());
    }
    p.status = to;
    if (to == PostStatus::kInReview && from != PostStatus::kInReview) {
      RETURN_IF_ERROR(NotifyReviewers(tx, p, clock_.Now()));
    }
    AuditEntry e = PostEntry(caller, "post.update", p, from, to,
                             {{"content_changed", content_changed},
                              {"time_changed", time_changed},
                              {"campaign_changed", edit.campaign_id.has_value()}});
    return audit_.AppendInTx(tx, e).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadPost(db_, id);
}

absl::Status PostService::Delete(const Caller& caller, int64_t id) {
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Post p, LockVisible(tx, caller, id));
    if (!caller.Can("posts.draft", p.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow deleting posts of this brand (posts.draft)");
    }
    ASSIGN_OR_RETURN(store::Row n, tx.QueryRow("SELECT COUNT(*) AS n FROM post_revisions WHERE "
                                               "post_id = $1 AND submitted_at IS NOT NULL",
                                               {id}));
    if (p.status != PostStatus::kDraft || *n.GetInt64("n") > 0) {
      return absl::FailedPreconditionError(
          "only a draft that was never submitted can be deleted; cancel this post instead");
    }
    RETURN_IF_ERROR(tx.Execute("DELETE FROM posts WHERE id = $1", {id}).status());
    return audit_.AppendInTx(tx, PostEntry(caller, "post.delete", p, p.status, PostStatus::kDraft))
        .status();
  }));
  return audit_.FlushCheckpoints();
}

absl::StatusOr<Post> PostService::Submit(const Caller& caller, int64_t id,
                                         std::string_view comment) {
  RETURN_IF_ERROR(CheckText("comment", comment, 0, kMaxComment, false));
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Post p, LockVisible(tx, caller, id));
    if (!caller.Can("posts.draft", p.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow submitting posts of this brand (posts.draft)");
    }
    if (p.status != PostStatus::kDraft) {
      return absl::FailedPreconditionError(core::Cat(
          "only a draft can be submitted for review; this post is ", PostStatusName(p.status)));
    }
    const absl::Time now = clock_.Now();
    const int64_t micros = absl::ToUnixMicros(now);
    RETURN_IF_ERROR(tx.Execute("UPDATE post_revisions SET submitted_at = $1 WHERE post_id = $2 "
                               "AND revision = $3",
                               {micros, id, p.revision})
                        .status());
    RETURN_IF_ERROR(SetStatus(tx, id, PostStatus::kInReview, micros));
    if (!comment.empty()) {
      RETURN_IF_ERROR(
          AddCommentInTx(tx, id, p.revision, caller.user_id(), "comment", comment, micros));
    }
    p.status = PostStatus::kInReview;
    RETURN_IF_ERROR(NotifyReviewers(tx, p, now));
    AuditEntry e = PostEntry(
        caller, "post.submit", p, PostStatus::kDraft, PostStatus::kInReview,
        {{"required_approvals", ApprovalList(p.routing.required)}, {"blocked", p.routing.blocked}});
    return audit_.AppendInTx(tx, e).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadPost(db_, id);
}

absl::StatusOr<Post> PostService::Approve(const Caller& caller, int64_t id,
                                          std::string_view comment) {
  RETURN_IF_ERROR(CheckText("comment", comment, 0, kMaxComment, false));
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Post p, LockVisible(tx, caller, id));
    if (p.status != PostStatus::kInReview) {
      return absl::FailedPreconditionError(core::Cat(
          "only a post in review can be approved; this post is ", PostStatusName(p.status)));
    }
    if (IsOwnPost(caller, p)) {
      return absl::PermissionDeniedError(
          "nobody approves their own post: you wrote or last edited it");
    }
    const std::vector<Approval> missing = Missing(p);
    std::vector<Approval> giving;
    for (Approval a : missing) {
      if (caller.Can(ApprovalPermission(a), p.brand_id)) giving.push_back(a);
    }
    if (giving.empty()) {
      std::string needs;
      for (Approval a : missing) {
        if (!needs.empty()) needs += " and ";
        core::Append(&needs, ApprovalName(a), " (", ApprovalPermission(a), ")");
      }
      return absl::PermissionDeniedError(
          core::Cat("this post still needs approval by ", needs, "; your roles give neither"));
    }
    const absl::Time now = clock_.Now();
    const int64_t micros = absl::ToUnixMicros(now);
    for (Approval a : giving) {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO post_approvals (post_id, revision, approval, "
                                 "user_id, created_at) VALUES ($1, $2, $3, $4, $5)",
                                 {id, p.revision, ApprovalName(a), caller.user_id(), micros})
                          .status());
    }
    if (!comment.empty()) {
      RETURN_IF_ERROR(
          AddCommentInTx(tx, id, p.revision, caller.user_id(), "comment", comment, micros));
    }
    const bool complete = giving.size() == missing.size();
    const PostStatus to = complete ? PostStatus::kApproved : PostStatus::kInReview;
    if (complete) {
      RETURN_IF_ERROR(SetStatus(tx, id, to, micros));
      RETURN_IF_ERROR(NotifyInTx(
          tx, p.author_user_id, "approved", id,
          core::Cat("Post ", id, " (revision ", p.revision, ") was approved and can be scheduled"),
          now));
    }
    AuditEntry e = PostEntry(caller, "post.approve", p, PostStatus::kInReview, to,
                             {{"approvals", ApprovalList(giving)}});
    return audit_.AppendInTx(tx, e).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadPost(db_, id);
}

absl::StatusOr<Post> PostService::RequestChanges(const Caller& caller, int64_t id,
                                                 std::string_view comment) {
  RETURN_IF_ERROR(CheckText("comment", comment, 1, kMaxComment, false));
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Post p, LockVisible(tx, caller, id));
    if (p.status != PostStatus::kInReview) {
      return absl::FailedPreconditionError(
          core::Cat("changes can be requested only on a post in review; this post is ",
                    PostStatusName(p.status)));
    }
    if (IsOwnPost(caller, p)) {
      return absl::PermissionDeniedError(
          "you wrote or last edited this post: edit it instead of requesting changes");
    }
    bool reviewer = false;
    for (Approval a : p.routing.required) {
      reviewer = reviewer || caller.Can(ApprovalPermission(a), p.brand_id);
    }
    if (!reviewer) {
      return absl::PermissionDeniedError(
          "only a reviewer whose approval this post needs can request changes");
    }
    const absl::Time now = clock_.Now();
    const int64_t micros = absl::ToUnixMicros(now);
    RETURN_IF_ERROR(
        AddCommentInTx(tx, id, p.revision, caller.user_id(), "request_changes", comment, micros));
    RETURN_IF_ERROR(SetStatus(tx, id, PostStatus::kDraft, micros));
    RETURN_IF_ERROR(NotifyInTx(
        tx, p.author_user_id, "changes_requested", id,
        core::Cat("Changes were requested on post ", id, " (revision ", p.revision, ")"), now));
    return audit_
        .AppendInTx(tx, PostEntry(caller, "post.request_changes", p, PostStatus::kInReview,
                                  PostStatus::kDraft))
        .status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadPost(db_, id);
}

absl::StatusOr<Post> PostService::Schedule(const Caller& caller, int64_t id,
                                           std::optional<absl::Time> at,
                                           std::string_view time_zone) {
  if (!time_zone.empty()) RETURN_IF_ERROR(CheckTimeZone(time_zone));
  // Set when the post was pulled back instead (committed, then refused).
  std::optional<absl::Status> refused;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    refused.reset();
    ASSIGN_OR_RETURN(Post p, LockVisible(tx, caller, id));
    if (!caller.Can("posts.schedule", p.brand_id)) {
      return absl::PermissionDeniedError(
          "your roles do not allow scheduling posts of this brand (posts.schedule)");
    }
    if (p.status != PostStatus::kApproved && p.status != PostStatus::kScheduled) {
      return absl::FailedPreconditionError(core::Cat(
          "only an approved post can be scheduled; this post is ", PostStatusName(p.status)));
    }
    if (p.routing.blocked && !p.override_) {
      return absl::FailedPreconditionError(
          "a guard finding blocks this post: fix the text, or a compliance officer overrides "
          "the block with a written reason");
    }
    RETURN_IF_ERROR(CheckMediaFitsPlatforms(tx, p.content, p.organization_id, p.brand_id));
    const std::string zone = time_zone.empty() ? p.time_zone : std::string(time_zone);
    const std::optional<absl::Time> when = at ? at : p.scheduled_at;
    if (!when) {
      return absl::InvalidArgumentError("scheduled_at: give the time to publish the post");
    }
    if (zone.empty()) {
      return absl::InvalidArgumentError("time_zone: give the IANA zone the time was planned in");
    }
    const absl::Time now = clock_.Now();
    if (*when <= now) {
      return absl::InvalidArgumentError(
          "scheduled_at must be in the future: the time given has already passed");
    }
    // The patient authorizations the findings rely on must hold until it goes out.
    ASSIGN_OR_RETURN(store::Rows relied,
                     tx.Query("SELECT a.id, a.expires_at, a.revoked_at FROM post_authorizations t "
                              "JOIN patient_authorizations a ON a.id = t.authorization_id WHERE "
                              "t.post_id = $1 AND t.revision = $2 AND t.relied = 1 ORDER BY a.id",
                              {id, p.revision}));
    for (const store::Row& row : relied) {
      ASSIGN_OR_RETURN(int64_t auth, row.GetInt64("id"));
      ASSIGN_OR_RETURN(int64_t expires, row.GetInt64("expires_at"));
      ASSIGN_OR_RETURN(bool live, row.IsNull("revoked_at"));
      if (!live || absl::FromUnixMicros(expires) <= now) {
        // The sweep has not reached it yet: pull the post back now, and refuse.
        const std::string_view why = live ? "expired" : "revoked";
        const bool was_scheduled = p.status == PostStatus::kScheduled;
        RETURN_IF_ERROR(WithdrawPostInTx(tx, audit_, caller.actor, p, auth, why, now));
        if (was_scheduled) RETURN_IF_ERROR(LeftScheduleInTx(tx, id, now));
        refused = absl::FailedPreconditionError(
            core::Cat("patient authorization ", auth, " this post relies on was ", why,
                      ": the post went back to review with its block restored"));
        return absl::OkStatus();
      }
      if (absl::FromUnixMicros(expires) <= *when) {
        return absl::FailedPreconditionError(
            core::Cat("patient authorization ", auth, " this post relies on expires at ",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMicros(expires),
                                       absl::UTCTimeZone()),
                      ", before the scheduled time"));
      }
    }
    const PostStatus from = p.status;
    const int64_t micros = absl::ToUnixMicros(now);
    RETURN_IF_ERROR(tx.Execute("UPDATE posts SET status = $1, scheduled_at = $2, time_zone = $3, "
                               "updated_at = $4 WHERE id = $5",
                               {PostStatusName(PostStatus::kScheduled), absl::ToUnixMicros(*when),
                                zone, micros, id})
                        .status());
    // A series occurrence moved to another time is its own from now on.
    if (p.series_id && p.series_state == "linked" &&
        (when != p.scheduled_at || zone != p.time_zone)) {
      RETURN_IF_ERROR(
          tx.Execute("UPDATE posts SET series_state = 'detached' WHERE id = $1", {id}).status());
    }
    if (hook_ != nullptr) RETURN_IF_ERROR(hook_->OnScheduled(tx, p, *when, now));
    AuditEntry e = PostEntry(caller, "post.schedule", p, from, PostStatus::kScheduled,
                             {{"scheduled_at", absl::ToUnixMicros(*when)},
                              {"time_zone", zone},
                              {"overridden", p.override_.has_value()}});
    return audit_.AppendInTx(tx, e).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  if (refused) return *refused;
  return ReadPost(db_, id);
}

absl::StatusOr<Post> PostService::Cancel(const Caller& caller, int64_t id,
                                         std::string_view reason) {
  RETURN_IF_ERROR(CheckText("reason", reason, 0, kMaxComment, false));
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Post p, LockVisible(tx, caller, id));
    if (!IsOpen(p.status)) {
      return absl::FailedPreconditionError(
          core::Cat("a ", PostStatusName(p.status), " post cannot be cancelled"));
    }
    const std::string_view needed =
        p.status == PostStatus::kScheduled ? "posts.schedule" : "posts.draft";
    if (!caller.Can(needed, p.brand_id)) {
      return absl::PermissionDeniedError(
          core::Cat("your roles do not allow cancelling this post (", needed, ")"));
    }
    const int64_t micros = absl::ToUnixMicros(clock_.Now());
    RETURN_IF_ERROR(SetStatus(tx, id, PostStatus::kCancelled, micros));
    if (hook_ != nullptr && p.status == PostStatus::kScheduled) {
      RETURN_IF_ERROR(hook_->OnUnscheduled(tx, id, absl::FromUnixMicros(micros)));
    }
    if (!reason.empty()) {
      RETURN_IF_ERROR(
          AddCommentInTx(tx, id, p.revision, caller.user_id(), "cancel", reason, micros));
    }
    return audit_
        .AppendInTx(tx, PostEntry(caller, "post.cancel", p, p.status, PostStatus::kCancelled))
        .status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadPost(db_, id);
}

absl::StatusOr<Post> PostService::Override(const Caller& caller, int64_t id,
                                           std::string_view reason) {
  RETURN_IF_ERROR(CheckText("reason", reason, 10, 2000, false));
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Post p, LockVisible(tx, caller, id));
    if (!caller.Can("guard.override", p.brand_id)) {
      return absl::PermissionDeniedError(
          "only a compliance officer may override a guard block (guard.override)");
    }
    if (!IsOpen(p.status)) {
      return absl::FailedPreconditionError(
          core::Cat("a ", PostStatusName(p.status), " post cannot be overridden"));
    }
    if (!p.routing.blocked) {
      return absl::FailedPreconditionError("no guard finding blocks this post's revision");
    }
    if (p.override_) {
      return absl::FailedPreconditionError("this revision's block is overridden already");
    }
    const int64_t micros = absl::ToUnixMicros(clock_.Now());
    RETURN_IF_ERROR(tx.Execute("INSERT INTO post_overrides (post_id, revision, user_id, reason, "
                               "created_at) VALUES ($1, $2, $3, $4, $5)",
                               {id, p.revision, caller.user_id(), reason, micros})
                        .status());
    RETURN_IF_ERROR(
        AddCommentInTx(tx, id, p.revision, caller.user_id(), "override", reason, micros));
    // The reason stays in post_overrides: it is free text and may name a person.
    AuditEntry e = PostEntry(caller, "guard.override", p, p.status, p.status,
                             {{"reason_bytes", reason.size()}});
    return audit_.AppendInTx(tx, e).status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return ReadPost(db_, id);
}

absl::StatusOr<std::vector<PostRevision>> PostService::Revisions(const Caller& caller, int64_t id) {
  RETURN_IF_ERROR(ReadVisible(db_, caller, id).status());
  RETURN_IF_ERROR(AuditRead(caller, "revisions", id));
  ASSIGN_OR_RETURN(store::Rows rows,
                   db_.Query("SELECT revision, master_text, findings, required_approvals, "
                             "blocked, edited_by, created_at, submitted_at FROM post_revisions "
                             "WHERE post_id = $1 ORDER BY revision",
                             {id}));
  ASSIGN_OR_RETURN(store::Rows variants,
                   db_.Query("SELECT revision, platform, body, link, first_comment, hashtags "
                             "FROM post_variants WHERE post_id = $1 ORDER BY revision, platform",
                             {id}));
  ASSIGN_OR_RETURN(PostMediaMap media, ReadPostMedia(db_, {id}, /*current_only=*/false));
  ASSIGN_OR_RETURN(auto authorizations, ReadPostAuthorizations(db_, {id}, /*current_only=*/false));
  std::vector<PostRevision> out;
  std::map<int64_t, size_t> index;
  for (const store::Row& row : rows) {
    PostRevision r;
    ASSIGN_OR_RETURN(r.revision, row.GetInt64("revision"));
    ASSIGN_OR_RETURN(r.content.master_text, row.GetText("master_text"));
    ASSIGN_OR_RETURN(r.findings_json, row.GetText("findings"));
    ASSIGN_OR_RETURN(std::string required, row.GetText("required_approvals"));
    ASSIGN_OR_RETURN(int64_t blocked, row.GetInt64("blocked"));
    r.routing = RoutingFromText(required, blocked != 0);
    r.edited_by = OptionalInt(row, "edited_by");
    ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
    r.created_at = absl::FromUnixMicros(created);
    r.submitted_at = OptionalTime(row, "submitted_at");
    if (auto it = media.find({id, r.revision}); it != media.end()) r.content.media = it->second;
    if (auto it = authorizations.find({id, r.revision}); it != authorizations.end()) {
      r.content.authorization_ids = it->second;
    }
    index[r.revision] = out.size();
    out.push_back(std::move(r));
  }
  for (const store::Row& row : variants) {
    ASSIGN_OR_RETURN(int64_t revision, row.GetInt64("revision"));
    ASSIGN_OR_RETURN(Variant v, VariantFromRow(row));
    if (auto it = index.find(revision); it != index.end()) {
      out[it->second].content.variants.push_back(std::move(v));
    }
  }
  return out;
}

absl::StatusOr<std::vector<PostComment>> PostService::Comments(const Caller& caller, int64_t id) {
  RETURN_IF_ERROR(ReadVisible(db_, caller, id).status());
  RETURN_IF_ERROR(AuditRead(caller, "comments", id));
  ASSIGN_OR_RETURN(store::Rows rows,
                   db_.Query("SELECT id, revision, user_id, kind, body, created_at, "
                             "anchor_revision, anchor_field, anchor_start, anchor_end FROM "
                             "post_comments WHERE post_id = $1 ORDER BY id",
                             {id}));
  std::vector<PostComment> out;
  for (const store::Row& row : rows) {
    PostComment c;
    ASSIGN_OR_RETURN(c.id, row.GetInt64("id"));
    ASSIGN_OR_RETURN(c.revision, row.GetInt64("revision"));
    c.user_id = OptionalInt(row, "user_id");
    ASSIGN_OR_RETURN(c.kind, row.GetText("kind"));
    ASSIGN_OR_RETURN(c.body, row.GetText("body"));
    ASSIGN_OR_RETURN(int64_t created, row.GetInt64("created_at"));
    c.created_at = absl::FromUnixMicros(created);
    if (std::optional<int64_t> rev = OptionalInt(row, "anchor_revision")) {
      CommentAnchor a;
      a.revision = *rev;
      ASSIGN_OR_RETURN(a.field, row.GetText("anchor_field"));
      ASSIGN_OR_RETURN(a.start, row.GetInt64("anchor_start"));
      ASSIGN_OR_RETURN(a.end, row.GetInt64("anchor_end"));
      c.anchor = std::move(a);
    }
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<PostComment> PostService::AddComment(const Caller& caller, int64_t id,
                                                    std::string_view body,
                                                    const std::optional<CommentAnchor>& anchor) {
  RETURN_IF_ERROR(CheckText("body", body, 1, kMaxComment, false));
  PostComment c;
  RETURN_IF_ERROR(db_.WithTransaction([&](store::Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Post p, LockVisible(tx, caller, id));
    bool may = caller.Can("posts.draft", p.brand_id);
    for (Approval a : kApprovals) may = may || caller.Can(ApprovalPermission(a), p.brand_id);
    if (!may) {
      return absl::PermissionDeniedError(
          "only writers and reviewers of this brand's posts can comment");
    }
    if (anchor) {
      CommentAnchor a = *anchor;
      if (a.revision == 0) a.revision = p.revision;
      if (a.revision < 1 || a.revision > p.revision) {
        return absl::InvalidArgumentError(core::Cat("anchor.revision ", a.revision,
                                                    " does not exist: this post has revisions 1 "
                                                    "to ",
                                                    p.revision));
      }
      PostContent content = p.content;
      if (a.revision != p.revision) {
        ASSIGN_OR_RETURN(std::optional<PostContent> old, RevisionContent(tx, id, a.revision));
        if (!old) {
          return absl::InvalidArgumentError(
              core::Cat("anchor.revision ", a.revision, " was replaced before anyone reviewed it"));
        }
        content = std::move(*old);
      }
      RETURN_IF_ERROR(CheckCommentAnchor(content, a));
      c.anchor = std::move(a);
    }
    const int64_t micros = absl::ToUnixMicros(clock_.Now());
    std::optional<int64_t> anchor_revision, anchor_start, anchor_end;
    std::optional<std::string> anchor_field;
    if (c.anchor) {
      anchor_revision = c.anchor->revision;
      anchor_field = c.anchor->field;
      anchor_start = c.anchor->start;
      anchor_end = c.anchor->end;
    }
    ASSIGN_OR_RETURN(
        store::Row row,
        tx.QueryRow("INSERT INTO post_comments (post_id, revision, user_id, kind, body, "
                    "created_at, anchor_revision, anchor_field, anchor_start, anchor_end) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    {id, p.revision, caller.user_id(), "comment", body, micros, anchor_revision,
                     anchor_field, anchor_start, anchor_end}));
    ASSIGN_OR_RETURN(c.id, row.GetInt64("id"));
    c.revision = p.revision;
    c.user_id = caller.user_id();
    c.kind = "comment";
    c.body = std::string(body);
    c.created_at = absl::FromUnixMicros(micros);
    json extra = json::object();
    if (c.anchor) {
      // Where, never what: the field and span, not the text or the comment.
      extra["anchor"] = {{"revision", c.anchor->revision},
                         {"field", c.anchor->field},
                         {"start", c.anchor->start},
                         {"end", c.anchor->end}};
    }
    return audit_.AppendInTx(tx, PostEntry(caller, "post.comment", p, p.status, p.status, extra))
        .status();
  }));
  RETURN_IF_ERROR(audit_.FlushCheckpoints());
  return c;
}

absl::StatusOr<int> PostService::WithdrawAuthorizationInTx(store::Tx& tx, const Actor& actor,
                                                           int64_t organization_id,
                                                           int64_t authorization_id,
                                                           std::string_view why) {
  ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query("SELECT p.id FROM posts p JOIN post_authorizations t ON t.post_id = p.id AND "
               "t.revision = p.revision WHERE p.organization_id = $1 AND t.authorization_id = "
               "$2 AND t.relied = 1 AND p.status IN ($3, $4, $5, $6, $7) ORDER BY p.id",
               {organization_id, authorization_id, PostStatusName(PostStatus::kDraft),
                PostStatusName(PostStatus::kInReview), PostStatusName(PostStatus::kApproved),
                PostStatusName(PostStatus::kScheduled), PostStatusName(PostStatus::kFailed)}));
  const absl::Time now = clock_.Now();
  int changed = 0;
  for (const store::Row& row : rows) {
    ASSIGN_OR_RETURN(int64_t id, row.GetInt64("id"));
    if (tx.dialect() == store::Dialect::kPostgres) {
      RETURN_IF_ERROR(tx.Query("SELECT id FROM posts WHERE id = $1 FOR UPDATE", {id}).status());
    }
    ASSIGN_OR_RETURN(Post p, ReadPost(tx, id));
    // A failed post may still have jobs waiting (a retry, a paused account): they must
    // not publish what the patient no longer consents to.
    const bool jobs_may_wait =
        p.status == PostStatus::kScheduled || p.status == PostStatus::kFailed;
    RETURN_IF_ERROR(WithdrawPostInTx(tx, audit_, actor, std::move(p), authorization_id, why, now));
    // Back in review (or failed for good): nothing of it may go out, so its jobs go too.
    if (jobs_may_wait) RETURN_IF_ERROR(LeftScheduleInTx(tx, id, now));
    ++changed;
  }
  return changed;
}

absl::Status PostService::LeftScheduleInTx(store::Tx& tx, int64_t post_id, absl::Time now) {
  if (hook_ == nullptr) return absl::OkStatus();
  return hook_->OnUnscheduled(tx, post_id, now);
}

}  // namespace carepost::domain
