// File: domain/post_media.h
//
// The media part of a post's content (PostContent::media), for PostService: the checks
// on what an author attaches, storing and reading the attachments of each revision,
// and the check that scheduling makes — every attachment fits every platform it goes to.
//
// Rules:
//   - at most kMaxPostMedia attachments; each names media of the post's brand;
//   - alt text is required: 1 to kMaxAltTextChars characters of valid UTF-8 with
//     something other than spaces (screened by the guard like the post's text, as field
//     "media[<i>].alt_text"), and part of the revision: editing it is a content edit;
//   - `platforms` is empty (every platform the post has a variant for) or a subset of the
//     post's variants' platforms, each named once;
//   - to be scheduled, each attachment's type and size must suit each of its platforms
//     (plan::CheckMediaForPlatform) and its alt text the platform's alt-text limit
//     (kAltTextLimits: X 1,000 characters, Pinterest 500, Mastodon 1,500).
//
// Thread safety: pure functions, plus queries on the executor passed in.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/posts.h"
#include "store/database.h"

namespace carepost::domain {

inline constexpr size_t kMaxPostMedia = 10;
inline constexpr size_t kMaxAltTextChars = 1500;

// Alt-text limits of the platforms that state one, in characters (Unicode code points).
struct AltTextLimit {
  std::string_view platform;
  size_t max_chars;
};
inline constexpr std::array<AltTextLimit, 3> kAltTextLimits = {
    {{"x", 1000}, {"pinterest", 500}, {"mastodon", 1500}}};

// The checks that need no database. InvalidArgument naming the attachment
// ("media[1].alt_text is required: describe the image ...").
[[nodiscard]] absl::Status CheckPostMedia(const PostContent& content);

// InvalidArgument naming the attachment unless every media id is media of `brand_id`
// in `organization_id`.
[[nodiscard]] absl::Status CheckMediaOfBrand(store::Executor& db,
                                             const std::vector<MediaAttachment>& media,
                                             int64_t organization_id, int64_t brand_id);

// FailedPrecondition naming the attachment, the platform and the limit unless every
// attachment of `content` suits each platform it goes to.
[[nodiscard]] absl::Status CheckMediaFitsPlatforms(store::Executor& db, const PostContent& content,
                                                   int64_t organization_id, int64_t brand_id);

// Writes the attachments of one revision.
[[nodiscard]] absl::Status InsertPostMedia(store::Tx& tx, int64_t post_id, int64_t revision,
                                           const std::vector<MediaAttachment>& media);

// The attachments of posts `post_ids`, keyed by (post id, revision), in position order;
// only each post's current revision when `current_only`.
using PostMediaMap = std::map<std::pair<int64_t, int64_t>, std::vector<MediaAttachment>>;
[[nodiscard]] absl::StatusOr<PostMediaMap> ReadPostMedia(store::Executor& db,
                                                         const std::vector<int64_t>& post_ids,
                                                         bool current_only);

bool SameMedia(const std::vector<MediaAttachment>& a, const std::vector<MediaAttachment>& b);

}  // namespace carepost::domain
