#include "plan/vocabulary.h"

#include <cstddef>

namespace carepost::plan {
namespace {

struct PlatformNames {
  std::string_view name;
  std::string_view label;
};
constexpr PlatformNames kPlatformNames[] = {{"facebook", "Facebook"},   {"instagram", "Instagram"},
                                            {"threads", "Threads"},     {"x", "X"},
                                            {"linkedin", "LinkedIn"},   {"youtube", "YouTube"},
                                            {"pinterest", "Pinterest"}, {"tiktok", "TikTok"},
                                            {"bluesky", "Bluesky"},     {"mastodon", "Mastodon"}};
static_assert(std::size(kPlatformNames) == kAllPlatforms.size());

constexpr std::string_view kStatusNames[] = {"draft",      "in_review", "approved", "scheduled",
                                             "publishing", "published", "failed",   "cancelled"};
static_assert(std::size(kStatusNames) == kAllPostStatuses.size());

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view PlatformName(Platform p) { return kPlatformNames[static_cast<size_t>(p)].name; }

std::string_view PlatformLabel(Platform p) { return kPlatformNames[static_cast<size_t>(p)].label; }

std::optional<Platform> ParsePlatform(std::string_view name) {
  for (Platform p : kAllPlatforms) {
    if (EqualsIgnoreAsciiCase(name, PlatformName(p))) return p;
  }
  return std::nullopt;
}

std::string_view PostStatusName(PostStatus s) { return kStatusNames[static_cast<size_t>(s)]; }

std::optional<PostStatus> ParsePostStatus(std::string_view name) {
  for (PostStatus s : kAllPostStatuses) {
    if (EqualsIgnoreAsciiCase(name, PostStatusName(s))) return s;
  }
  return std::nullopt;
}

}  // namespace carepost::plan
