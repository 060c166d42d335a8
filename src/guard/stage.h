// File: guard/stage.h
//
// A Stage is one family of checks (PHI, misinformation, crisis, ...). The Screener
// builds every stage once: each registers its patterns with the shared PatternSet
// through a StageBuilder, and its compiled state is then read-only, shared by all
// threads. Screening a text runs the shared analysis and the one pattern scan, then
// hands each stage the Document and its own matches.
//
// Stages append findings to `out`; they may read `out` (findings of earlier stages:
// PHI runs before patient confirmation, for instance). Severity follows policy.h.
// Messages must never quote text from the input: they are logged and shown to people
// who may not be allowed to see PHI.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "guard/document.h"
#include "guard/finding.h"
#include "guard/matcher.h"

namespace carepost::guard {

// An image or video attached to a post.
struct MediaItem {
  bool is_image = true;
  std::string_view alt_text;  // empty when the author wrote none
};

// What the caller knows about one text.
struct ScreenRequest {
  Context context = Context::kPost;
  Platform platform = Platform::kNone;
  std::span<const MediaItem> media;
};

// Registers patterns for one stage. A pattern derived from the ScreenerOptions (the org
// profile) must carry kPatternOrg: every other pattern is compiled into the binary at
// build time from a Screener with default options (builtin_patterns.h).
class StageBuilder {
 public:
  StageBuilder(PatternSet* set, int stage) : set_(set), stage_(stage) {}
  uint32_t Add(std::string_view regex, unsigned flags = kPatternDefault) {
    return set_->Add(stage_, regex, flags);
  }
  uint32_t AddWord(std::string_view literal, unsigned flags = kPatternDefault) {
    return set_->AddWord(stage_, literal, flags);
  }
  uint32_t AddLiteral(std::string_view literal, unsigned flags = kPatternDefault) {
    return set_->AddLiteral(stage_, literal, flags);
  }

 private:
  PatternSet* set_;
  int stage_;
};

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  // REQUIRES: `hits` are this stage's matches on doc.norm(), in order of end offset.
  virtual void Screen(const Document& doc, std::span<const Match> hits,
                      const ScreenRequest& request, std::vector<Finding>* out) const = 0;
  // The text's length as request.platform counts it, for the one stage that knows
  // (platform limits); the same REQUIRES as Screen.
  virtual std::optional<PlatformLength> Length(const Document& /*doc*/,
                                               std::span<const Match> /*hits*/,
                                               const ScreenRequest& /*request*/) const {
    return std::nullopt;
  }
};

}  // namespace carepost::guard
