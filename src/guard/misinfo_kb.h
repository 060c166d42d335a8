// File: guard/misinfo_kb.h
//
// The misinformation knowledge base: known false health claims, each with a rebuttal
// and sources, and the engine that finds a claim ASSERTED in a text.
//
// The shipped file is src/guard/data/misinfo_kb.toml (format: docs/misinfo-kb.md).
// Each `match` alternative is a list of GROUPS of TERMS; it fires when every group has a
// term in the same sentence, in any order. A term is lower-case words that match
// consecutive words of the normalised text (any punctuation or space between them);
// a `*` at the end of a word makes it a prefix. `unless` terms veto the claim in that
// sentence.
//
// The ENGINE, not each entry, decides that a sentence does not assert a claim:
//   - a question: it ends with '?', or starts with do/does/did/is/are/was/were/can/
//     could/will/would/should/has/have;
//   - a refutation: a plain negation (not, no, never, don't, isn't, can't, won't, ...)
//     inside the stated claim or at most three words before it ("I don't think
//     vaccines cause autism", but not "X works and they don't want you to know"), or,
//     anywhere in the sentence, "no evidence", "no link" or a debunking cue (myth, false, debunk*, hoax claim,
//     misinformation, disinformation, fake news, not true, untrue, rumor/rumour,
//     fact check, "there is no", "contrary to", distancing frames such as "claiming" or
//     "you may have seen") anywhere in the sentence, EXCEPT inside
//     a matched term: in "masks don't work" the negation is part of the claim.
// Reported speech that endorses a claim ("my doctor said vaccines cause autism") still
// fires. scripts/check_kb.py holds a reference implementation of the same rules that
// the knowledge base is validated with.
//
// Every distinct word of a term is one Hyperscan pattern in the shared scan (registered
// through the StageBuilder when the knowledge base is loaded); terms of several words
// are assembled from consecutive word matches. Evaluating a text walks its
// matches sentence by sentence with one bit mask per alternative; it allocates nothing
// once a thread's buffers have grown.
//
// Thread-safety: immutable after Load; Match may be called from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "guard/document.h"
#include "guard/finding.h"
#include "guard/matcher.h"
#include "guard/stage.h"

namespace carepost::guard {

struct KbClaim {
  std::string id;
  std::string topic;
  std::string claim;     // the false claim, in the knowledge base's words
  std::string rebuttal;  // the evidence-based answer
  std::vector<Source> sources;
  std::vector<std::string> examples;         // texts that must fire this claim
  std::vector<std::string> counterexamples;  // texts that must not
};

// A claim asserted in one sentence of a text.
struct KbHit {
  uint32_t claim = 0;     // index into MisinfoKb::claims()
  uint32_t sentence = 0;  // index into Document::sentences()
};

class MisinfoKb {
 public:
  // Parses the knowledge base in `toml` and registers one pattern per distinct word
  // longer than three bytes of its terms (and of the engine's cues) with `builder`;
  // shorter words are found per word of the text. The patterns take the consecutive
  // stage-local ids
  // [first_pattern(), first_pattern() + num_patterns()). Fails, naming the entry, on a
  // TOML syntax error or a malformed entry.
  static absl::StatusOr<std::unique_ptr<const MisinfoKb>> Load(std::string_view toml,
                                                               StageBuilder& builder);

  // Appends to *out every (claim, sentence) where `doc` asserts a claim; at most one
  // hit per claim and sentence, in sentence order. `hits` are the stage's matches; ids
  // outside the KB's range are ignored.
  void Match(const Document& doc, std::span<const Match> hits, std::vector<KbHit>* out) const;

  const std::vector<KbClaim>& claims() const { return claims_; }
  uint32_t first_pattern() const { return first_pattern_; }
  uint32_t num_patterns() const { return static_cast<uint32_t>(pattern_word_.size()); }

 private:
  struct Term {
    uint32_t slots_begin = 0;  // into slots_: the alternative groups this term fills
    uint32_t slots_end = 0;
    bool cue = false;             // a negation or debunking cue
    bool local_negation = false;  // a plain negation: refutes only near the claim
    uint32_t words_begin = 0;  // into term_words_
    uint32_t words_end = 0;
  };
  struct Word {
    std::string stem;
    bool prefix = false;  // "stem*"
  };
  struct Slot {
    uint32_t alt = 0;
    uint64_t bit = 0;
  };
  struct Alt {
    uint32_t claim = 0;
    uint64_t full = 0;  // all group bits
  };

  bool Refuted(const Document& doc, uint32_t alt, std::span<const struct Match> sentence_hits) const;
  // Appends a hit (id = word index) for every short word of the knowledge base that
  // occurs as a whole word (or, for "stem*", starts a word) of `norm`.
  void FindShortWords(std::string_view norm, std::vector<struct Match>* out) const;
  // Turns word matches (id = word index, `to` = end of the word's stem) into term matches (id = term index, start and end offsets),
  // sorted by end.
  void AssembleTerms(std::string_view norm, std::span<const struct Match> hits,
                     std::vector<struct Match>* terms) const;
  bool Vetoed(uint32_t claim, std::span<const struct Match> sentence_hits) const;

  std::vector<KbClaim> claims_;
  std::vector<uint32_t> unless_begin_;  // per claim, into unless_terms_ (size claims+1)
  std::vector<uint32_t> unless_terms_;
  std::vector<Term> terms_;
  static constexpr size_t kShortWord = 3;  // words this short are not scanned for
  std::vector<Word> words_;
  std::vector<uint32_t> pattern_word_;  // pattern (minus first_pattern_) -> word
  // Words of at most kShortWord bytes, by stem (views into words_, which no longer
  // changes once loaded).
  absl::flat_hash_map<std::string_view, uint32_t> short_exact_;
  absl::flat_hash_map<std::string_view, uint32_t> short_prefix_;
  std::vector<uint32_t> term_words_;    // per term, its words (CSR)
  std::vector<uint32_t> first_terms_begin_;  // per word, into first_terms_ (size words+1)
  std::vector<uint32_t> first_terms_;        // terms whose first word it is
  std::vector<Slot> slots_;
  std::vector<Alt> alts_;
  uint32_t first_pattern_ = 0;
};

// The engine's question starters, negation cues and debunking cues (for docs and tests).
std::span<const std::string_view> MisinfoQuestionStarters();
std::span<const std::string_view> MisinfoRefutationCues();

}  // namespace carepost::guard
