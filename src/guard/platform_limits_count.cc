#include "guard/platform_limits_count.h"

#include <utf8proc.h>

#include <algorithm>

#include "core/utf8.h"

namespace carepost::guard {

int XWeight(char32_t cp) {
  // twitter-text config/v3.json: weight 100 (one character) in these ranges, 200 elsewhere.
  if (cp <= 4351) return 1;
  if (cp >= 8192 && cp <= 8205) return 1;
  if (cp >= 8208 && cp <= 8223) return 1;
  if (cp >= 8242 && cp <= 8247) return 1;
  return 2;
}

bool IsEmojiCodePoint(char32_t cp) {
  if (cp < 0x2000) return false;  // ©, ® and friends are text unless styled as emoji
  if (cp == 0x20E3) return true;  // combining enclosing keycap
  const utf8proc_property_t* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
  return p->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
         p->boundclass == UTF8PROC_BOUNDCLASS_E_ZWG ||
         p->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR;
}

namespace {

// One grapheme being measured.
struct Cluster {
  uint32_t begin = 0;
  int code_points = 0;
  int utf16 = 0;
  int bytes = 0;
  int x_weight = 0;
  bool emoji = false;

  void Add(char32_t cp, int len) {
    ++code_points;
    utf16 += cp >= 0x10000 ? 2 : 1;
    bytes += len;
    // Combining accents would compose with their letter under NFC, which twitter-text
    // applies before counting: they weigh nothing here.
    if (!(cp >= 0x300 && cp <= 0x36F)) x_weight += XWeight(cp);
    emoji |= IsEmojiCodePoint(cp);
  }

  int Weight(LengthUnit unit) const {
    switch (unit) {
      case LengthUnit::kXWeighted:
        return emoji ? 2 : x_weight;
      case LengthUnit::kGraphemes:
        return 1;
      case LengthUnit::kCodePoints:
        return code_points;
      case LengthUnit::kUtf16:
        return utf16;
      case LengthUnit::kUtf8Bytes:
        return bytes;
      case LengthUnit::kThreads:
        return emoji ? bytes : code_points;
    }
    return code_points;
  }
};

}  // namespace

Measure MeasureText(std::string_view text, LengthUnit unit, std::span<const CountedSpan> spans,
                    int64_t limit) {
  Measure m;
  m.over_at = static_cast<uint32_t>(text.size());
  bool over = false;
  auto add = [&](uint32_t begin, int weight) {
    m.length += weight;
    if (!over && m.length > limit) {
      over = true;
      m.over_at = begin;
    }
  };
  if (unit == LengthUnit::kUtf8Bytes && spans.empty()) {
    m.length = static_cast<int64_t>(text.size());
    if (m.length > limit) {
      // Back up to the start of the code point that crosses the limit.
      uint32_t at = static_cast<uint32_t>(limit);
      while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
      m.over_at = at;
    }
    return m;
  }
  Cluster cur;
  bool open = false;
  char32_t prev = 0;
  bool have_prev = false;
  utf8proc_int32_t state = 0;
  size_t span_i = 0;
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    if (span_i < spans.size() && i >= spans[span_i].begin) {
      if (open) add(cur.begin, cur.Weight(unit));
      open = false;
      add(static_cast<uint32_t>(i), spans[span_i].weight);
      i = std::max<size_t>(i, spans[span_i].end);
      ++span_i;
      have_prev = false;
      state = 0;
      continue;
    }
    int len = 1;
    const auto b0 = static_cast<unsigned char>(text[i]);
    const char32_t cp = b0 < 0x80 ? b0 : core::DecodeUtf8(text, i, &len);
    bool brk = true;
    if (have_prev) {
      if (prev < 0x80 && cp < 0x80) {
        brk = !(prev == '\r' && cp == '\n');
        state = 0;
      } else {
        brk = utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(prev),
                                               static_cast<utf8proc_int32_t>(cp), &state);
      }
    }
    if (brk) {
      if (open) add(cur.begin, cur.Weight(unit));
      cur = Cluster();
      cur.begin = static_cast<uint32_t>(i);
      open = true;
    }
    cur.Add(cp, len);
    prev = cp;
    have_prev = true;
    i += static_cast<size_t>(len);
  }
  if (open) add(cur.begin, cur.Weight(unit));
  return m;
}

}  // namespace carepost::guard
