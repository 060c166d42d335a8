// File: guard/alarmist_testing.h
//
// Test-only harness for the wording stages (alarmist, medical_claim, reading_level,
// platform_limits): builds ONE stage with its own Hyperscan database, so a stage's
// tests do not depend on the other stages.
//
//   StageHarness h(NewAlarmistStage);
//   std::vector<Finding> f = h.Screen("A deadly flu season", {.context = Context::kPost});
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "guard/stages.h"

namespace carepost::guard {

class StageHarness {
 public:
  using Factory = absl::StatusOr<std::unique_ptr<Stage>> (*)(const ScreenerOptions&, StageBuilder&);

  explicit StageHarness(Factory factory, ScreenerOptions options = {})
      : options_(std::move(options)) {
    PatternSet set;
    StageBuilder builder(&set, 0);
    auto stage = factory(options_, builder);
    EXPECT_TRUE(stage.ok()) << stage.status();
    if (!stage.ok()) return;
    stage_ = std::move(*stage);
    auto matcher = Matcher::Compile(set, 1);
    EXPECT_TRUE(matcher.ok()) << matcher.status();
    if (!matcher.ok()) return;
    matcher_ = std::move(*matcher);
    scratch_ = matcher_->NewScratch();
  }

  bool ok() const { return stage_ != nullptr && matcher_ != nullptr; }

  std::vector<Finding> Screen(std::string_view text, const ScreenRequest& request = {}) {
    std::vector<Finding> out;
    if (!ok()) return out;
    doc_.Analyze(text);
    matcher_->Scan(doc_.norm(), *scratch_, &hits_);
    stage_->Screen(doc_, hits_[0], request, &out);
    return out;
  }

  // The original text each finding spans, for readable assertions.
  static std::vector<std::string> Spans(std::string_view text, const std::vector<Finding>& f) {
    std::vector<std::string> out;
    for (const Finding& x : f) out.emplace_back(text.substr(x.start, x.end - x.start));
    return out;
  }

  // Findings of type `type`.
  static std::vector<Finding> OfType(const std::vector<Finding>& f, std::string_view type) {
    std::vector<Finding> out;
    for (const Finding& x : f) {
      if (x.type == type) out.push_back(x);
    }
    return out;
  }

 private:
  ScreenerOptions options_;
  std::unique_ptr<Stage> stage_;
  std::unique_ptr<const Matcher> matcher_;
  std::unique_ptr<MatchScratch> scratch_;
  Document doc_;
  std::vector<std::vector<Match>> hits_;
};

}  // namespace carepost::guard
