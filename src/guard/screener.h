// File: guard/screener.h
//
// The guard's one entry point: text and a context in, findings out.
//
//   ScreenerOptions options;
//   options.org = profile;
//   ASSIGN_OR_RETURN(std::unique_ptr<const Screener> screener, Screener::Create(options));
//   Screener::Scratch scratch = screener->NewScratch();   // one per thread
//   ScreenResult r = screener->Screen(text, {.context = Context::kReply}, scratch);
//
// Building a Screener loads the pattern database compiled into the binary, compiles the
// org profile's few patterns, and loads the shipped knowledge base, gazetteers and
// model (a fraction of a second): build it once and share it. A built
// Screener is immutable and safe to use from many threads at once, each with its own
// Scratch. The guard does no I/O: everything it needs is compiled into the binary.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "guard/document.h"
#include "guard/finding.h"
#include "guard/matcher.h"
#include "guard/org_profile.h"
#include "guard/stage.h"

namespace carepost::guard {

struct ScreenerOptions {
  // The organization's own names, places, numbers and clinicians: never PHI.
  OrgProfile org;
  // Flesch-Kincaid grade above which reading level is reported. Health-literacy
  // guidance asks for grade 6-8 in patient-facing text.
  double reading_grade_target = 8.0;
  // Mastodon's limit is per instance (500 by default).
  int mastodon_char_limit = 500;
  // Run the statistical misinformation classifier as well as the knowledge base. It
  // catches claims the knowledge base does not know; its findings ask for review.
  bool misinfo_classifier = true;
  // Use the pattern database compiled into the binary at build time (builtin_patterns.h)
  // for every pattern but the org profile's. false compiles them all at start, which
  // takes seconds: for tests and benchmarks that compare the two.
  bool builtin_pattern_database = true;
};

class Screener {
 public:
  // Per-thread working memory: reused buffers, so screening does not allocate per token.
  class Scratch {
   public:
    Scratch(Scratch&&) noexcept;
    Scratch& operator=(Scratch&&) noexcept;
    ~Scratch();
    const Document& document() const { return doc_; }

   private:
    friend class Screener;
    Scratch();
    Document doc_;
    std::unique_ptr<MatchScratch> match_;
    std::vector<std::vector<Match>> hits_;
  };

  // Fails when a shipped data file or a pattern is broken (a build defect), or when the
  // org profile contains an entry that cannot be used.
  static absl::StatusOr<std::unique_ptr<const Screener>> Create(ScreenerOptions options);
  ~Screener();

  Scratch NewScratch() const;

  // Screens `text`. REQUIRES: `text` is valid UTF-8 (callers validate outside input with
  // core::ValidateUtf8 and report where it is broken).
  ScreenResult Screen(std::string_view text, const ScreenRequest& request, Scratch& scratch) const;

  // --- For benchmarks: the same work in parts. ---
  // Analyses and scans `text` into `scratch` (shared by all stages).
  void Prepare(std::string_view text, Scratch& scratch) const;
  // Runs only stage `i` on a prepared scratch.
  void RunStage(size_t i, const ScreenRequest& request, Scratch& scratch,
                std::vector<Finding>* out) const;
  size_t num_stages() const { return stages_.size(); }
  std::string_view stage_name(size_t i) const { return stages_[i]->name(); }

  const ScreenerOptions& options() const { return options_; }

  // Empty, or why the built-in pattern database could not be used and the patterns
  // were compiled at start instead (a slower start, the same findings). Callers show it
  // once, as a warning.
  const std::string& pattern_note() const { return matcher_->note(); }
  // True when the built-in patterns came precompiled from the binary.
  bool patterns_precompiled() const { return matcher_->builtin_precompiled(); }

 private:
  Screener() = default;
  ScreenerOptions options_;
  std::vector<std::unique_ptr<Stage>> stages_;
  std::unique_ptr<const Matcher> matcher_;
};

// Replaces every PHI span with its type in brackets ("[NAME]", "[PHONE]"); overlapping
// spans merge. Other findings are ignored.
std::string Redact(std::string_view text, const std::vector<Finding>& findings);

}  // namespace carepost::guard
