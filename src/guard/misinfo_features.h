// File: guard/misinfo_features.h
//
// The preprocessing of the statistical misinformation classifier, written once and
// used both by the trainer (tools/misinfo/train_misinfo) and at inference, so the two
// can never disagree.
//
// It reads a Document (NFKC, case-folded, accents stripped: see document.h) and emits
// hashed feature ids:
//
//   - word tokens of the normalised text, with URLs replaced by one `<url>` token,
//     @handles by `<user>` (plus the handle itself as a separate feature), numbers by
//     `<num>` (plus their digit count), `!`/`?` runs and emoji as tokens of their own;
//   - word n-grams (bigrams by default) over that token sequence;
//   - character n-grams of each word, fastText style ("<word>" padded);
//   - a few shape features from the ORIGINAL text: share of Capitalised and ALL-CAPS
//     words (fact-checked headlines are often in Title Case), length bucket.
//
// Every feature is a 32-bit hash; a model maps it to a bucket of its weight table.
// Extraction allocates nothing once `out` has grown to the size of the largest text.
// Thread-safe: a featurizer is immutable.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"

#include "guard/document.h"

namespace carepost::guard {

struct MisinfoFeatureOptions {
  // Character n-grams of each word, lengths [char_min, char_max]; 0 disables them.
  int char_min = 3;
  int char_max = 5;
  // Word n-grams up to this length (1 = unigrams only).
  int word_ngrams = 2;
  // Emit the shape features (capitalisation share, length).
  bool shape = true;
  // Punctuation marks (. , : ; " ( ) ' - / & % $) are tokens too.
  bool punctuation = true;
};

class MisinfoFeaturizer {
 public:
  explicit MisinfoFeaturizer(const MisinfoFeatureOptions& options = {}) : options_(options) {}

  // Replaces *out with the feature hashes of `doc`, one per occurrence (a feature that
  // occurs twice appears twice).
  void Extract(const Document& doc, std::vector<uint32_t>* out) const;

  const MisinfoFeatureOptions& options() const { return options_; }

 private:
  MisinfoFeatureOptions options_;
};

// Which texts the classifier is consulted on. The training data contrasts official
// updates with fact-checked false claims, so on its own the model flags almost any
// conversational text ("how do I pay my bill online?") as "not official, hence fake".
// A text is scored when it is ON TOPIC — it names a health or public-health subject (a
// disease, treatment, substance) or frames a public claim ("says", "video shows",
// government, officials, a study) — or when it is neither conversational (I, my, you,
// your, thanks, please, hi ...) nor a question. Terms are lower-case words, `*` marks
// a prefix, at most two words per term; derived from the Constraint training split
// (docs/misinfo-classifier.md). The trainer applies the same gate, so cross-validation
// measures the gated classifier.
class MisinfoTopicGate {
 public:
  MisinfoTopicGate();
  // Whether the classifier should score `doc`.
  bool Admits(const Document& doc) const;
  // Whether `doc` names a topic term.
  bool OnTopic(const Document& doc) const;
  // Whether `doc` addresses someone (first or second person, thanks, greetings) or asks.
  bool Conversational(const Document& doc) const;

  static std::span<const std::string_view> Terms();

 private:
  // Keys view the static term list.
  absl::flat_hash_set<std::string_view> words_;     // exact words, and "first second" pairs
  absl::flat_hash_set<std::string_view> prefixes_;  // stems of one-word prefix terms
  absl::flat_hash_set<std::string_view> pair_prefixes_;  // "first stem" of two-word prefix terms
  absl::flat_hash_set<std::string_view> pair_firsts_;    // first words of two-word terms
  absl::flat_hash_set<std::string_view> conversational_;
  size_t min_stem_ = 64, max_stem_ = 0;
};

}  // namespace carepost::guard
