// File: guard/matcher.h
//
// The one multi-pattern pass. Every stage registers its regular expressions in a
// PatternSet while the Screener is built; they are compiled into ONE Hyperscan
// database, and screening a text scans its normalised form once, handing each stage
// only its own matches. This facade is the only place that includes <hs.h>.
//
// Pattern syntax is Hyperscan's PCRE subset: no back-references, no look-around
// (`\b` is fine). Patterns run on Document::norm(), which is lower-case, so write
// patterns in lower case. Every pattern reports leftmost start offsets.
//
// Hyperscan reports EVERY end offset at which a pattern matches (`\d+` on "123"
// reports three matches); end a pattern with `\b` or a delimiter when you want one
// match per word.
//
// Thread-safety: a compiled Matcher is immutable and shared by all threads; each
// thread scans with its own MatchScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

struct hs_database;
struct hs_scratch;

namespace carepost::guard {

struct Match {
  uint32_t id = 0;    // pattern id local to the stage that registered it
  uint32_t from = 0;  // normalised byte offsets [from, to)
  uint32_t to = 0;
};

enum PatternFlags : unsigned {
  kPatternDefault = 0,
  kPatternSingleMatch = 1 << 0,  // report only the first match; its `from` is 0 (not computed)
  kPatternDotAll = 1 << 1,       // '.' also matches newlines
  kPatternNoStart = 1 << 2,      // report every match but not its start (`from` is 0):
                                 // several times cheaper to compile than leftmost starts
};

class PatternSet {
 public:
  // Registers `regex` for `stage`; returns its id local to that stage (0, 1, 2, ...).
  uint32_t Add(int stage, std::string_view regex, unsigned flags = kPatternDefault);
  // Registers a literal string, escaped, with word boundaries on whichever ends are
  // word characters.
  uint32_t AddWord(int stage, std::string_view literal);

  size_t size() const { return patterns_.size(); }

 private:
  friend class Matcher;
  struct Entry {
    std::string regex;
    unsigned flags;
    int stage;
    uint32_t local_id;
  };
  std::vector<Entry> patterns_;
  std::vector<uint32_t> next_local_;  // per stage
};

class Matcher;

// Per-thread scan state. Create with Matcher::NewScratch.
class MatchScratch {
 public:
  ~MatchScratch();
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;

 private:
  friend class Matcher;
  MatchScratch() = default;
  hs_scratch* scratch_ = nullptr;
};

class Matcher {
 public:
  // Compiles every pattern in `set`. An invalid pattern fails with a message naming
  // its stage, its id and the Hyperscan error.
  static absl::StatusOr<std::unique_ptr<const Matcher>> Compile(const PatternSet& set,
                                                               int num_stages);
  ~Matcher();

  std::unique_ptr<MatchScratch> NewScratch() const;

  // Scans `norm`; (*hits)[stage] is cleared and receives that stage's matches in
  // order of their end offset. `hits` is resized to the number of stages.
  void Scan(std::string_view norm, MatchScratch& scratch,
            std::vector<std::vector<Match>>* hits) const;

  int num_stages() const { return num_stages_; }

 private:
  Matcher() = default;
  hs_database* db_ = nullptr;
  int num_stages_ = 0;
  std::vector<int> stage_of_;          // global id -> stage
  std::vector<uint32_t> local_id_of_;  // global id -> local id
};

}  // namespace carepost::guard
