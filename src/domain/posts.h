// File: domain/posts.h
//
// Posts and their approval workflow. A post has one master text and per-platform
// variants (text, link, first comment, hashtags), belongs to a brand and optionally a
// campaign, and is scheduled as a UTC instant plus the IANA zone it was planned in.
// Its content is kept per revision, so a reviewer sees what changed since they looked.
//
// States (PostStatus):
//
//   draft --submit--> in_review --approve (all needed)--> approved --schedule--> scheduled
//     ^                   |                                  |                      |
//     +--request changes--+          edit (new revision) ----+---> in_review <------+
//   draft, in_review, approved, scheduled --cancel--> cancelled
//
// publishing, published and failed are reserved for publishing (the next layer); no
// method here enters them.
//
// Routing comes from the guard, which this layer does not run: the caller screens the
// master text, every variant's text and first comment, and hands in a GuardReport
// (each finding's field, kind, type and severity, plus the findings as JSON for
// display). medical_claim or misinformation findings need a clinical_reviewer's
// approval, phi or patient_confirmation findings a compliance officer's; a post with
// neither needs a manager's. The brand's routing rules (domain/routing_rules.h) may ask
// for more, by platform, campaign type or finding kind and severity. Every approval needed must be
// given on the current revision, and nobody approves a post they wrote or last edited. A finding
// with severity block keeps the post from being scheduled until a compliance officer overrides it
// (guard.override) with a written reason; the override holds for that revision only.
//
// Patient stories (domain/patient_authorizations.h): a post names the patient HIPAA
// authorizations it relies on (PostContent::authorization_ids, part of the revision).
// The caller's screening downgrades the PHI findings a valid one covers from block to
// review and marks them (GuardFinding::authorization_id); the revision remembers which
// authorizations its findings relied on. Scheduling refuses a post that relies on an
// authorization that is no longer valid, or expires before the post would go out, and
// an authorization that stops being valid pulls its posts back
// (WithdrawAuthorizationInTx).
//
// Editing content makes a new revision once the current one was submitted (a draft
// never submitted is edited in place); editing an approved or scheduled post sends it
// back to in_review, and its approvals and override, which belong to the old revision,
// no longer count.
//
// Authorization is enforced here (permissions.h, for the post's brand): read needs
// posts.read (a post the caller may not read is "not found"), writing posts.draft,
// approving the permission of the approval given (posts.approve for a manager's,
// posts.review_clinical, posts.review_compliance), requesting changes any of those,
// scheduling posts.schedule, overriding guard.override. Every change writes an audit
// event (actor, post, from -> to status) in the same transaction; notifications go to
// the reviewers when a post enters review and to the author on approval or a request
// for changes. Reads are audited too, because a post's text may name a patient: Get,
// Revisions and Comments write a post.view event, List a post.list event naming the
// posts it returned; a read that cannot be recorded fails (Unavailable).
//
// Thread safety: PostService is safe for concurrent use from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/caller.h"
#include "plan/vocabulary.h"
#include "store/database.h"

namespace carepost::domain {

// The states of a post and their names ("draft", "in_review", ...) are the planning
// vocabulary's (plan/vocabulary.h), shared with the calendar CSV and feed. publishing,
// published and failed are reserved for publishing.
using plan::kAllPostStatuses;
using plan::PostStatus;
using plan::PostStatusName;
// Exact lower-case names only: stored and API values are never re-cased.
std::optional<PostStatus> ParsePostStatus(std::string_view name);

// The approvals a post can need, named after the role that gives them.
enum class Approval { kManager, kClinicalReviewer, kCompliance };
std::span<const Approval> AllApprovals();
std::string_view ApprovalName(Approval approval);  // "manager", "clinical_reviewer", "compliance"
std::optional<Approval> ParseApproval(std::string_view name);
// The permission that lets someone give `approval`: posts.approve,
// posts.review_clinical, posts.review_compliance.
std::string_view ApprovalPermission(Approval approval);

// Whether `name` is one of the ten platforms (plan::kAllPlatforms), spelled exactly as
// plan::PlatformName() spells it.
bool IsPostPlatform(std::string_view name);

// One finding of the guard, reduced to what routing needs. kind and severity use the
// guard's names (guard/finding.h: "phi", "medical_claim", ...; "info", "review",
// "block").
struct GuardFinding {
  // "master", "<platform>.text", "<platform>.first_comment", "media[<i>].alt_text"
  std::string field;
  std::string kind;
  std::string type;
  std::string severity;
  // The patient authorization that downgraded this PHI finding to review; 0 for none.
  int64_t authorization_id = 0;
};

// What the caller's screening found for one revision's texts.
struct GuardReport {
  std::vector<GuardFinding> findings;
  // The findings as a JSON object, stored for display (no PHI beyond the post's own
  // text offsets: the guard's messages never repeat it).
  std::string display_json = "{}";
};

// Which approvals `findings` call for, and whether one of them blocks.
struct Routing {
  std::vector<Approval> required;  // in Approval order, never empty
  bool blocked = false;
};
// InvalidArgument for an unknown severity.
[[nodiscard]] absl::StatusOr<Routing> RouteFindings(const std::vector<GuardFinding>& findings);

struct Variant {
  std::string platform;               // a plan::PlatformName()
  std::string text;                   // '' means the master text
  std::string link;                   // http(s) URL or ''
  std::string first_comment;          // '' for none
  std::vector<std::string> hashtags;  // without '#'
};

// An uploaded image or video (domain/media.h) attached to a post, with its alt text.
// Checks and their limits: domain/post_media.h.
struct MediaAttachment {
  int64_t media_id = 0;                // media of the post's brand
  std::string alt_text;                // required
  std::vector<std::string> platforms;  // variants' platforms it goes to; empty: all
};

struct PostContent {
  std::string master_text;             // 1 byte to 64 KiB
  std::vector<Variant> variants;       // at most one per platform
  std::vector<MediaAttachment> media;  // in order; limits in domain/post_media.h
  // Patient authorizations of the post's brand it relies on (at most 5, each once;
  // domain/patient_authorizations.h), in the order given.
  std::vector<int64_t> authorization_ids;
};

// The text a platform gets for `variant` of `content`, as publishing sends it and as the
// platform counts its length: the variant's text (the master text where it has none),
// then its hashtags, each with '#', separated by spaces after a blank line:
// "Flu shots today.\n\n#FluShot #StayWell". The web app's preview and counter build the
// same text (ui/src/posts.ts textAsPublished).
std::string TextAsPublished(const PostContent& content, const Variant& variant);

// OK when `zone` is an IANA time zone name the system's tz database knows
// (core::TimeZone::Load); otherwise InvalidArgument naming the field and the zone.
absl::Status CheckTimeZone(std::string_view zone);

struct ApprovalRecord {
  Approval approval = Approval::kManager;
  int64_t user_id = 0;
  absl::Time at;
};

struct OverrideRecord {
  int64_t user_id = 0;
  std::string reason;
  absl::Time at;
};

struct Post {
  int64_t id = 0;
  int64_t organization_id = 0;
  int64_t brand_id = 0;
  std::optional<int64_t> campaign_id;
  int64_t author_user_id = 0;
  PostStatus status = PostStatus::kDraft;
  int64_t revision = 1;
  std::optional<absl::Time> scheduled_at;
  std::string time_zone;  // '' while unscheduled
  absl::Time created_at;
  absl::Time updated_at;
  // The current revision:
  PostContent content;
  std::string findings_json = "{}";
  Routing routing;
  std::optional<int64_t> edited_by;         // who wrote this revision
  std::vector<ApprovalRecord> approvals;    // given on this revision
  std::optional<OverrideRecord> override_;  // of this revision's block
  // An occurrence of a recurring series (domain/series.h): the series, the local date
  // it was planned for ("YYYY-MM-DD"), its link ("linked" follows the series;
  // "detached" was edited on its own; "replaced" was superseded by a change of the
  // series) and the DST note when its wall time had to be resolved ('' if not).
  std::optional<int64_t> series_id;
  std::string series_date;
  std::string series_state;
  std::string series_note;
};

// A post's content as it was at one revision.
struct PostRevision {
  int64_t revision = 0;
  PostContent content;
  std::string findings_json = "{}";
  Routing routing;
  std::optional<int64_t> edited_by;
  absl::Time created_at;
  std::optional<absl::Time> submitted_at;
};

// Where an inline review comment points: a span of one text of one revision. Checks
// and the texts a field names: domain/comment_anchor.h.
struct CommentAnchor {
  int64_t revision = 0;  // 0 in AddComment(): the current revision
  // "master", "<platform>.text" (the text as published: TextAsPublished),
  // "<platform>.first_comment", "media[<i>].alt_text"
  std::string field;
  int64_t start = 0;  // UTF-8 byte offsets into the field's text, [start, end)
  int64_t end = 0;
};

struct PostComment {
  int64_t id = 0;
  int64_t revision = 0;
  std::optional<int64_t> user_id;
  std::string kind;  // comment, request_changes, override
  std::string body;
  absl::Time created_at;
  std::optional<CommentAnchor> anchor;  // none: about the whole post
};

struct NewPost {
  int64_t brand_id = 0;
  std::optional<int64_t> campaign_id;  // a campaign of the same brand
  PostContent content;
  GuardReport guard;  // of `content`
  std::optional<absl::Time> scheduled_at;
  std::string time_zone;  // required with scheduled_at
};

// What Update() changes: only the fields that are set.
struct PostEdit {
  std::optional<std::optional<int64_t>> campaign_id;  // set to nullopt: no campaign
  std::optional<PostContent> content;                 // REQUIRES: guard set with it
  std::optional<GuardReport> guard;
  // A new time for a post that is not scheduled yet (schedule() moves a scheduled one);
  // it must lie in the future (InvalidArgument naming scheduled_at otherwise).
  std::optional<std::optional<absl::Time>> scheduled_at;
  std::optional<std::string> time_zone;
};

struct PostQuery {
  std::optional<int64_t> brand_id;
  std::optional<int64_t> campaign_id;
  std::optional<std::string> platform;  // has a variant for it
  std::optional<PostStatus> status;
  std::optional<absl::Time> from;    // scheduled_at >= from
  std::optional<absl::Time> to;      // scheduled_at < to
  bool unscheduled = false;          // only posts without a time (the calendar's list)
  std::optional<int64_t> series_id;  // occurrences of this series (domain/series.h)
  // Only posts waiting for an approval the caller may give (the review queue).
  bool awaiting_my_review = false;
  // Read only what a calendar draws: the variants' platforms (their text, link, first
  // comment and hashtags stay empty), whether an override exists (an empty
  // OverrideRecord), no findings_json ("{}"), approvals or media. Ignored with
  // awaiting_my_review, which needs the approvals.
  bool summary_only = false;
  int64_t after_id = 0;
  int64_t limit = 50;
};

// The checks Create() makes of a post before touching the database (content bounds,
// variants, links, hashtags, time zone with a time): InvalidArgument naming the field
// ("master_text ...", "variants.x.link ...", "time_zone ...").
[[nodiscard]] absl::Status CheckNewPost(const NewPost& post);

// What publishing does inside the transactions that schedule, move or unschedule a
// post, so its outbox jobs change with the post or not at all (domain/outbox.h).
class ScheduleHook {
 public:
  virtual ~ScheduleHook() = default;
  // `post` (as read before the change) is now scheduled at `when`: first time or moved.
  [[nodiscard]] virtual absl::Status OnScheduled(store::Tx& tx, const Post& post, absl::Time when,
                                                 absl::Time now) = 0;
  // The post left scheduled: cancelled, or sent back to review by an edit.
  [[nodiscard]] virtual absl::Status OnUnscheduled(store::Tx& tx, int64_t post_id,
                                                   absl::Time now) = 0;
};

class PostService {
 public:
  // Everything passed in must outlive the service.
  PostService(store::Database& db, core::Clock& clock, AuditLog& audit);
  // Calls `hook` (nullptr: none) inside Schedule(), Cancel() and Update() transactions.
  // REQUIRES: set before use; `hook` outlives the service.
  void set_schedule_hook(ScheduleHook* hook) { hook_ = hook; }

  // Creates a draft written by the caller (posts.draft for the brand).
  [[nodiscard]] absl::StatusOr<int64_t> Create(const Caller& caller, const NewPost& post);
  // Creates every post as Create() does, all in ONE transaction (calendar import): an
  // error about one post names it ("post 3: ...", counting from 1) and creates none.
  // Audited as one post.create per post plus one calendar.import event (the count and
  // the brands). Returns the ids in the order given.
  [[nodiscard]] absl::StatusOr<std::vector<int64_t>> Import(const Caller& caller,
                                                            std::span<const NewPost> posts);
  // Create()'s work inside the caller's transaction (series materialization adds its
  // occurrences with its own rows); the caller flushes audit checkpoints after commit.
  [[nodiscard]] absl::StatusOr<int64_t> CreateInTx(store::Tx& tx, const Caller& caller,
                                                   const NewPost& post) {
    return InsertInTx(tx, caller, post);
  }
  // NotFound when there is none the caller may read.
  [[nodiscard]] absl::StatusOr<Post> Get(const Caller& caller, int64_t id);
  // Posts of the brands the caller may read that match `query`, by id.
  [[nodiscard]] absl::StatusOr<std::vector<Post>> List(const Caller& caller,
                                                       const PostQuery& query);
  // Changes a post that is not cancelled (or past scheduling). See the file comment for
  // revisions and the return to review. A series occurrence whose content or time
  // changes is detached from its series ("this post only").
  [[nodiscard]] absl::StatusOr<Post> Update(const Caller& caller, int64_t id, const PostEdit& edit);
  // Deletes a draft that was never submitted (anything else is cancelled instead).
  [[nodiscard]] absl::Status Delete(const Caller& caller, int64_t id);

  // draft -> in_review (posts.draft). An optional comment goes to the reviewers.
  [[nodiscard]] absl::StatusOr<Post> Submit(const Caller& caller, int64_t id,
                                            std::string_view comment = {});
  // Gives every approval the post still needs that the caller may give; in_review ->
  // approved once none is missing. PermissionDenied for the post's author or last
  // editor, or when the caller can give none of the missing approvals.
  [[nodiscard]] absl::StatusOr<Post> Approve(const Caller& caller, int64_t id,
                                             std::string_view comment = {});
  // in_review -> draft with the reviewer's comment (required).
  [[nodiscard]] absl::StatusOr<Post> RequestChanges(const Caller& caller, int64_t id,
                                                    std::string_view comment);
  // approved -> scheduled, or moves a scheduled post (posts.schedule). The time is
  // `at` in `time_zone` when given, else the post's own; it must lie in the future.
  // FailedPrecondition while an unoverridden finding blocks. A series occurrence moved to
  // another time or zone is detached from its series.
  [[nodiscard]] absl::StatusOr<Post> Schedule(const Caller& caller, int64_t id,
                                              std::optional<absl::Time> at = std::nullopt,
                                              std::string_view time_zone = {});
  // draft, in_review, approved -> cancelled (posts.draft); scheduled -> cancelled
  // (posts.schedule).
  [[nodiscard]] absl::StatusOr<Post> Cancel(const Caller& caller, int64_t id,
                                            std::string_view reason = {});
  // Overrides the current revision's guard block (guard.override) with a written reason
  // (10 to 2000 bytes). FailedPrecondition when nothing blocks.
  [[nodiscard]] absl::StatusOr<Post> Override(const Caller& caller, int64_t id,
                                              std::string_view reason);

  // Every revision, oldest first (posts.read).
  [[nodiscard]] absl::StatusOr<std::vector<PostRevision>> Revisions(const Caller& caller,
                                                                    int64_t id);
  // The review conversation, oldest first (posts.read).
  [[nodiscard]] absl::StatusOr<std::vector<PostComment>> Comments(const Caller& caller, int64_t id);
  // Adds a comment (posts.draft or any review permission for the brand), about the whole
  // post or, with `anchor`, about a span of one text of one revision (the current one
  // when anchor->revision is 0): InvalidArgument naming the anchor's part when the
  // revision, the field or the span does not fit (domain/comment_anchor.h).
  [[nodiscard]] absl::StatusOr<PostComment> AddComment(
      const Caller& caller, int64_t id, std::string_view body,
      const std::optional<CommentAnchor>& anchor = std::nullopt);

  // For AuthorizationService, inside its transaction: patient authorization
  // `authorization_id` stopped being valid (`why`: "revoked" or "expired"). Every open
  // post of the organization whose current revision relied on it gets a new revision
  // with the same content and the downgraded findings restored (RestoreFindingsJson:
  // the block is back), approved and scheduled posts go back to in_review, the author
  // (and, for posts entering review, the reviewers) are notified, and each post is
  // audited as post.authorization_withdrawn by `actor`. Returns how many posts changed.
  [[nodiscard]] absl::StatusOr<int> WithdrawAuthorizationInTx(store::Tx& tx, const Actor& actor,
                                                              int64_t organization_id,
                                                              int64_t authorization_id,
                                                              std::string_view why);

  // For services that take a scheduled post off the schedule inside their own
  // transaction (a series ending cancels its occurrences): the schedule hook hears of
  // it, so the post's publish jobs are cancelled with it. No-op without a hook.
  [[nodiscard]] absl::Status LeftScheduleInTx(store::Tx& tx, int64_t post_id, absl::Time now);

 private:
  // Records a read of posts: one post.view event for post `id` (details.read: "post",
  // "revisions", "comments"), or, without an id, one post.list event naming the
  // `listed` posts (none listed: no event). Unavailable when it cannot be recorded.
  absl::Status AuditRead(const Caller& caller, std::string_view what, std::optional<int64_t> id,
                         std::span<const int64_t> listed = {});
  // Create()'s work inside a transaction: checks, rows, audit event.
  absl::StatusOr<int64_t> InsertInTx(store::Tx& tx, const Caller& caller, const NewPost& post);

  store::Database& db_;
  core::Clock& clock_;
  AuditLog& audit_;
  ScheduleHook* hook_ = nullptr;
};

}  // namespace carepost::domain
