// File: guard/phi_lexicon.h
//
// The PHI stage's gazetteer: every word the stage knows about (first names, surnames,
// ordinary English words, US city names, words that are never names, medical eponyms),
// loaded once from the embedded data file `phi_lexicon.tsv` (built by
// tools/build_phi_data.py) into a hash map keyed by views into the embedded bytes.
//
//   PhiLexicon lex;
//   RETURN_IF_ERROR(lex.Load());
//   LexEntry e = lex.Lookup("grace");   // e.first_name() > 0, e.word() == true
//
// Lookups take lower-case, accent-stripped words (Document::norm() spelling) and never
// allocate. Thread-safety: immutable after Load(); share it across threads.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"

namespace carepost::guard {

// What the lexicon knows about one word.
struct LexEntry {
  uint16_t bits = 0;

  static constexpr uint16_t kFirstMask = 0x7;   // first-name frequency bucket + 1 (0 = none)
  static constexpr uint16_t kSurShift = 3;      // surname bucket (0 = none, 1..3)
  static constexpr uint16_t kWord = 1 << 5;     // ordinary English word
  static constexpr uint16_t kCity = 1 << 6;     // single-word US city
  static constexpr uint16_t kNever = 1 << 7;    // never a name on its own
  static constexpr uint16_t kEponym = 1 << 8;   // medical eponym
  static constexpr uint16_t kPlace = 1 << 9;    // country, state, continent, big city

  // 0 when not a first name, else 1 (rare) .. 6 (very common).
  int first_name() const { return bits & kFirstMask; }
  // 0 when not a surname, else 1 (rare) .. 3 (top 1,000).
  int surname() const { return (bits >> kSurShift) & 0x3; }
  bool word() const { return bits & kWord; }
  bool city() const { return bits & kCity; }
  bool never() const { return bits & kNever; }
  bool eponym() const { return bits & kEponym; }
  bool place() const { return bits & kPlace; }
  bool name() const { return first_name() > 0 || surname() > 0; }
};

class PhiLexicon {
 public:
  // Parses the embedded gazetteers. Fails when a data file is missing or malformed.
  absl::Status Load();

  LexEntry Lookup(std::string_view word) const {
    auto it = words_.find(word);
    return it == words_.end() ? LexEntry{} : LexEntry{it->second};
  }
  // True for a multi-word US city name ("san diego"), words separated by one space.
  bool IsPlace(std::string_view phrase) const { return places_.contains(phrase); }

  // A fast, cache-resident pre-check: false means `word` is certainly not a common first
  // name that is not also an ordinary word (first_name() >= 4, !word(), !never()); true
  // means it may be (about 1% false positives). Lets the stage skip the full look-up for
  // most words of a lower-case post.
  bool MaybeCommonFirstName(std::string_view word) const {
    const uint64_t h = Hash(word);
    return Bit(h) && Bit(h >> 21) && Bit(h >> 42);
  }

 private:
  static constexpr uint64_t kBloomBits = uint64_t{1} << 19;  // 64 KiB
  static uint64_t Hash(std::string_view w) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h ^ (h >> 29);
  }
  bool Bit(uint64_t h) const {
    const uint64_t i = h & (kBloomBits - 1);
    return (bloom_[i >> 6] >> (i & 63)) & 1;
  }
  void SetBits(std::string_view w) {
    const uint64_t h = Hash(w);
    for (uint64_t x : {h, h >> 21, h >> 42}) {
      const uint64_t i = x & (kBloomBits - 1);
      bloom_[i >> 6] |= uint64_t{1} << (i & 63);
    }
  }

  std::vector<uint64_t> bloom_;
  absl::flat_hash_map<std::string_view, uint16_t> words_;
  absl::flat_hash_set<std::string_view> places_;
};

}  // namespace carepost::guard
