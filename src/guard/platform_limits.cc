// The platform-limits stage: what a platform would refuse or silently change in an
// outbound post or reply — length as that platform counts it, hashtag, mention and
// link limits, characters it does not accept — and images without alt text.
//
// Limits and how each platform counts, with sources (read 2026; docs/platform-limits.md
// keeps the same table for people):
//   X          280, twitter-text config v3 weights (most scripts 1, CJK/emoji 2), every
//              URL 23, with or without "https://". docs.x.com/fundamentals/counting-
//              characters; github.com/twitter/twitter-text/blob/master/config/v3.json
//   Bluesky    300 graphemes (app.bsky.feed.post lexicon: text maxGraphemes 300); links
//              count at their full length.
//   Mastodon   ScreenerOptions::mastodon_char_limit (500 by default) graphemes; URLs
//              with a scheme count 23, the "@domain" of a remote mention counts 0.
//              docs.joinmastodon.org/user/posting; app/validators/
//              status_length_validator.rb
//   Threads    500 characters, emoji counted as their UTF-8 bytes; at most 5 links
//              (THREADS_API__LINK_LIMIT_EXCEEDED); one topic tag per post.
//              developers.facebook.com/docs/threads/posts, .../create-posts/text-attachments
//   Instagram  caption 2,200 characters, 20 @mentions (IG Graph API, POST
//              /{ig-user-id}/media); 5 hashtags since Instagram's December 2025 change
//              (the API reference still says 30).
//   Facebook   63,206 characters.
//   LinkedIn   3,000 characters (LinkedIn Help, "Post and share updates").
//   TikTok     video caption 2,200 UTF-16 units (Content Posting API, post_info.title).
//   Pinterest  Pin description 500 characters (title 100 is a separate field).
//   YouTube    description 5,000 bytes, no "<" or ">" (YouTube Data API, videos
//              resource, snippet.description).
// A text with no platform gets only the alt-text check; inbound text gets nothing.
#include <algorithm>
#include <string>

#include "core/strings.h"
#include "guard/platform_limits_count.h"
#include "guard/policy.h"
#include "guard/stages.h"

namespace carepost::guard {
namespace {

struct PlatformSpec {
  Platform platform = Platform::kNone;
  std::string_view display;
  int64_t limit = 0;  // 0: ScreenerOptions::mastodon_char_limit
  LengthUnit unit = LengthUnit::kCodePoints;
  int url_weight = 0;                 // > 0: a URL counts as this many, whatever its length
  bool urls_without_scheme = false;   // "cdc.gov/flu" is a URL too (twitter-text)
  bool free_mention_domains = false;  // "@alice@example.org" counts as "@alice" (Mastodon)
  bool threads = false;               // can the author split the text into a thread?
  int max_hashtags = 0;               // 0: no limit
  std::string_view hashtag_rule;      // what the platform does, for the message
  int max_mentions = 0;
  int max_links = 0;
  bool no_angle_brackets = false;
};

constexpr PlatformSpec kSpecs[] = {
    {.platform = Platform::kX,
     .display = "X",
     .limit = 280,
     .unit = LengthUnit::kXWeighted,
     .url_weight = 23,
     .urls_without_scheme = true,
     .threads = true},
    {.platform = Platform::kBluesky,
     .display = "Bluesky",
     .limit = 300,
     .unit = LengthUnit::kGraphemes,
     .threads = true},
    {.platform = Platform::kMastodon,
     .display = "Mastodon",
     .limit = 0,
     .unit = LengthUnit::kGraphemes,
     .url_weight = 23,
     .free_mention_domains = true,
     .threads = true},
    {.platform = Platform::kThreads,
     .display = "Threads",
     .limit = 500,
     .unit = LengthUnit::kThreads,
     .urls_without_scheme = true,
     .threads = true,
     .max_hashtags = 1,
     .hashtag_rule = "Threads makes only one tag per post a topic tag",
     .max_links = 5},
    {.platform = Platform::kInstagram,
     .display = "Instagram",
     .limit = 2200,
     .unit = LengthUnit::kCodePoints,
     .max_hashtags = 5,
     .hashtag_rule = "Instagram allows 5 hashtags per post",
     .max_mentions = 20},
    {.platform = Platform::kFacebook,
     .display = "Facebook",
     .limit = 63206,
     .unit = LengthUnit::kCodePoints},
    {.platform = Platform::kLinkedIn,
     .display = "LinkedIn",
     .limit = 3000,
     .unit = LengthUnit::kCodePoints},
    {.platform = Platform::kTikTok, .display = "TikTok", .limit = 2200, .unit = LengthUnit::kUtf16},
    {.platform = Platform::kPinterest,
     .display = "Pinterest",
     .limit = 500,
     .unit = LengthUnit::kCodePoints},
    {.platform = Platform::kYouTube,
     .display = "YouTube",
     .limit = 5000,
     .unit = LengthUnit::kUtf8Bytes,
     .no_angle_brackets = true},
};

// How each LengthUnit is named: in PlatformLength::unit, and in a message for people.
struct UnitText {
  LengthUnit unit;
  std::string_view name;
  std::string_view words;
};
constexpr UnitText kUnitTexts[] = {
    {LengthUnit::kXWeighted, "x_weighted", "characters as X counts them (links 23, emoji 2)"},
    {LengthUnit::kGraphemes, "graphemes", "characters"},
    {LengthUnit::kCodePoints, "code_points", "characters"},
    {LengthUnit::kUtf16, "utf16", "characters (UTF-16 units)"},
    {LengthUnit::kUtf8Bytes, "utf8_bytes", "bytes"},
    {LengthUnit::kThreads, "threads", "characters (emoji count as several)"},
};

const UnitText& TextOf(LengthUnit u) {
  for (const UnitText& t : kUnitTexts) {
    if (t.unit == u) return t;
  }
  return kUnitTexts[2];
}
std::string_view UnitWords(LengthUnit u) { return TextOf(u).words; }
std::string_view UnitName(LengthUnit u) { return TextOf(u).name; }

enum PatternKind : uint8_t {
  kScheme,  // "http://", "https://"
  kWww,     // "www."
  kDomain,  // ".gov" in "cdc.gov"
};

bool IsHostByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}
bool IsUrlByte(char c) {
  return !(c == ' ' || c == '\n' || c == '\t' || c == '<' || c == '>' || c == '"');
}
bool IsWordByte(char c) { return IsAsciiWordByte(static_cast<unsigned char>(c)) || c == '_'; }

// Trailing punctuation is the sentence's, not the URL's ("see cdc.gov/flu.").
uint32_t TrimUrlEnd(std::string_view norm, uint32_t b, uint32_t e) {
  while (e > b) {
    const char c = norm[e - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' ||
        c == '*') {
      --e;
    } else if (c == ')' && norm.substr(b, e - b).find('(') == std::string_view::npos) {
      --e;
    } else {
      break;
    }
  }
  return e;
}

class PlatformLimitStage final : public Stage {
 public:
  static absl::StatusOr<std::unique_ptr<Stage>> Create(const ScreenerOptions& o, StageBuilder& b) {
    std::unique_ptr<PlatformLimitStage> s(new PlatformLimitStage());
    s->mastodon_limit_ = o.mastodon_char_limit > 0 ? o.mastodon_char_limit : 500;
    // Literal-led patterns only: the address around a match is found by walking bytes.
    s->Register(b.Add(R"(https?://)"), kScheme);
    s->Register(b.Add(R"(\bwww\.)"), kWww);
    s->Register(b.Add(R"(\.(com|org|net|gov|edu|us|io|co|info|health|care|ly|me|ca|uk|app|ai)\b)"),
                kDomain);
    return std::unique_ptr<Stage>(std::move(s));
  }

  std::string_view name() const override { return "platform_limits"; }

  void Screen(const Document& doc, std::span<const Match> hits, const ScreenRequest& request,
              std::vector<Finding>* out) const override {
    if (request.context == Context::kInbound) return;
    const Severity severity = PlatformLimitSeverity(request.context);
    CheckAltText(doc, request, severity, out);
    const PlatformSpec* spec = SpecFor(request.platform);
    if (spec == nullptr) return;
    const int64_t limit = LimitOf(*spec);
    std::vector<CountedSpan> urls;
    const Measure m = Count(doc, hits, *spec, &urls);
    const std::string_view text = doc.text();
    if (m.length > limit) {
      Finding f;
      f.kind = Kind::kPlatformLimit;
      f.type = "length";
      f.start = m.over_at;
      f.end = static_cast<uint32_t>(text.size());
      f.severity = severity;
      f.message =
          core::Cat("Too long for ", spec->display, ": ", m.length, " ", UnitWords(spec->unit),
                    "; the limit is ", limit, ". The marked part is past the limit.");
      f.suggestion = core::Cat("Cut at least ", m.length - limit,
                               spec->unit == LengthUnit::kUtf8Bytes ? " bytes" : " characters",
                               spec->threads ? ", or split the text into a thread." : ".");
      out->push_back(std::move(f));
    }
    if (spec->max_hashtags > 0) CheckHashtags(doc, urls, *spec, severity, out);
    if (spec->max_mentions > 0) CheckMentions(doc, urls, *spec, severity, out);
    if (spec->max_links > 0 && static_cast<int>(urls.size()) > spec->max_links) {
      Finding f;
      f.kind = Kind::kPlatformLimit;
      f.type = "links";
      f.start = urls[spec->max_links].begin;
      f.end = urls.back().end;
      f.severity = severity;
      f.message = core::Cat(spec->display, " refuses posts with more than ", spec->max_links,
                            " links; this one has ", urls.size(), ".");
      f.suggestion =
          core::Cat("Keep ", spec->max_links, " links at most; the marked ones are extra.");
      out->push_back(std::move(f));
    }
    if (spec->no_angle_brackets) {
      const size_t first = text.find_first_of("<>");
      if (first != std::string_view::npos) {
        Finding f;
        f.kind = Kind::kPlatformLimit;
        f.type = "characters";
        f.start = static_cast<uint32_t>(first);
        f.end = static_cast<uint32_t>(text.find_last_of("<>") + 1);
        f.severity = severity;
        f.message = core::Cat(spec->display, " does not accept \"<\" or \">\" in this text.");
        f.suggestion = "Remove the angle brackets or write the words out.";
        out->push_back(std::move(f));
      }
    }
  }

  std::optional<PlatformLength> Length(const Document& doc, std::span<const Match> hits,
                                       const ScreenRequest& request) const override {
    if (request.context == Context::kInbound) return std::nullopt;
    const PlatformSpec* spec = SpecFor(request.platform);
    if (spec == nullptr) return std::nullopt;
    std::vector<CountedSpan> urls;
    return PlatformLength{.count = Count(doc, hits, *spec, &urls).length,
                          .limit = LimitOf(*spec),
                          .unit = UnitName(spec->unit)};
  }

 private:
  PlatformLimitStage() = default;

  static const PlatformSpec* SpecFor(Platform platform) {
    for (const PlatformSpec& s : kSpecs) {
      if (s.platform == platform) return &s;
    }
    return nullptr;
  }

  int64_t LimitOf(const PlatformSpec& spec) const {
    return spec.limit > 0 ? spec.limit : mastodon_limit_;
  }

  // The text's length as `spec` counts it; `urls` gets its URLs (original offsets).
  Measure Count(const Document& doc, std::span<const Match> hits, const PlatformSpec& spec,
                std::vector<CountedSpan>* urls) const {
    // URLs (and Mastodon's free mention domains), in original byte offsets.
    std::vector<CountedSpan> counted;
    CollectSpans(doc, hits, spec, urls, &counted);
    return MeasureText(doc.text(), spec.unit, counted, LimitOf(spec));
  }

  void Register(uint32_t id, PatternKind kind) {
    if (kind_.size() <= id) kind_.resize(id + 1, kScheme);
    kind_[id] = kind;
  }

  void CollectSpans(const Document& doc, std::span<const Match> hits, const PlatformSpec& spec,
                    std::vector<CountedSpan>* urls, std::vector<CountedSpan>* counted) const {
    const std::string_view norm = doc.norm();
    const uint32_t n = static_cast<uint32_t>(norm.size());
    struct NormSpan {
      uint32_t b, e;
      bool url;
    };
    std::vector<NormSpan> spans;
    std::vector<CountedSpan> remote;  // original offsets
    for (const Match& m : hits) {
      const PatternKind kind = kind_[m.id];
      uint32_t b = m.from, e = m.to;
      if (kind != kScheme) {
        while (b > 0 && IsHostByte(norm[b - 1])) --b;
        if (b > 0 && (norm[b - 1] == '@' || norm[b - 1] == '/' || IsWordByte(norm[b - 1]))) {
          continue;  // an e-mail address or a mention's domain, or part of a URL with a scheme
        }
        if (b == m.from) continue;  // ".org" alone
      }
      while (e < n && IsUrlByte(norm[e])) ++e;
      e = TrimUrlEnd(norm, b, e);
      spans.push_back({b, e, true});
    }
    if (spec.free_mention_domains) {
      // "@nurse@hospital.example.org": the "@hospital.example.org" counts nothing.
      const std::string_view text = doc.text();
      for (const Token& t : doc.tokens()) {
        if (!t.Has(kTokMention) || t.end >= text.size() || text[t.end] != '@') continue;
        if (t.begin >= 2 && IsWordByte(text[t.begin - 2])) continue;  // an e-mail address
        const Span o0{t.end, t.end};
        uint32_t e = t.end + 1;
        while (e < text.size() && (IsHostByte(text[e]) || (text[e] >= 'A' && text[e] <= 'Z'))) ++e;
        while (e > o0.begin + 1 && text[e - 1] == '.') --e;
        if (e > o0.begin + 1) remote.push_back({o0.begin, e, 0});
      }
    }
    std::sort(spans.begin(), spans.end(),
              [](const NormSpan& x, const NormSpan& y) { return x.b < y.b; });
    uint32_t covered = 0;
    for (const NormSpan& s : spans) {
      if (s.b < covered) continue;  // inside a URL already taken
      covered = s.e;
      const Span o = doc.ToOriginal(s.b, s.e);
      urls->push_back({o.begin, o.end, spec.url_weight});
      const bool counts_fixed =
          spec.url_weight > 0 && (spec.urls_without_scheme || norm.substr(s.b, 4) == "http");
      if (counts_fixed) counted->push_back({o.begin, o.end, spec.url_weight});
    }
    if (!remote.empty()) {
      // Merge the two sorted lists; a mention domain inside a URL is the URL's.
      std::vector<CountedSpan> merged;
      size_t u = 0;
      for (const CountedSpan& r : remote) {
        while (u < counted->size() && (*counted)[u].begin < r.begin)
          merged.push_back((*counted)[u++]);
        if (!InsideAny(*counted, r.begin)) merged.push_back(r);
      }
      while (u < counted->size()) merged.push_back((*counted)[u++]);
      counted->swap(merged);
    }
  }

  static bool InsideAny(const std::vector<CountedSpan>& spans, uint32_t pos) {
    for (const CountedSpan& s : spans) {
      if (pos >= s.begin && pos < s.end) return true;
    }
    return false;
  }

  // Tokens preceded by `mark` ('#' or '@') that are real tags: not inside a URL, not
  // glued to a word before the mark (C#, jane@example.org, &#39;).
  template <typename Fn>
  static void ForEachTag(const Document& doc, const std::vector<CountedSpan>& urls, TokenFlags flag,
                         char mark, Fn fn) {
    const std::string_view text = doc.text();
    for (const Token& t : doc.tokens()) {
      if (!t.Has(flag) || !t.Has(kTokAlpha)) continue;
      const uint32_t at = t.begin - 1;  // the mark
      if (text[at] != mark) continue;
      if (at > 0 && (IsWordByte(text[at - 1]) || text[at - 1] == '&' || text[at - 1] == mark)) {
        continue;
      }
      if (InsideAny(urls, at)) continue;
      fn(at, t.end);
    }
  }

  void CheckHashtags(const Document& doc, const std::vector<CountedSpan>& urls,
                     const PlatformSpec& spec, Severity severity, std::vector<Finding>* out) const {
    int count = 0;
    uint32_t extra_begin = 0, extra_end = 0;
    ForEachTag(doc, urls, kTokHashtag, '#', [&](uint32_t b, uint32_t e) {
      if (++count == spec.max_hashtags + 1) extra_begin = b;
      extra_end = e;
    });
    if (count <= spec.max_hashtags) return;
    Finding f;
    f.kind = Kind::kPlatformLimit;
    f.type = "hashtags";
    f.start = extra_begin;
    f.end = extra_end;
    f.severity = severity;
    f.message = core::Cat(spec.hashtag_rule, "; this text has ", count, ".");
    f.suggestion =
        core::Cat("Keep the ", spec.max_hashtags,
                  spec.max_hashtags == 1 ? " most relevant hashtag" : " most relevant hashtags",
                  "; the marked ones are extra.");
    out->push_back(std::move(f));
  }

  void CheckMentions(const Document& doc, const std::vector<CountedSpan>& urls,
                     const PlatformSpec& spec, Severity severity, std::vector<Finding>* out) const {
    int count = 0;
    uint32_t extra_begin = 0, extra_end = 0;
    ForEachTag(doc, urls, kTokMention, '@', [&](uint32_t b, uint32_t e) {
      if (++count == spec.max_mentions + 1) extra_begin = b;
      extra_end = e;
    });
    if (count <= spec.max_mentions) return;
    Finding f;
    f.kind = Kind::kPlatformLimit;
    f.type = "mentions";
    f.start = extra_begin;
    f.end = extra_end;
    f.severity = severity;
    f.message = core::Cat(spec.display, " allows ", spec.max_mentions,
                          " @mentions per post; this text has ", count, ".");
    f.suggestion =
        core::Cat("Keep ", spec.max_mentions, " mentions at most; the marked ones are extra.");
    out->push_back(std::move(f));
  }

  static void CheckAltText(const Document& doc, const ScreenRequest& request, Severity severity,
                           std::vector<Finding>* out) {
    int images = 0, missing = 0;
    for (const MediaItem& m : request.media) {
      if (!m.is_image) continue;
      ++images;
      const bool blank = m.alt_text.find_first_not_of(" \t\r\n") == std::string_view::npos;
      missing += blank;
    }
    if (missing == 0) return;
    Finding f;
    f.kind = Kind::kPlatformLimit;
    f.type = "alt_text";
    f.start = 0;
    f.end = static_cast<uint32_t>(doc.text().size());
    f.severity = severity;
    f.message = images == 1 ? std::string("The image has no alt text.")
                            : core::Cat(missing, " of ", images, " images have no alt text.");
    f.suggestion =
        "Describe each image in a sentence or two (what it shows, and any words in it) so "
        "people who use screen readers get the post too.";
    out->push_back(std::move(f));
  }

  int64_t mastodon_limit_ = 500;
  std::vector<PatternKind> kind_;  // pattern id -> kind
};

}  // namespace

absl::StatusOr<std::unique_ptr<Stage>> NewPlatformLimitStage(const ScreenerOptions& o,
                                                             StageBuilder& b) {
  return PlatformLimitStage::Create(o, b);
}

}  // namespace carepost::guard
