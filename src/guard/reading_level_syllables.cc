#include "guard/reading_level_syllables.h"

#include <algorithm>
#include <charconv>

#include "core/strings.h"
#include "guard/embedded_data.h"

namespace carepost::guard {
namespace {

constexpr size_t kNoKey = ~size_t{0};

// Compares byte by byte: suffixes are 2-5 letters, a library call costs more.
bool EndsWith(const char* w, int n, std::string_view suffix) {
  const int k = static_cast<int>(suffix.size());
  if (n < k) return false;
  for (int i = 0; i < k; ++i) {
    if (w[n - k + i] != suffix[i]) return false;
  }
  return true;
}

// Suffixes after which a silent "e" drops a syllable (likely, careful, statement).
constexpr std::string_view kSilentESuffixes[] = {"ly",    "ful",  "fully", "ment",
                                                 "ments", "ness", "less",  "ty"};

}  // namespace

int HeuristicSyllables(std::string_view word) {
  char w[64];
  bool v[64];  // v[i]: w[i] is a vowel ("y" after the first letter counts)
  int n = 0;
  for (char c : word) {
    if (c >= 'a' && c <= 'z' && n < 63) w[n++] = c;
  }
  if (n == 0) return 1;
  int count = 0;
  bool prev = false;
  for (int i = 0; i < n; ++i) {
    const char c = w[i];
    const bool vowel =
        c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || (c == 'y' && i > 0);
    v[i] = vowel;
    count += vowel && !prev;
    prev = vowel;
  }
  if (n <= 3) {
    // the, are, ago, via: vowel groups, less a silent final "e", plus "ia"/"io"/"uo".
    if (count > 1 && w[n - 1] == 'e' && !v[n - 2]) --count;
    for (int i = 0; i + 1 < n; ++i) {
      if ((w[i] == 'i' && (w[i + 1] == 'a' || w[i + 1] == 'o')) ||
          (w[i] == 'u' && w[i + 1] == 'o')) {
        ++count;
      }
    }
    return count < 1 ? 1 : count;
  }
  w[n] = ' ';
  v[n] = false;

  // Vowel pairs that are usually two syllables.
  for (int i = 0; i + 1 < n; ++i) {
    if (!v[i] || !v[i + 1]) continue;
    const char a = w[i], b = w[i + 1];
    const char before = i > 0 ? w[i - 1] : ' ';
    const char after = w[i + 2];  // ' ' past the end
    if (a == 'i' && b == 'a') {
      if (before != 'c' && before != 's' && before != 't' && before != 'g') ++count;  // media
    } else if (a == 'i' && b == 'o') {
      const bool glide = after == 'r' && (before == 'n' || before == 'v' || before == 'l');
      if (before != 't' && before != 's' && before != 'c' && before != 'x' && before != 'g' &&
          !glide) {
        ++count;  // radio, period; not nation, vision, region, behavior, senior
      }
    } else if (a == 'e' && b == 'o') {
      ++count;  // video, geography
    } else if (a == 'u' && b == 'a') {
      if (before != 'q' && before != 'g') ++count;  // usual, annual; not guard, quality
    } else if (a == 'u' && b == 'o') {
      if (before != 'q') ++count;  // fluoride
    } else if (a == 'i' && b == 'u') {
      ++count;  // sodium, premium
    } else if (a == 'u' && b == 'e') {
      // cruel, fluent, influenza; not true, blue, issues, rescued, guest, question
      const bool consonant_after = i + 2 < n && !v[i + 2];
      const bool inflection = i + 3 == n && (after == 's' || after == 'd');
      if (before != 'q' && before != 'g' && consonant_after && !inflection) ++count;
    } else if (a == 'i' && b == 'e') {
      const char third = i + 3 < n ? w[i + 3] : ' ';
      const char fourth = i + 4 < n ? w[i + 4] : ' ';
      if (after == 't' && (i + 3 == n || third == 'y')) {
        ++count;  // diet, quiet, anxiety, society
      } else if (after == 'n' && third == 't' && before != 't' && before != 'c') {
        ++count;  // client, ingredient; not patient, ancient
      } else if (after == 'n' && third == 'c' && fourth == 'e' && before != 't') {
        ++count;  // science, experience; not patience
      } else if (after == 'r' && i + 3 == n) {
        ++count;  // healthier, earlier
      } else if (after == 's' && third == 't' && i + 4 == n) {
        ++count;  // healthiest
      }
    }
  }

  const char last = w[n - 1];
  // "-ing" after a vowel: being, doing, saying.
  if (last == 'g' && w[n - 2] == 'n' && w[n - 3] == 'i' && v[n - 4]) ++count;
  // "-ism": autism.
  if (last == 'm' && w[n - 2] == 's' && w[n - 3] == 'i') ++count;

  // A silent "e" before a suffix: likely, careful, statement, safety, homeless.
  for (std::string_view suffix : kSilentESuffixes) {
    const int k = static_cast<int>(suffix.size());
    if (suffix.back() != last) continue;
    if (n - k >= 3 && EndsWith(w, n, suffix) && w[n - k - 1] == 'e' && !v[n - k - 2] &&
        v[n - k - 3] && count > 1) {
      --count;
      break;
    }
  }

  // Silent final "e", "-es", "-ed".
  if (count > 1) {
    if (last == 'e' && !v[n - 2]) {
      const bool consonant_le = w[n - 2] == 'l' && !v[n - 3];  // table, people
      if (!consonant_le) --count;
    } else if (last == 's' && w[n - 2] == 'e' && !v[n - 3]) {
      const char c = w[n - 3];
      const bool sibilant = c == 's' || c == 'x' || c == 'z' || c == 'c' || c == 'g' ||
                            (c == 'h' && (w[n - 4] == 'c' || w[n - 4] == 's'));
      const bool consonant_les = c == 'l' && !v[n - 4];  // tables
      if (!sibilant && !consonant_les) --count;
    } else if (last == 'd' && w[n - 2] == 'e' && !v[n - 3]) {
      const char c = w[n - 3];
      const bool consonant_led = c == 'l' && !v[n - 4] && w[n - 4] != 'l';  // troubled
      if (c != 't' && c != 'd' && !consonant_led) --count;
    }
  }
  return count < 1 ? 1 : count;
}

absl::StatusOr<SyllableCounter> SyllableCounter::FromText(std::string_view text) {
  SyllableCounter c;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const size_t tab = line.find('\t');
    int value = 0;
    if (tab == std::string_view::npos || tab == 0 ||
        std::from_chars(line.data() + tab + 1, line.data() + line.size(), value).ec !=
            std::errc() ||
        value < 1) {
      return absl::InvalidArgumentError(core::Cat("reading_level_syllables.tsv:", line_no,
                                                  ": expected a word, a tab and a count"));
    }
    const std::string_view word = line.substr(0, tab);
    c.exceptions_[word] = value;
    if (const size_t key = FilterKey(word); key != kNoKey) c.filter_.set(key);
  }
  return c;
}

absl::StatusOr<SyllableCounter> SyllableCounter::Create() {
  const std::string_view text = EmbeddedFile("reading_level_syllables.tsv");
  if (text.empty()) {
    return absl::NotFoundError("embedded data file reading_level_syllables.tsv is missing");
  }
  return FromText(text);
}

size_t SyllableCounter::FilterKey(std::string_view w) {
  if (w.empty() || w[0] < 'a' || w[0] > 'z') return kNoKey;
  return static_cast<size_t>(w[0] - 'a') * 16 + std::min<size_t>(w.size(), 15);
}

int SyllableCounter::Count(std::string_view word) const {
  // Words repeat (Zipf): a small per-thread cache of recent answers saves most of the
  // work. Direct-mapped, fixed size, no allocation.
  struct Entry {
    uint8_t len = 0;  // 0: empty
    int8_t count = 0;
    char word[22];
  };
  static thread_local Entry cache[2048];
  const size_t len = word.size();
  Entry* slot = nullptr;
  if (len > 0 && len <= sizeof(Entry::word)) {
    uint32_t h = static_cast<uint32_t>(len);
    for (char c : word) h = h * 31 + static_cast<unsigned char>(c);
    slot = &cache[(h ^ (h >> 11)) & 2047];
    if (slot->len == len) {
      bool same = true;
      for (size_t i = 0; i < len && same; ++i) same = slot->word[i] == word[i];
      if (same) return slot->count;
    }
  }
  int count = 0;
  const size_t key = FilterKey(word);
  if (key != kNoKey && filter_.test(key)) {
    if (auto it = exceptions_.find(word); it != exceptions_.end()) count = it->second;
  }
  if (count == 0) count = HeuristicSyllables(word);
  if (slot != nullptr) {
    slot->len = static_cast<uint8_t>(len);
    slot->count = static_cast<int8_t>(std::min(count, 127));
    std::copy(word.begin(), word.end(), slot->word);
  }
  return count;
}

}  // namespace carepost::guard
