#include "guard/document.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>

#include "core/utf8.h"

namespace carepost::guard {
namespace {

using core::DecodeUtf8;
using core::EncodeUtf8;

// ASCII lower-casing table; NUL and other control bytes other than tab/newline become
// spaces so patterns never straddle them.
constexpr std::array<char, 128> MakeAsciiFold() {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) {
    char v = static_cast<char>(c);
    if (c >= 'A' && c <= 'Z') v = static_cast<char>(c - 'A' + 'a');
    if (c < 0x20 && c != '\n' && c != '\t') v = ' ';
    if (c == '\r') v = '\n';
    if (c == 0x7f) v = ' ';
    t[c] = v;
  }
  return t;
}
constexpr std::array<char, 128> kAsciiFold = MakeAsciiFold();

// Punctuation that Unicode folding keeps but matching wants as ASCII. Returns 0 to
// fall through to utf8proc, -1 to drop the code point.
int SpecialFold(char32_t cp) {
  switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC: case 0xFF07:
      return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x2033: case 0xFF02:
      return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
      return '-';
    case 0x2028: case 0x2029:
      return '\n';
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
      return -1;
    default:
      return 0;
  }
}

bool IsWordCodePoint(char32_t cp) {
  if (cp < 0x80) return IsAsciiWordByte(static_cast<unsigned char>(cp));
  const utf8proc_property_t* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
  switch (p->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// Words after which a period does not end a sentence.
bool IsAbbreviation(std::string_view w) {
  static constexpr std::string_view kAbbrev[] = {
      "dr", "mr", "mrs", "ms", "st", "jr", "sr", "vs", "etc", "eg", "ie", "no", "ave", "rd",
      "blvd", "dept", "prof", "rev", "gen", "col", "capt", "sgt", "lt", "mt", "ft", "apt",
      "ste", "inc", "co", "corp", "approx", "hosp", "univ", "jan", "feb", "mar", "apr", "jun",
      "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu",
      "thur", "thurs", "fri", "sat", "sun", "pt", "pts", "dob", "md", "rn", "np", "pa", "ph",
      "a.m", "p.m", "am", "pm", "est", "fig", "vol", "ext", "tel", "hwy", "ln", "ct", "pl"};
  if (w.size() == 1) return true;  // initials: "J. Smith"
  if (w.size() > 6) return false;
  for (std::string_view a : kAbbrev) {
    if (a == w) return true;
  }
  return false;
}

}  // namespace

void Document::Analyze(std::string_view text) {
  text_ = text;
  Normalize();
  Tokenize();
  SplitSentences();
}

void Document::Normalize() {
  const size_t n = text_.size();
  // Fast path: pure ASCII text is only lower-cased, offsets are unchanged and no map
  // is built.
  ascii_ = true;
  {
    const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
    size_t i = 0;
    uint64_t acc = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      __builtin_memcpy(&w, p + i, 8);
      acc |= w;
    }
    for (; i < n; ++i) acc |= p[i];
    ascii_ = (acc & 0x8080808080808080ULL) == 0;
  }
  if (ascii_) {
    norm_.resize(n);
    for (size_t i = 0; i < n; ++i) norm_[i] = kAsciiFold[static_cast<unsigned char>(text_[i])];
    return;
  }
  norm_.resize(n);
  norm_to_orig_.resize(n + 1);
  size_t out = 0;
  size_t i = 0;
  auto ensure = [&](size_t extra) {
    if (out + extra > norm_.size()) {
      norm_.resize((out + extra) * 2);
      norm_to_orig_.resize(norm_.size() + 1);
    }
  };
  while (i < n) {
    const auto c = static_cast<unsigned char>(text_[i]);
    if (c < 0x80) {
      ensure(1);
      norm_[out] = kAsciiFold[c];
      norm_to_orig_[out] = static_cast<uint32_t>(i);
      ++out;
      ++i;
      continue;
    }
    int len = 1;
    const char32_t cp = DecodeUtf8(text_, i, &len);
    const int special = SpecialFold(cp);
    if (special > 0) {
      ensure(1);
      norm_[out] = static_cast<char>(special);
      norm_to_orig_[out++] = static_cast<uint32_t>(i);
    } else if (special == 0) {
      utf8proc_int32_t buf[8];
      int bound = 0;
      const utf8proc_ssize_t k = utf8proc_decompose_char(
          static_cast<utf8proc_int32_t>(cp), buf, 8,
          static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                         UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
          &bound);
      if (k < 0 || k > 8) {
        ensure(static_cast<size_t>(len));
        for (int b = 0; b < len; ++b) {
          norm_[out] = text_[i + b];
          norm_to_orig_[out++] = static_cast<uint32_t>(i);
        }
      } else {
        ensure(static_cast<size_t>(k) * 4);
        for (utf8proc_ssize_t j = 0; j < k; ++j) {
          char enc[4];
          const char32_t d = static_cast<char32_t>(buf[j]);
          int m;
          if (d < 0x80) {
            enc[0] = kAsciiFold[d];
            m = 1;
          } else {
            const int sp = SpecialFold(d);
            if (sp < 0) continue;
            if (sp > 0) {
              enc[0] = static_cast<char>(sp);
              m = 1;
            } else {
              m = EncodeUtf8(d, enc);
            }
          }
          for (int b = 0; b < m; ++b) {
            norm_[out] = enc[b];
            norm_to_orig_[out++] = static_cast<uint32_t>(i);
          }
        }
      }
    }
    i += static_cast<size_t>(len);
  }
  norm_.resize(out);
  norm_to_orig_.resize(out + 1);
  norm_to_orig_[out] = static_cast<uint32_t>(n);
}

Span Document::ToOriginal(uint32_t nb, uint32_t ne) const {
  const uint32_t n = static_cast<uint32_t>(norm_.size());
  nb = std::min(nb, n);
  ne = std::min(std::max(ne, nb), n);
  if (ascii_) return {nb, ne};
  const uint32_t begin = norm_to_orig_[nb];
  if (ne == nb) return {begin, begin};
  // The end is the start of the next original code point after the last byte's one.
  const uint32_t last = norm_to_orig_[ne - 1];
  uint32_t end = norm_to_orig_[ne];
  size_t k = ne;
  while (end == last && k < n) end = norm_to_orig_[++k];
  if (end == last) end = static_cast<uint32_t>(text_.size());
  return {begin, end};
}

namespace {

enum ByteClass : uint8_t { kClassOther = 0, kClassWord = 1, kClassApostrophe = 2, kClassHigh = 3 };

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c >= 0x80) {
      t[c] = kClassHigh;
    } else if (IsAsciiWordByte(static_cast<unsigned char>(c))) {
      t[c] = kClassWord;
    } else if (c == '\'') {
      t[c] = kClassApostrophe;
    }
  }
  return t;
}
constexpr std::array<uint8_t, 256> kByteClass = MakeByteClasses();

// Shape flags of an ASCII token from its original bytes `w` and lower-cased `lw`: a
// byte differs between them exactly when it is an upper-case letter.
uint16_t AsciiShape(std::string_view w, std::string_view lw) {
  uint16_t flags = kTokAscii;
  int upper = 0, letters = 0, first_letter = -1;
  for (size_t k = 0; k < w.size(); ++k) {
    const char ch = lw[k];
    const bool letter = ch >= 'a' && ch <= 'z';
    letters += letter;
    upper += w[k] != ch;
    if (letter && first_letter < 0) first_letter = static_cast<int>(k);
    if (ch >= '0' && ch <= '9') flags |= kTokDigit;
  }
  if (letters == 0) return flags;
  flags |= kTokAlpha;
  if (w[first_letter] != lw[first_letter]) flags |= kTokCapitalized;
  if (upper >= 2 && upper == letters) flags |= kTokAllCaps;
  if (upper == 0) flags |= kTokLower;
  return flags;
}

// Shape flags of a token with non-ASCII characters.
uint16_t UnicodeShape(std::string_view w) {
  uint16_t flags = 0;
  int letters = 0, upper = 0, lower = 0;
  bool ascii = true, first_letter_upper = false, saw_letter = false;
  for (size_t p = 0; p < w.size();) {
    int l = 1;
    const char32_t cp = DecodeUtf8(w, p, &l);
    p += static_cast<size_t>(l);
    if (cp >= 0x80) ascii = false;
    if (cp >= '0' && cp <= '9') {
      flags |= kTokDigit;
      continue;
    }
    bool is_upper = false, is_lower = false;
    if (cp < 0x80) {
      is_upper = cp >= 'A' && cp <= 'Z';
      is_lower = cp >= 'a' && cp <= 'z';
    } else {
      const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
      is_upper = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
      is_lower = cat == UTF8PROC_CATEGORY_LL;
      if (cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_LM) ++letters;
      if (cat == UTF8PROC_CATEGORY_ND) flags |= kTokDigit;
    }
    if (is_upper || is_lower) {
      ++letters;
      if (!saw_letter) first_letter_upper = is_upper;
      saw_letter = true;
      upper += is_upper;
      lower += is_lower;
    }
  }
  if (letters > 0) flags |= kTokAlpha;
  if (first_letter_upper) flags |= kTokCapitalized;
  if (upper >= 2 && lower == 0) flags |= kTokAllCaps;
  if (letters > 0 && upper == 0) flags |= kTokLower;
  if (ascii) flags |= kTokAscii;
  return flags;
}

}  // namespace

void Document::Tokenize() {
  tokens_.clear();
  const std::string_view norm(norm_);
  const uint32_t n = static_cast<uint32_t>(norm.size());
  // Is the character at `pos` part of a word? Sets *len to its byte length.
  auto word_at = [&](uint32_t pos, int* len) {
    const uint8_t cls = kByteClass[static_cast<unsigned char>(norm[pos])];
    *len = 1;
    if (cls == kClassWord) return true;
    if (cls != kClassHigh) return false;
    return IsWordCodePoint(DecodeUtf8(norm, pos, len));
  };
  uint32_t i = 0;
  while (i < n) {
    const uint8_t cls = kByteClass[static_cast<unsigned char>(norm[i])];
    int len = 1;
    if (cls != kClassWord && !(cls == kClassHigh && word_at(i, &len))) {
      i += static_cast<uint32_t>(len);
      continue;
    }
    const uint32_t start = i;
    i += static_cast<uint32_t>(len);
    while (i < n) {
      const uint8_t c = kByteClass[static_cast<unsigned char>(norm[i])];
      if (c == kClassWord) {
        ++i;
        continue;
      }
      if (c == kClassHigh && word_at(i, &len)) {
        i += static_cast<uint32_t>(len);
        continue;
      }
      // An apostrophe between two word characters stays inside the word (o'brien, don't).
      if (c == kClassApostrophe && i + 1 < n && word_at(i + 1, &len)) {
        i += 1 + static_cast<uint32_t>(len);
        continue;
      }
      break;
    }
    Token t;
    t.norm_begin = start;
    t.norm_end = i;
    const Span o = ToOriginal(start, i);
    t.begin = o.begin;
    t.end = o.end;
    const std::string_view word = text_.substr(o.begin, o.end - o.begin);
    t.flags = ascii_ ? AsciiShape(word, norm.substr(start, i - start)) : UnicodeShape(word);
    if (t.begin > 0) {
      const char prev = text_[t.begin - 1];
      if (prev == '#') t.flags |= kTokHashtag;
      if (prev == '@') t.flags |= kTokMention;
    }
    tokens_.push_back(t);
  }
}

void Document::SplitSentences() {
  sentences_.clear();
  const std::string_view norm(norm_);
  const uint32_t nt = static_cast<uint32_t>(tokens_.size());
  if (nt == 0) {
    if (!text_.empty()) {
      Sentence s;
      s.end = static_cast<uint32_t>(text_.size());
      s.norm_end = static_cast<uint32_t>(norm.size());
      s.question = norm.find('?') != std::string_view::npos;
      sentences_.push_back(s);
    }
    return;
  }
  uint32_t first = 0;
  for (uint32_t t = 0; t < nt; ++t) {
    const uint32_t gap_begin = tokens_[t].norm_end;
    const uint32_t gap_end = t + 1 < nt ? tokens_[t + 1].norm_begin : static_cast<uint32_t>(norm.size());
    bool brk = t + 1 == nt;
    bool question = false;
    for (uint32_t p = gap_begin; p < gap_end; ++p) {
      const char c = norm[p];
      if (c == '?' || c == '!' || c == ';' || c == '\n') {
        brk = true;
        question |= c == '?';
      } else if (c == '.') {
        const bool followed_by_space = p + 1 >= norm.size() || norm[p + 1] == ' ' ||
                                       norm[p + 1] == '\n' || norm[p + 1] == '"' ||
                                       norm[p + 1] == ')' || norm[p + 1] == '\'';
        const bool abbreviation = p == gap_begin && !(tokens_[t].flags & kTokDigit) &&
                                  IsAbbreviation(Norm(tokens_[t]));
        if (followed_by_space && !abbreviation) brk = true;
      }
    }
    uint32_t punct_end = gap_begin;
    while (punct_end < gap_end) {
      const char c = norm[punct_end];
      if (c != '.' && c != '!' && c != '?' && c != ';' && c != '"' && c != '\'' && c != ')') break;
      ++punct_end;
    }
    if (!brk) continue;
    Sentence s;
    s.first_token = first;
    s.last_token = t + 1;
    s.norm_begin = tokens_[first].norm_begin;
    s.norm_end = std::max(tokens_[t].norm_end, punct_end);
    const Span o = ToOriginal(s.norm_begin, s.norm_end);
    s.begin = o.begin;
    s.end = o.end;
    s.question = question;
    const uint32_t idx = static_cast<uint32_t>(sentences_.size());
    for (uint32_t k = first; k <= t; ++k) tokens_[k].sentence = idx;
    tokens_[first].flags |= kTokSentenceStart;
    sentences_.push_back(s);
    first = t + 1;
  }
}

uint32_t Document::TokenAtOrAfter(uint32_t norm_offset) const {
  auto it = std::upper_bound(tokens_.begin(), tokens_.end(), norm_offset,
                             [](uint32_t off, const Token& t) { return off < t.norm_end; });
  return static_cast<uint32_t>(it - tokens_.begin());
}

uint32_t Document::SentenceAt(uint32_t norm_offset) const {
  if (sentences_.empty()) return 0;
  auto it = std::upper_bound(sentences_.begin(), sentences_.end(), norm_offset,
                             [](uint32_t off, const Sentence& s) { return off < s.norm_end; });
  if (it == sentences_.end()) return static_cast<uint32_t>(sentences_.size() - 1);
  return static_cast<uint32_t>(it - sentences_.begin());
}

}  // namespace carepost::guard
