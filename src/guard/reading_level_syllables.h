// File: guard/reading_level_syllables.h
//
// Syllable counting and the Flesch-Kincaid grade, for the reading-level stage.
//
// Syllables come from a fast vowel-group heuristic (vowel runs, minus a silent final
// "e", "-es" and "-ed", plus the vowel pairs that are usually two syllables: "ia" in
// "media", "io" in "radio", "ui"... ) and a short list of common words it gets wrong,
// shipped in data/reading_level_syllables.tsv. A pronunciation dictionary would be
// more exact; the heuristic is within one syllable on almost every English word, which
// is what a grade estimate needs.
//
//   SyllableCounter counter = *SyllableCounter::Create();
//   int n = counter.Count("hypertension");  // 4
//
// A SyllableCounter is immutable after Create and safe to share across threads.
#pragma once

#include <bitset>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace carepost::guard {

// Flesch-Kincaid grade level (Kincaid et al. 1975):
//   0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59.
// REQUIRES: words > 0 and sentences > 0.
inline double FleschKincaidGrade(double words, double sentences, double syllables) {
  return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59;
}

// The vowel-group heuristic alone. `word` is lower case; characters other than a-z
// (apostrophes, digits, accents) are ignored. Returns at least 1.
int HeuristicSyllables(std::string_view word);

class SyllableCounter {
 public:
  // Loads the exception list from the embedded data (word TAB count per line).
  static absl::StatusOr<SyllableCounter> Create();
  // Parses an exception list; errors name the line. REQUIRES: `text` outlives the counter.
  static absl::StatusOr<SyllableCounter> FromText(std::string_view text);

  // Syllables in `word` (lower case): the exception list, else the heuristic.
  int Count(std::string_view word) const;

 private:
  // (first letter, length) of every exception, so most words skip the hash lookup.
  static size_t FilterKey(std::string_view w);

  absl::flat_hash_map<std::string_view, int> exceptions_;  // views into embedded data
  std::bitset<26 * 16> filter_;
};

}  // namespace carepost::guard
