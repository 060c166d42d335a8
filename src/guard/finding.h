// File: guard/finding.h
//
// What the guard reports: a Finding is one problem in a text, located by UTF-8 byte
// offsets into the ORIGINAL input (never a normalised copy). The vocabulary here is
// the contract shared by `carepost check --format jsonl`, the REST API and the UI;
// docs/findings.schema.json is its written form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carepost::guard {

// Where a text is going (or coming from). Severity depends on it.
enum class Context : uint8_t {
  kPost,     // an outbound post on one of the organization's accounts
  kReply,    // an outbound reply to someone
  kInbound,  // a comment, mention or DM the organization received
};

enum class Platform : uint8_t {
  kNone,
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

enum class Kind : uint8_t {
  kPhi,
  kPatientConfirmation,
  kMisinformation,
  kAlarmist,
  kMedicalClaim,
  kReadingLevel,
  kCrisis,
  kPlatformLimit,
};

// Ordered: a larger value is more serious.
enum class Severity : uint8_t { kInfo, kReview, kBlock };

enum class Verdict : uint8_t { kPass, kReview, kBlock };

struct Source {
  std::string title;
  std::string url;
};

struct Finding {
  Kind kind = Kind::kPhi;
  // Kind-specific type: a PHI identifier (NAME, GEO, ...), `self_harm`, a knowledge-base
  // claim id, a phrase family, `grade`, `length`, ...
  std::string type;
  uint32_t start = 0;  // UTF-8 byte offset into the original text, inclusive
  uint32_t end = 0;    // exclusive
  Severity severity = Severity::kInfo;
  std::string message;     // what is wrong, for a person; never repeats PHI from the text
  std::string suggestion;  // what to do instead, when there is something to suggest
  std::string rebuttal;    // misinformation only: the evidence-based answer
  std::vector<Source> sources;
};

// A text's length the way its platform counts it, for a character counter.
struct PlatformLength {
  int64_t count = 0;  // in `unit`
  int64_t limit = 0;
  // How the platform counts: "x_weighted" (links 23, emoji and CJK 2), "graphemes",
  // "code_points", "utf16", "utf8_bytes", "threads" (emoji count as their UTF-8 bytes).
  std::string_view unit;
};

struct ScreenResult {
  Verdict verdict = Verdict::kPass;
  std::vector<Finding> findings;  // sorted by start, then end
  // Set when the text was screened as outbound (post or reply) for a platform.
  std::optional<PlatformLength> length;
};

// Names used in JSON and on the command line.
std::string_view ContextName(Context c);
std::string_view PlatformName(Platform p);
std::string_view KindName(Kind k);
std::string_view SeverityName(Severity s);
std::string_view VerdictName(Verdict v);
std::optional<Context> ParseContext(std::string_view name);
std::optional<Platform> ParsePlatform(std::string_view name);

// block if any finding blocks, else review if any needs review, else pass.
Verdict VerdictOf(const std::vector<Finding>& findings);

}  // namespace carepost::guard
