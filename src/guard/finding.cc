#include "guard/finding.h"

#include <array>

namespace carepost::guard {
namespace {

constexpr std::array<std::string_view, 3> kContextNames = {"post", "reply", "inbound"};
constexpr std::array<std::string_view, 11> kPlatformNames = {
    "none",     "facebook",  "instagram", "threads", "x",       "linkedin",
    "youtube",  "pinterest", "tiktok",    "bluesky", "mastodon"};

}  // namespace

std::string_view ContextName(Context c) { return kContextNames[static_cast<size_t>(c)]; }
std::string_view PlatformName(Platform p) { return kPlatformNames[static_cast<size_t>(p)]; }

std::string_view KindName(Kind k) {
  switch (k) {
    case Kind::kPhi: return "phi";
    case Kind::kPatientConfirmation: return "patient_confirmation";
    case Kind::kMisinformation: return "misinformation";
    case Kind::kAlarmist: return "alarmist";
    case Kind::kMedicalClaim: return "medical_claim";
    case Kind::kReadingLevel: return "reading_level";
    case Kind::kCrisis: return "crisis";
    case Kind::kPlatformLimit: return "platform_limit";
  }
  return "unknown";
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kReview: return "review";
    case Severity::kBlock: return "block";
  }
  return "unknown";
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "pass";
    case Verdict::kReview: return "review";
    case Verdict::kBlock: return "block";
  }
  return "unknown";
}

std::optional<Context> ParseContext(std::string_view name) {
  for (size_t i = 0; i < kContextNames.size(); ++i) {
    if (kContextNames[i] == name) return static_cast<Context>(i);
  }
  return std::nullopt;
}

std::optional<Platform> ParsePlatform(std::string_view name) {
  for (size_t i = 1; i < kPlatformNames.size(); ++i) {
    if (kPlatformNames[i] == name) return static_cast<Platform>(i);
  }
  if (name == "twitter") return Platform::kX;
  return std::nullopt;
}

Verdict VerdictOf(const std::vector<Finding>& findings) {
  Severity worst = Severity::kInfo;
  for (const Finding& f : findings) worst = std::max(worst, f.severity);
  if (worst == Severity::kBlock) return Verdict::kBlock;
  if (worst == Severity::kReview) return Verdict::kReview;
  return Verdict::kPass;
}

}  // namespace carepost::guard
