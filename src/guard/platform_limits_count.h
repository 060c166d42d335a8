// File: guard/platform_limits_count.h
//
// Text length the way each platform counts it, for the platform-limits stage.
//
// Platforms disagree on what a "character" is: X weighs code points (most scripts 1,
// CJK and emoji 2) and counts every URL as 23; Bluesky and Mastodon count graphemes
// (what a reader sees as one character: "👍🏽" is one); Meta and LinkedIn count
// characters, TikTok UTF-16 units, YouTube bytes. MeasureText walks the text one
// grapheme at a time (utf8proc's UAX #29 rules), so a limit never splits a character.
//
//   CountedSpan url{10, 80, 23};   // an 70-byte URL that counts as 23
//   Measure m = MeasureText(text, LengthUnit::kXWeighted, {&url, 1}, 280);
//   if (m.length > 280) { /* text[m.over_at, end) is past the limit */ }
//
// Pure functions, no allocation; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace carepost::guard {

enum class LengthUnit : uint8_t {
  kXWeighted,   // twitter-text config v3: code points in the Latin, general punctuation
                // ranges weigh 1, others 2; an emoji sequence weighs 2 as a whole
  kGraphemes,   // extended grapheme clusters (Bluesky, Mastodon)
  kCodePoints,  // Unicode code points (Facebook, Instagram, LinkedIn, Pinterest)
  kUtf16,       // UTF-16 code units (TikTok's "UTF-16 runes")
  kUtf8Bytes,   // UTF-8 bytes (YouTube descriptions)
  kThreads,     // code points, except that an emoji counts as its UTF-8 bytes (Threads)
};

// A part of the text that counts as a fixed weight, whatever its length: a URL that
// counts as 23, a Mastodon mention's "@domain" that counts as 0. Byte offsets into
// the text.
struct CountedSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  int weight = 0;
};

struct Measure {
  int64_t length = 0;  // the text's length in the unit
  // Byte offset of the first grapheme (or counted span) that takes the length past the
  // limit; text.size() when the text is within the limit.
  uint32_t over_at = 0;
};

// Measures `text` (valid UTF-8). `spans` are sorted by begin and do not overlap.
Measure MeasureText(std::string_view text, LengthUnit unit, std::span<const CountedSpan> spans,
                    int64_t limit);

// The twitter-text v3 weight of one code point (1 or 2), emoji parsing aside.
int XWeight(char32_t cp);

// True when `cp` starts or belongs to an emoji presentation (Extended_Pictographic,
// regional indicators, the keycap mark).
bool IsEmojiCodePoint(char32_t cp);

}  // namespace carepost::guard
