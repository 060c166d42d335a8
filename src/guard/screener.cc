#include "guard/screener.h"

#include <algorithm>

#include "core/status_macros.h"
#include "guard/builtin_patterns.h"
#include "guard/stages.h"

namespace carepost::guard {

Screener::Scratch::Scratch() = default;
Screener::Scratch::Scratch(Scratch&&) noexcept = default;
Screener::Scratch& Screener::Scratch::operator=(Scratch&&) noexcept = default;
Screener::Scratch::~Scratch() = default;

Screener::~Screener() = default;

namespace {

// Builds every stage in the order they run; each registers its patterns in `patterns`.
absl::Status BuildStages(const ScreenerOptions& options, PatternSet* patterns,
                         std::vector<std::unique_ptr<Stage>>* stages) {
  using Factory = absl::StatusOr<std::unique_ptr<Stage>> (*)(const ScreenerOptions&, StageBuilder&);
  static constexpr Factory kFactories[] = {
      NewPhiStage,      NewPatientConfirmationStage, NewMisinformationStage,
      NewAlarmistStage, NewMedicalClaimStage,        NewReadingLevelStage,
      NewCrisisStage,   NewPlatformLimitStage,
  };
  int index = 0;
  for (Factory f : kFactories) {
    StageBuilder builder(patterns, index++);
    ASSIGN_OR_RETURN(std::unique_ptr<Stage> stage, f(options, builder));
    stages->push_back(std::move(stage));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PatternSet> BuiltinPatterns() {
  PatternSet patterns;
  std::vector<std::unique_ptr<Stage>> stages;
  RETURN_IF_ERROR(BuildStages(ScreenerOptions{}, &patterns, &stages));
  return patterns;
}

absl::StatusOr<std::unique_ptr<const Screener>> Screener::Create(ScreenerOptions options) {
  std::unique_ptr<Screener> s(new Screener());
  s->options_ = std::move(options);
  PatternSet patterns;
  RETURN_IF_ERROR(BuildStages(s->options_, &patterns, &s->stages_));
  const SerializedPatterns* builtin =
      s->options_.builtin_pattern_database ? &BuiltinPatternDatabase() : nullptr;
  ASSIGN_OR_RETURN(s->matcher_,
                   Matcher::Compile(patterns, static_cast<int>(s->stages_.size()), builtin));
  return std::unique_ptr<const Screener>(std::move(s));
}

Screener::Scratch Screener::NewScratch() const {
  Scratch scratch;
  scratch.match_ = matcher_->NewScratch();
  return scratch;
}

void Screener::Prepare(std::string_view text, Scratch& scratch) const {
  scratch.doc_.Analyze(text);
  matcher_->Scan(scratch.doc_.norm(), *scratch.match_, &scratch.hits_);
}

void Screener::RunStage(size_t i, const ScreenRequest& request, Scratch& scratch,
                        std::vector<Finding>* out) const {
  stages_[i]->Screen(scratch.doc_, scratch.hits_[i], request, out);
}

ScreenResult Screener::Screen(std::string_view text, const ScreenRequest& request,
                              Scratch& scratch) const {
  Prepare(text, scratch);
  ScreenResult result;
  for (size_t i = 0; i < stages_.size(); ++i) {
    RunStage(i, request, scratch, &result.findings);
    if (std::optional<PlatformLength> length =
            stages_[i]->Length(scratch.doc_, scratch.hits_[i], request)) {
      result.length = length;
    }
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return a.start != b.start ? a.start < b.start : a.end < b.end;
                   });
  result.verdict = VerdictOf(result.findings);
  return result;
}

std::string Redact(std::string_view text, const std::vector<Finding>& findings) {
  struct Piece {
    uint32_t start, end;
    std::string_view type;
  };
  std::vector<Piece> pieces;
  for (const Finding& f : findings) {
    if (f.kind == Kind::kPhi && f.end > f.start && f.end <= text.size()) {
      pieces.push_back({f.start, f.end, f.type});
    }
  }
  std::sort(pieces.begin(), pieces.end(),
            [](const Piece& a, const Piece& b) { return a.start < b.start; });
  std::string out;
  out.reserve(text.size());
  uint32_t pos = 0;
  for (size_t i = 0; i < pieces.size();) {
    Piece merged = pieces[i++];
    while (i < pieces.size() && pieces[i].start < merged.end) {
      merged.end = std::max(merged.end, pieces[i].end);
      ++i;
    }
    if (merged.start < pos) merged.start = pos;
    out.append(text.substr(pos, merged.start - pos));
    out += '[';
    out.append(merged.type);
    out += ']';
    pos = merged.end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace carepost::guard
