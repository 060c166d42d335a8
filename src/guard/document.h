// File: guard/document.h
//
// A Document is one text prepared for screening, computed once and read by every stage:
//
//   - `norm`: the text normalised for matching — NFKC, case-folded, accents stripped,
//     curly quotes and dashes made ASCII, invisible characters dropped. ASCII text is
//     only lower-cased, so for most posts it has the same length as the input.
//   - a map from every normalised byte back to the original byte offset, so a match on
//     `norm` is reported on the original text (`ToOriginal`).
//   - tokens (words and numbers) with their shape in the ORIGINAL text (Capitalised,
//     ALL CAPS, lower case), which name detection needs.
//   - sentences, for stages whose patterns must co-occur within one sentence.
//
// A Document owns its buffers and reuses them across `Analyze` calls, so screening a
// stream of posts with one Document per thread does not allocate once warmed up.
// Not thread-safe: use one per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace carepost::guard {

struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
};

enum TokenFlags : uint16_t {
  kTokAlpha = 1 << 0,        // contains a letter
  kTokDigit = 1 << 1,        // contains a digit
  kTokCapitalized = 1 << 2,  // original starts with an upper-case letter
  kTokAllCaps = 1 << 3,      // original has >= 2 letters, all upper case
  kTokLower = 1 << 4,        // original letters all lower case
  kTokAscii = 1 << 5,        // original token is pure ASCII
  kTokHashtag = 1 << 6,      // preceded by '#'
  kTokMention = 1 << 7,      // preceded by '@'
  kTokSentenceStart = 1 << 8,  // first token of its sentence
};

struct Token {
  uint32_t norm_begin = 0;  // span in Document::norm
  uint32_t norm_end = 0;
  uint32_t begin = 0;  // span in the original text
  uint32_t end = 0;
  uint32_t sentence = 0;  // index into Document::sentences
  uint16_t flags = 0;

  bool Has(TokenFlags f) const { return (flags & f) != 0; }
};

struct Sentence {
  uint32_t begin = 0;  // original byte span, trimmed of surrounding space
  uint32_t end = 0;
  uint32_t norm_begin = 0;
  uint32_t norm_end = 0;
  uint32_t first_token = 0;  // token index range [first_token, last_token)
  uint32_t last_token = 0;
  bool question = false;  // ends with '?'
};

class Document {
 public:
  // Analyses `text`. REQUIRES: `text` is valid UTF-8 and outlives every use of this
  // Document until the next Analyze call.
  void Analyze(std::string_view text);

  std::string_view text() const { return text_; }
  std::string_view norm() const { return norm_; }
  const std::vector<Token>& tokens() const { return tokens_; }
  const std::vector<Sentence>& sentences() const { return sentences_; }

  // Original byte span of the normalised span [nb, ne).
  Span ToOriginal(uint32_t nb, uint32_t ne) const;
  // Original byte offset of normalised offset `n` (start of the code point it came from).
  uint32_t OriginalOffset(uint32_t n) const { return ascii_ ? n : norm_to_orig_[n]; }

  std::string_view Original(const Token& t) const {
    return text_.substr(t.begin, t.end - t.begin);
  }
  std::string_view Norm(const Token& t) const {
    return std::string_view(norm_).substr(t.norm_begin, t.norm_end - t.norm_begin);
  }
  std::string_view Norm(const Sentence& s) const {
    return std::string_view(norm_).substr(s.norm_begin, s.norm_end - s.norm_begin);
  }

  // Index of the first token whose normalised span ends after `norm_offset`
  // (tokens().size() if none). Binary search.
  uint32_t TokenAtOrAfter(uint32_t norm_offset) const;
  // Sentence containing normalised offset `norm_offset` (the last one if past the end).
  uint32_t SentenceAt(uint32_t norm_offset) const;

 private:
  void Normalize();
  void Tokenize();
  void SplitSentences();

  std::string_view text_;
  bool ascii_ = true;  // text_ is pure ASCII: norm_ has the same offsets, no map is kept
  std::string norm_;
  std::vector<uint32_t> norm_to_orig_;  // norm_.size() + 1 entries, unless ascii_
  std::vector<Token> tokens_;
  std::vector<Sentence> sentences_;
};

// True for bytes that are part of an ASCII word ([A-Za-z0-9]).
constexpr bool IsAsciiWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace carepost::guard
