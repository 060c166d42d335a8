// File: guard/alarmist_rules.h
//
// Phrase rules for the wording stages (alarmist phrasing, medical claims): a rule is a
// Hyperscan pattern over Document::norm() plus a little token context that tells a
// real hit from a harmless use ("deadly nightshade", "pain killer", "isn't scary").
//
// Rules live in embedded data files, one per line, tab-separated:
//
//   family  flags  pattern  skip_prev  skip_next  suggestion
//
//   family      the finding type (`fear_word`, `efficacy`, ...)
//   flags       comma-separated words, or `-`: `caps` (the original text must be ALL
//               CAPS), `neg` (skip when a negation is among the 3 words before),
//               `topic` (only in texts about suicide), `emerg` (not in texts about a
//               medical emergency, where urgency is right), `deadline` (not in a
//               sentence about a deadline), `weak` (medical claims: only in a sentence
//               that also names a health topic), `cooc` (only when another phrase of
//               the same kind fired in the text), `num` (the word right before the
//               match must be a number, "40" or "one"; the hit then starts there)
//   pattern     Hyperscan syntax, lower case (norm is case-folded); or two patterns
//               joined by ` ~N~ `: the second must start within N words after the first
//               ends, in the same sentence ("reduces ~3~ risk" matches "reduces your
//               overall risk"). Keep patterns literal-led: a pattern that starts with a
//               character class or contains `(\w+ ){0,3}` slows the shared scan for
//               every text; use ` ~N~ ` and `num` instead.
//   skip_prev   `|`-separated words; the rule does not fire when one of the 3 words
//               before the hit is in the list (`-` for none)
//   skip_next   the same for the 2 words after the hit
//   suggestion  calmer or clearer wording, in our own words (`-` for none)
//
// Lines starting with `#` and blank lines are ignored. Parsing happens once, when the
// Screener is built; rules are immutable afterwards and safe to share across threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "guard/document.h"
#include "guard/matcher.h"
#include "guard/stage.h"

namespace carepost::guard {

enum RuleFlags : uint32_t {
  kRuleCaps = 1 << 0,
  kRuleNegatable = 1 << 1,
  kRuleSuicideTopic = 1 << 2,
  kRuleNotEmergency = 1 << 3,
  kRuleNotDeadline = 1 << 4,
  kRuleWeak = 1 << 5,
  kRuleCooccur = 1 << 6,
  kRuleNumberBefore = 1 << 7,
};

struct PhraseRule {
  std::string family;
  uint32_t flags = 0;
  std::string regex;
  std::string regex2;  // second part of a two-part rule, or empty
  int max_gap = 0;     // words allowed between the two parts
  std::vector<std::string> skip_prev;
  std::vector<std::string> skip_next;
  std::string suggestion;

  bool Has(RuleFlags f) const { return (flags & f) != 0; }
};

// Parses a rule file. Errors name the file and the line.
absl::StatusOr<std::vector<PhraseRule>> ParsePhraseRules(std::string_view file_name,
                                                         std::string_view text);

// The embedded file `name`, parsed; fails when it is missing or malformed.
absl::StatusOr<std::vector<PhraseRule>> LoadPhraseRules(std::string_view name);

// One rule firing: [from, to) in normalised offsets, from the start of the (number)
// word where it begins to the end of its last part.
struct RuleHit {
  int rule = 0;
  uint32_t from = 0;
  uint32_t to = 0;
};

// A stage's rules and extra marker patterns, registered with the shared matcher.
class CompiledRules {
 public:
  // Registers every rule's pattern(s) with `b`.
  void AddRules(std::vector<PhraseRule> rules, StageBuilder& b);
  // Registers a pattern the stage interprets itself; `marker` must be negative.
  void AddMarker(std::string_view regex, int marker, StageBuilder& b);

  // The marker of match `m`, or 0 when it belongs to a rule.
  int MarkerOf(const Match& m) const {
    return m.id < what_.size() && what_[m.id] < 0 ? what_[m.id] : 0;
  }

  // Rule hits among `hits` (markers skipped), two-part rules paired and `num` rules
  // checked, in the order their last part ends. `*out` is cleared first.
  void Resolve(const Document& doc, std::span<const Match> hits, std::vector<RuleHit>* out) const;

  const PhraseRule& rule(int i) const { return rules_[i]; }
  size_t size() const { return rules_.size(); }

 private:
  void Register(uint32_t id, int value);

  std::vector<PhraseRule> rules_;
  // Pattern id -> rule * 2 + part (part 0 or 1), or a negative marker.
  std::vector<int> what_;
};

// True when the words around `hit` say the rule should not fire: a word of
// `rule.skip_prev` among the 3 words before it, a word of `rule.skip_next` among the 2
// after it, a negation before it for `neg` rules, or (for `caps` rules) a match whose
// letters are not all upper case in the original text.
bool RuleSkipped(const Document& doc, const RuleHit& hit, const PhraseRule& rule);

// True when normalised offset `n` sits inside double quotes (an odd number of `"`
// before it): a quoted myth or a quoted patient is not the organization's own wording.
bool InsideQuotes(const Document& doc, uint32_t n);

// True when the sentence around normalised offset `n` attributes what follows to others
// before `n` ("posts claiming that ...", "the rumor that ...", "a myth that ..."): the
// organization is reporting the words, not using them.
bool AttributedToOthers(const Document& doc, uint32_t n);

// True when sentence `s` presents a myth ("MYTH: ...", "Myth #2 - ..."): its first
// three words include "myth" or "myths".
bool IsMythSentence(const Document& doc, uint32_t s);

// True when token `t` is a number: digits ("40", "2,000", "1.5") or one to ten in words.
bool IsNumberToken(const Document& doc, const Token& t);

}  // namespace carepost::guard
