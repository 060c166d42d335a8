// File: http/plan_api.h
//
// The API routes for planning: campaigns, posts with per-platform variants, the
// approval workflow, review comments and in-app notifications (docs/openapi.yaml has
// the contract):
//
//   GET    /api/v1/campaigns                    list (brand_id, cursor pages)    posts.read
//   POST   /api/v1/campaigns                    plan a campaign                  campaigns.manage
//   GET    /api/v1/campaigns/{id}               one campaign                     posts.read
//   PATCH  /api/v1/campaigns/{id}               change it                        campaigns.manage
//   DELETE /api/v1/campaigns/{id}               delete one without posts         campaigns.manage
//   GET    /api/v1/posts                        calendar and queue filters       posts.read
//   POST   /api/v1/posts                        write a draft                    posts.draft
//   GET    /api/v1/posts/{id}                   one post with findings           posts.read
//   PATCH  /api/v1/posts/{id}                   edit (content, campaign, time)   posts.draft
//   DELETE /api/v1/posts/{id}                   delete a never-submitted draft   posts.draft
//   POST   /api/v1/posts/{id}/submit            draft -> in_review               posts.draft
//   POST   /api/v1/posts/{id}/approve           give the approvals it needs      posts.review
//   POST   /api/v1/posts/{id}/request-changes   in_review -> draft               posts.review
//   POST   /api/v1/posts/{id}/schedule          approved -> scheduled            posts.schedule
//   POST   /api/v1/posts/{id}/cancel            -> cancelled                     posts.draft
//   POST   /api/v1/posts/{id}/override          override a guard block           guard.override
//   GET    /api/v1/posts/{id}/revisions         every revision (for the diff)    posts.read
//   GET    /api/v1/posts/{id}/comments          the review conversation          posts.read
//   POST   /api/v1/posts/{id}/comments          add a comment                    posts.read
//   GET    /api/v1/notifications                the caller's notifications       signed in
//   POST   /api/v1/notifications/{id}/read      mark one read                    signed in
//   POST   /api/v1/notifications/read-all       mark all read                    signed in
//
// The route's permission is checked "somewhere" by the app; the domain services check
// it for the brand acted on and enforce the workflow (domain/posts.h). The server
// screens every text of a post with the guard when it is written (the master text,
// each variant's text — the master text where a variant has none — each first comment,
// and each media item's alt text as "media[<i>].alt_text"), keeps the findings with the revision
// and hands the domain their summary, which decides who must approve and whether the post is
// blocked. A post may name the patient HIPAA authorizations it relies on
// (`authorization_ids`): a PHI finding that blocks and names a detail a VALID one covers
// (domain::AuthorizationCover) is downgraded to review — still phi, so compliance must
// approve — with a message naming the authorization, and its original severity and
// message kept under "authorization" in the stored findings (the domain restores them
// if the authorization is revoked or expires). Findings no authorization covers still
// block.
//
//   AddPlanRoutes(app, {.campaigns = &campaigns, .posts = &posts,
//                       .notifications = &notifications, .screener = screener});
//
// Thread safety: the routes are safe to serve from many threads.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "domain/campaigns.h"
#include "domain/notifications.h"
#include "domain/patient_authorizations.h"
#include "domain/posts.h"
#include "guard/screener.h"
#include "http/app.h"
#include "http/metrics.h"
#include "http/scratch_pool.h"

namespace carepost::http {

struct PlanApiOptions {
  // Required; must outlive the App.
  domain::CampaignService* campaigns = nullptr;
  domain::PostService* posts = nullptr;
  domain::NotificationService* notifications = nullptr;
  const guard::Screener* screener = nullptr;
  // Patient authorizations posts may rely on (optional: without it, named
  // authorizations cover nothing).
  domain::AuthorizationService* authorizations = nullptr;
  // Guard metrics (optional).
  Metrics* metrics = nullptr;
};

// Adds the routes above to `app`.
void AddPlanRoutes(App& app, PlanApiOptions options);

// Screens every text of `content` as POST /api/v1/posts does (for callers outside a
// request, such as the demo seeding). REQUIRES: the texts are valid UTF-8.
domain::GuardReport ScreenPostContent(const guard::Screener& screener,
                                      const domain::PostContent& content,
                                      const domain::AuthorizationCover* cover = nullptr);

// What the post routes do before storing content, for other routes that write posts
// (calendar import): CheckScreenable() refuses text the guard must not see (too long,
// not UTF-8; InvalidArgument naming the field), and ScreenPostContent() screens every
// text through `pool` and records guard metrics (`metrics` may be null). `cover`: the
// valid authorizations the post relies on (see the file comment), or null.
[[nodiscard]] absl::Status CheckScreenable(const domain::PostContent& content);
domain::GuardReport ScreenPostContent(ScratchPool& pool, Metrics* metrics,
                                      const domain::PostContent& content,
                                      const domain::AuthorizationCover* cover = nullptr);

// Reads body["variants"] as the post routes do (nothing when absent; a 422 problem
// naming the field when malformed), for other routes that take post content (series).
std::optional<Response> ReadVariantsField(const nlohmann::json& body,
                                          std::vector<domain::Variant>* out);

}  // namespace carepost::http
