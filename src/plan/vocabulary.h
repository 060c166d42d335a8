// File: plan/vocabulary.h
//
// The names the planning codecs share with the rest of carepost: the ten platforms a
// post can go to and the states of a post. The spelling here is the one users see in
// CSV files and calendar feeds (lower case, ASCII); parsing is case-insensitive.
// Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace carepost::plan {

enum class Platform : uint8_t {
  kFacebook,
  kInstagram,
  kThreads,
  kX,
  kLinkedIn,
  kYouTube,
  kPinterest,
  kTikTok,
  kBluesky,
  kMastodon,
};
inline constexpr std::array<Platform, 10> kAllPlatforms = {
    Platform::kFacebook, Platform::kInstagram, Platform::kThreads,   Platform::kX,
    Platform::kLinkedIn, Platform::kYouTube,   Platform::kPinterest, Platform::kTikTok,
    Platform::kBluesky,  Platform::kMastodon};

// "facebook", "instagram", "threads", "x", "linkedin", "youtube", "pinterest", "tiktok",
// "bluesky", "mastodon".
std::string_view PlatformName(Platform p);
// The platform whose name equals `name` ignoring ASCII case; nullopt otherwise.
std::optional<Platform> ParsePlatform(std::string_view name);
// A human label for summaries: "Facebook", "X", "LinkedIn", ...
std::string_view PlatformLabel(Platform p);

// The life of a post (issue 4): draft -> in_review -> approved -> scheduled
// (-> publishing -> published | failed) | cancelled.
enum class PostStatus : uint8_t {
  kDraft,
  kInReview,
  kApproved,
  kScheduled,
  kPublishing,
  kPublished,
  kFailed,
  kCancelled,
};
inline constexpr std::array<PostStatus, 8> kAllPostStatuses = {
    PostStatus::kDraft,      PostStatus::kInReview,  PostStatus::kApproved, PostStatus::kScheduled,
    PostStatus::kPublishing, PostStatus::kPublished, PostStatus::kFailed,   PostStatus::kCancelled};

// "draft", "in_review", "approved", "scheduled", "publishing", "published", "failed",
// "cancelled".
std::string_view PostStatusName(PostStatus s);
// The status whose name equals `name` ignoring ASCII case; nullopt otherwise.
std::optional<PostStatus> ParsePostStatus(std::string_view name);

}  // namespace carepost::plan
