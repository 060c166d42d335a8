// File: guard/matcher.h
//
// The one multi-pattern pass. Every stage registers its regular expressions in a
// PatternSet while the Screener is built, and screening a text scans its normalised
// form once, handing each stage only its own matches. This facade is the only place
// that includes <hs.h>.
//
// The patterns live in two Hyperscan databases:
//   - the built-in one: every pattern that does not depend on the Screener's options.
//     It is compiled at BUILD time (pattern_db_gen.cc, see builtin_patterns.h),
//     serialized into the binary, and only deserialized at run time (milliseconds
//     instead of seconds). A database that does not fit (another Hyperscan version, a
//     CPU without the instructions it was compiled for, or a pattern set that changed
//     since it was built) is replaced by compiling the same patterns at start, and
//     Matcher::note() says why.
//   - the organization's: patterns registered with kPatternOrg (the org profile's own
//     names and places), few, compiled at run time into a second, small database.
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
  kPatternOrg = 1 << 4,  // comes from the Screener's options (the org profile): compiled at
                         // run time into the small second database, never built in
};

// A serialized Hyperscan database of a PatternSet's built-in patterns, and what it was
// built from, so a database that no longer matches the patterns is never used.
struct SerializedPatterns {
  std::string_view bytes;    // hs_serialize_database output; empty: none
  uint64_t fingerprint = 0;  // PatternSet::BuiltinFingerprint() of the patterns
  uint32_t count = 0;        // PatternSet::builtin_size()
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
  // When no word of the phrase begins or ends with a space or hyphen, a match's start
  // follows from its end, so it is found by walking back from the end instead of by
  // Hyperscan's start-of-match tracking, which slows every scan.
  uint32_t AddWord(int stage, std::string_view literal, unsigned flags = kPatternDefault);

  size_t size() const { return patterns_.size(); }
  // The patterns without kPatternOrg: what the built-in database holds.
  size_t builtin_size() const;
  // A hash of every built-in pattern's expression and Hyperscan flags, in order: equal
  // fingerprints mean a serialized database fits this set.
  uint64_t BuiltinFingerprint() const;

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
    std::string phrase;           // AddWord without start tracking: its start is PhraseStart
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
  hs_scratch* scratch_ = nullptr;     // fits both databases
  std::vector<size_t> builtin_hits_;  // per stage: matches from the built-in database
};

class Matcher {
 public:
  // Builds the matcher for every pattern in `set`. The built-in patterns come from
  // `builtin` when it fits the set (same fingerprint and count, loads and runs on this
  // machine); otherwise, or when `builtin` is null, they are compiled here. The
  // kPatternOrg patterns are always compiled here. An invalid pattern fails with a
  // message naming its stage, its id and the Hyperscan error.
  static absl::StatusOr<std::unique_ptr<const Matcher>> Compile(
      const PatternSet& set, int num_stages, const SerializedPatterns* builtin = nullptr);
  // Compiles the built-in patterns of `set` for this machine and serializes the
  // database (what the build-time generator embeds).
  static absl::StatusOr<std::string> SerializeBuiltin(const PatternSet& set);
  ~Matcher();

  // Why the given built-in database was not used and the patterns were compiled at
  // start instead; empty when it was used (or none was given).
  const std::string& note() const { return note_; }
  // True when the built-in patterns were deserialized rather than compiled.
  bool builtin_precompiled() const { return builtin_precompiled_; }

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
  hs_database* db_ = nullptr;      // the built-in patterns
  hs_database* org_db_ = nullptr;  // the kPatternOrg patterns, or null
  bool builtin_precompiled_ = false;
  std::string note_;
  int num_stages_ = 0;
  struct Target {
    int stage = 0;
    uint32_t local_id = 0;
    uint32_t literal_len = 0;  // > 0: a literal, its start is end - length
    bool bound_start = false;
    bool bound_end = false;
    bool regex_boundary = false;
    uint32_t phrase = 0;  // > 0: an AddWord phrase, phrases_[phrase - 1]; start from its end
  };
  std::vector<std::string> phrases_;
  // Hyperscan id -> where the match goes: built-in patterns first (ids 0..n-1 in the
  // built-in database, in registration order), then the org patterns.
  std::vector<Target> targets_;
};

}  // namespace carepost::guard
