#include "guard/misinfo_features.h"

#include <utf8proc.h>

#include <algorithm>

#include "core/utf8.h"

namespace carepost::guard {
namespace {

constexpr uint64_t kFnvOffset = 1469598103934665603ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

// Seeds that keep the feature families apart.
constexpr uint64_t kSeedWord = 0x9e3779b97f4a7c15ull;
constexpr uint64_t kSeedChar = 0xc2b2ae3d27d4eb4full;
constexpr uint64_t kSeedHandle = 0x165667b19e3779f9ull;
constexpr uint64_t kSeedSpecial = 0x27d4eb2f165667c5ull;

inline uint64_t Fnv(uint64_t h, std::string_view bytes) {
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

// Final avalanche (MurmurHash3 fmix64), folded to 32 bits.
inline uint32_t Finish(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return static_cast<uint32_t>(h);
}

inline uint64_t Combine(uint64_t a, uint64_t b) {
  return (a ^ (b + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2))) * kFnvPrime;
}

inline uint64_t Special(std::string_view name, int bucket) {
  return Fnv(kSeedSpecial ^ static_cast<uint64_t>(bucket) * 0x100000001b3ull, name);
}

inline bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// A word character of the normalised text: ASCII letter or digit, or a non-ASCII
// letter, mark or digit.
inline bool WordAt(std::string_view s, size_t i, int* len) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *len = 1;
    return IsAsciiWordByte(c);
  }
  const char32_t cp = core::DecodeUtf8(s, i, len);
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
      return true;
    default:
      return false;
  }
}

inline bool StartsWith(std::string_view s, size_t i, std::string_view p) {
  return s.size() - i >= p.size() && s.compare(i, p.size(), p) == 0;
}

constexpr size_t kMaxCharGramWord = 40;  // longer "words" are noise (ids, base64)

}  // namespace

void MisinfoFeaturizer::Extract(const Document& doc, std::vector<uint32_t>* out) const {
  out->clear();
  const std::string_view s = doc.norm();
  const size_t n = s.size();
  const int max_ngram = std::clamp(options_.word_ngrams, 1, 4);
  uint64_t history[4] = {0, 0, 0, 0};  // previous token hashes, most recent first
  int history_size = 0;

  auto emit_token = [&](uint64_t th) {
    out->push_back(Finish(th));
    uint64_t h = th;
    for (int k = 1; k < max_ngram && k <= history_size; ++k) {
      h = Combine(history[k - 1], h);
      out->push_back(Finish(h));
    }
    for (int k = 3; k > 0; --k) history[k] = history[k - 1];
    history[0] = th;
    history_size = std::min(history_size + 1, 3);
  };

  auto emit_char_grams = [&](std::string_view word) {
    if (options_.char_min <= 0 || word.size() > kMaxCharGramWord) return;
    // The padded word "<" + word + ">", read without building it.
    const size_t len = word.size() + 2;
    auto at = [&](size_t p) -> unsigned char {
      if (p == 0) return '<';
      if (p == len - 1) return '>';
      return static_cast<unsigned char>(word[p - 1]);
    };
    for (size_t start = 0; start < len; ++start) {
      uint64_t h = kSeedChar;
      for (int g = 1; g <= options_.char_max && start + g <= len; ++g) {
        h ^= at(start + g - 1);
        h *= kFnvPrime;
        if (g >= options_.char_min) out->push_back(Finish(h ^ static_cast<uint64_t>(g)));
      }
    }
  };

  size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool at_word_start = i == 0 || !IsAsciiWordByte(static_cast<unsigned char>(s[i - 1]));
    // URL: one token, whatever its path.
    if ((c == 'h' || c == 'w') && at_word_start &&
        (StartsWith(s, i, "http://") || StartsWith(s, i, "https://") || StartsWith(s, i, "www."))) {
      size_t j = i;
      while (j < n && s[j] != ' ' && s[j] != '\n' && s[j] != '\t' && s[j] != '\r') ++j;
      emit_token(Special("<url>", 0));
      i = j;
      continue;
    }
    // @handle: a <user> token, and the handle itself as a feature.
    if (c == '@' && i + 1 < n && IsAsciiWordByte(static_cast<unsigned char>(s[i + 1]))) {
      size_t j = i + 1;
      while (j < n && (IsAsciiWordByte(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      emit_token(Special("<user>", 0));
      out->push_back(Finish(Fnv(kSeedHandle, s.substr(i + 1, j - i - 1))));
      i = j;
      continue;
    }
    if (c == '#' && i + 1 < n && IsAsciiWordByte(static_cast<unsigned char>(s[i + 1]))) {
      out->push_back(Finish(Special("<hashtag>", 0)));
      ++i;
      continue;
    }
    if (c == '.' || c == ',' || c == ':' || c == ';' || c == '"' || c == '(' || c == ')' ||
        c == '\'' || c == '-' || c == '/' || c == '&' || c == '%' || c == '$') {
      if (options_.punctuation) emit_token(Special(s.substr(i, 1), 0));
      ++i;
      continue;
    }
    if (c == '!' || c == '?') {
      size_t j = i;
      while (j < n && s[j] == static_cast<char>(c)) ++j;
      emit_token(Special(c == '!' ? "!" : "?", j - i > 1 ? 2 : 1));
      i = j;
      continue;
    }
    int len = 1;
    if (WordAt(s, i, &len)) {
      size_t j = i + static_cast<size_t>(len);
      bool all_digits = IsAsciiDigit(c);
      while (j < n) {
        int l = 1;
        if (WordAt(s, j, &l)) {
          all_digits &= IsAsciiDigit(static_cast<unsigned char>(s[j]));
          j += static_cast<size_t>(l);
          continue;
        }
        // An apostrophe between word characters stays inside the word (don't).
        if (s[j] == '\'' && j + 1 < n && WordAt(s, j + 1, &l) && !all_digits) {
          j += 1 + static_cast<size_t>(l);
          continue;
        }
        // 1,524 and 3.5 are one number.
        if (all_digits && (s[j] == ',' || s[j] == '.') && j + 1 < n &&
            IsAsciiDigit(static_cast<unsigned char>(s[j + 1]))) {
          j += 2;
          continue;
        }
        break;
      }
      if (all_digits) {
        size_t digits = 0;
        for (size_t k = i; k < j; ++k) digits += IsAsciiDigit(static_cast<unsigned char>(s[k]));
        emit_token(Special("<num>", 0));
        out->push_back(Finish(Special("<numlen>", static_cast<int>(std::min<size_t>(digits, 9)))));
      } else {
        const std::string_view word = s.substr(i, j - i);
        emit_token(Fnv(kSeedWord, word));
        emit_char_grams(word);
      }
      i = j;
      continue;
    }
    if (c >= 0x80) {
      // Emoji and other symbols are tokens of their own.
      emit_token(Fnv(kSeedWord, s.substr(i, static_cast<size_t>(len))));
      i += static_cast<size_t>(len);
      continue;
    }
    ++i;
  }

  if (options_.shape) {
    int alpha = 0, capitalized = 0, all_caps = 0;
    for (const Token& t : doc.tokens()) {
      if (!t.Has(kTokAlpha)) continue;
      ++alpha;
      if (t.Has(kTokAllCaps)) {
        ++all_caps;
      } else if (t.Has(kTokCapitalized)) {
        ++capitalized;
      }
    }
    if (alpha > 0) {
      out->push_back(Finish(Special("<cap>", capitalized * 10 / alpha)));
      out->push_back(Finish(Special("<allcaps>", std::min(all_caps, 4))));
      int bucket = 0;
      while ((2 << bucket) <= alpha && bucket < 12) ++bucket;
      out->push_back(Finish(Special("<len>", bucket)));
    }
  }
}

namespace {

// Health topics, then the vocabulary of public claims. See MisinfoTopicGate and
// docs/misinfo-classifier.md (derived from the Constraint training split only).
constexpr std::string_view kTopicTerms[] = {
    // Diseases, treatments, substances, the body.
    "covid*", "corona*", "virus*", "viral", "vaccin*", "vax*", "jab*", "pandemic*",
    "epidemic*", "outbreak*", "infect*", "disease*", "cure", "cures", "cured", "curing",
    "remed*", "treat*", "medicin*", "medication*", "drug*", "pill*", "sars", "flu",
    "influenza", "pneumonia", "immun*", "antibod*", "symptom*", "mask*", "lockdown*",
    "quarantin*", "cancer*", "tumor*", "tumour*", "chemo*", "death*", "died", "kill*",
    "herb*", "detox*", "toxin*", "toxic", "poison*", "vitamin*", "supplement*", "autism",
    "5g", "ivermectin", "hydroxychloroquine", "bleach", "garlic", "antibiotic*", "fluorid*",
    "diabet*", "insulin", "heart attack*", "stroke*", "steroid*", "dose*", "pharma*", "hiv",
    "aids", "measles", "polio", "ebola", "mpox", "monkeypox", "abortion*", "contracept*",
    "miscarr*", "infertil*", "steril*", "depress*", "anxiety", "ozone", "essential oil*",
    "colloidal silver", "miracle", "immune", "sanitiz*", "ppe", "social distanc*",
    "test kit*", "testing", "tested", "cases", "lab*",
    // How public claims are framed, and who they are about.
    "says", "claim*", "video*", "photo*", "image*", "shows", "showing", "news", "media",
    "study", "studies", "scientist*", "expert*", "report*", "government*", "president*",
    "minister*", "official*", "governor*", "state*", "police", "schools", "workers",
    "equipment", "money", "trump", "obama", "biden", "pelosi", "fauci", "bill gates", "gates",
    "china", "chinese", "wuhan", "india*", "italy", "italian", "cdc", "fda", "nih", "icmr",
    "stay home", "stay at",
};

constexpr std::string_view kConversationalWords[] = {
    "i", "i'm", "im", "i've", "ive", "i'd", "my", "me", "mine", "myself", "you", "your",
    "you're", "youre", "y'all", "yall", "u", "ur", "thank", "thanks", "please", "pls", "hi",
    "hello", "hey",
};

}  // namespace

MisinfoTopicGate::MisinfoTopicGate() {
  for (std::string_view w : kConversationalWords) conversational_.insert(w);
  for (std::string_view term : kTopicTerms) {
    const size_t space = term.find(' ');
    const bool prefix = term.back() == '*';
    const std::string_view t = prefix ? term.substr(0, term.size() - 1) : term;
    if (space != std::string_view::npos) {
      pair_firsts_.insert(term.substr(0, space));
      (prefix ? pair_prefixes_ : words_).insert(t);
    } else if (prefix) {
      min_stem_ = std::min(min_stem_, t.size());
      max_stem_ = std::max(max_stem_, t.size());
      prefixes_.insert(t);
    } else {
      words_.insert(t);
    }
  }
}

std::span<const std::string_view> MisinfoTopicGate::Terms() { return kTopicTerms; }

bool MisinfoTopicGate::Admits(const Document& doc) const {
  return OnTopic(doc) || !Conversational(doc);
}

bool MisinfoTopicGate::Conversational(const Document& doc) const {
  if (doc.norm().find('?') != std::string_view::npos) return true;
  for (const Token& t : doc.tokens()) {
    if (conversational_.contains(doc.Norm(t))) return true;
  }
  return false;
}

bool MisinfoTopicGate::OnTopic(const Document& doc) const {
  const auto& tokens = doc.tokens();
  thread_local std::string pair;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view w = doc.Norm(tokens[i]);
    if (words_.contains(w)) return true;
    for (size_t k = min_stem_; k <= std::min(max_stem_, w.size()); ++k) {
      if (prefixes_.contains(w.substr(0, k))) return true;
    }
    if (i + 1 < tokens.size() && tokens[i + 1].sentence == tokens[i].sentence &&
        pair_firsts_.contains(w)) {
      const std::string_view next = doc.Norm(tokens[i + 1]);
      pair.assign(w);
      pair += ' ';
      const size_t base = pair.size();
      pair.append(next);
      const std::string_view full(pair);
      if (words_.contains(full)) return true;
      for (size_t k = 1; k <= next.size(); ++k) {
        if (pair_prefixes_.contains(full.substr(0, base + k))) return true;
      }
    }
  }
  return false;
}

}  // namespace carepost::guard
