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
  kLiteralRegexBoundary = 1 << 3,  // AddLiteral: word boundaries as a regex `\b` sees them
                                   // ([a-z0-9_] are word characters; a byte >= 0x80 such as
                                   // an emoji is not), for literals expanded from a regex
};

class PatternSet {
 public:
  // Registers `regex` for `stage`; returns its id local to that stage (0, 1, 2, ...).
  uint32_t Add(int stage, std::string_view regex, unsigned flags = kPatternDefault);
  // Registers an exact literal (lower case; it is matched on Document::norm()). Literals
  // are Hyperscan's fastest path — thousands cost about as much as one — and need no
  // start-of-match tracking: prefer them to regular expressions for word lists.
  // Whichever end of the literal is a word character ([a-z0-9]) must sit on a word
  // boundary in the text (checked before the match is reported), so "flu" does not
  // match inside "influenza".
  uint32_t AddLiteral(int stage, std::string_view literal, unsigned flags = kPatternDefault);
  // A literal with word boundaries where a space in it matches any run of spaces or
  // hyphens ("heart attack" also matches "heart-attack"). Without spaces it is AddLiteral.
  uint32_t AddWord(int stage, std::string_view literal);

  size_t size() const { return patterns_.size(); }

 private:
  friend class Matcher;
  struct Entry {
    std::string regex;
    unsigned flags;
    int stage;
    uint32_t local_id;
    uint32_t literal_len = 0;  // > 0 for AddLiteral entries
    bool bound_start = false;  // literal: require a word boundary before it
    bool bound_end = false;    // literal: require a word boundary after it
    bool regex_boundary = false;  // literal: kLiteralRegexBoundary
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
  struct ScanContext;
  static int OnMatch(unsigned int id, unsigned long long from, unsigned long long to,
                     unsigned int flags, void* ctx);
  hs_database* db_ = nullptr;
  int num_stages_ = 0;
  struct Target {
    int stage = 0;
    uint32_t local_id = 0;
    uint32_t literal_len = 0;  // > 0: a literal, its start is end - length
    bool bound_start = false;
    bool bound_end = false;
    bool regex_boundary = false;
  };
  std::vector<Target> targets_;  // global id -> where the match goes
};

}  // namespace carepost::guard
