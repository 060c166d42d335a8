#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "guard/alarmist_testing.h"
#include "guard/platform_limits_count.h"

namespace carepost::guard {
namespace {

using ::testing::IsEmpty;

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

constexpr std::string_view kThumbsUp = "\xF0\x9F\x91\x8D";                      // U+1F44D
constexpr std::string_view kThumbsUpTone = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";  // + U+1F3FD
constexpr std::string_view kFamily =  // man ZWJ woman ZWJ girl
    "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
constexpr std::string_view kFlagUs = "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8";
constexpr std::string_view kCjk = "\xE6\x97\xA5";  // U+65E5
constexpr std::string_view kEAcute = "e\xCC\x81";  // e + combining acute

int64_t Len(std::string_view text, LengthUnit unit) {
  return MeasureText(text, unit, {}, 1'000'000).length;
}

TEST(MeasureTextTest, EachUnitCountsTheWayItsPlatformDoes) {
  EXPECT_EQ(Len("hello", LengthUnit::kGraphemes), 5);
  EXPECT_EQ(Len("a\r\nb", LengthUnit::kGraphemes), 3);  // CR LF is one grapheme

  EXPECT_EQ(Len(kThumbsUpTone, LengthUnit::kGraphemes), 1);
  EXPECT_EQ(Len(kThumbsUpTone, LengthUnit::kCodePoints), 2);
  EXPECT_EQ(Len(kThumbsUpTone, LengthUnit::kUtf16), 4);
  EXPECT_EQ(Len(kThumbsUpTone, LengthUnit::kUtf8Bytes), 8);
  EXPECT_EQ(Len(kThumbsUpTone, LengthUnit::kXWeighted), 2);
  EXPECT_EQ(Len(kThumbsUpTone, LengthUnit::kThreads), 8);

  EXPECT_EQ(Len(kFamily, LengthUnit::kGraphemes), 1);
  EXPECT_EQ(Len(kFamily, LengthUnit::kXWeighted), 2);
  EXPECT_EQ(Len(kFlagUs, LengthUnit::kGraphemes), 1);
  EXPECT_EQ(Len(kFlagUs, LengthUnit::kXWeighted), 2);

  EXPECT_EQ(Len(kCjk, LengthUnit::kXWeighted), 2);
  EXPECT_EQ(Len(kCjk, LengthUnit::kGraphemes), 1);
  EXPECT_EQ(Len(kEAcute, LengthUnit::kGraphemes), 1);
  EXPECT_EQ(Len(kEAcute, LengthUnit::kCodePoints), 2);
  EXPECT_EQ(Len(kEAcute, LengthUnit::kXWeighted), 1);         // as after NFC
  EXPECT_EQ(Len("\xE2\x80\x94", LengthUnit::kXWeighted), 1);  // em dash: general punctuation
  EXPECT_EQ(Len("\xC2\xA9", LengthUnit::kXWeighted), 1);      // (c) sign is text
}

TEST(MeasureTextTest, OverAtIsTheFirstGraphemePastTheLimit) {
  EXPECT_EQ(MeasureText("abcdef", LengthUnit::kGraphemes, {}, 4).over_at, 4u);
  EXPECT_EQ(MeasureText("abcd", LengthUnit::kGraphemes, {}, 4).over_at, 4u);  // within: size
  // An emoji is never split: "ab" + thumbs up is 4 on X; past 3 from the emoji on.
  const std::string t = std::string("ab") + std::string(kThumbsUp);
  EXPECT_EQ(MeasureText(t, LengthUnit::kXWeighted, {}, 3).over_at, 2u);
  // Bytes: back up to the start of the character that crosses the limit.
  EXPECT_EQ(MeasureText("a\xC3\xA9", LengthUnit::kUtf8Bytes, {}, 2).over_at, 1u);
  EXPECT_EQ(MeasureText("a\xC3\xA9", LengthUnit::kUtf8Bytes, {}, 2).length, 3);
}

TEST(MeasureTextTest, CountedSpansWeighWhatTheySay) {
  const std::string t = "see https://example.org/a/very/long/path/to/a/page ok";
  const CountedSpan url{4, static_cast<uint32_t>(t.size() - 3), 23};
  EXPECT_EQ(MeasureText(t, LengthUnit::kGraphemes, {&url, 1}, 1000).length, 4 + 23 + 3);
  EXPECT_EQ(MeasureText(t, LengthUnit::kGraphemes, {&url, 1}, 10).over_at, 4u);
}

class PlatformLimitTest : public ::testing::Test {
 protected:
  std::vector<Finding> Screen(std::string_view text, Platform p, Context c = Context::kPost,
                              std::span<const MediaItem> media = {}) {
    ScreenRequest r;
    r.context = c;
    r.platform = p;
    r.media = media;
    return h_.Screen(text, r);
  }
  StageHarness h_{NewPlatformLimitStage};
};

TEST_F(PlatformLimitTest, XCountsTo280AndMarksThePartPastIt) {
  EXPECT_THAT(Screen(Repeat("a", 280), Platform::kX), IsEmpty());
  auto f = Screen(Repeat("a", 285), Platform::kX);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, Kind::kPlatformLimit);
  EXPECT_EQ(f[0].type, "length");
  EXPECT_EQ(f[0].start, 280u);
  EXPECT_EQ(f[0].end, 285u);
  EXPECT_EQ(f[0].severity, Severity::kBlock);
  EXPECT_NE(f[0].message.find("285"), std::string::npos);
  EXPECT_NE(f[0].suggestion.find("Cut at least 5"), std::string::npos);
  EXPECT_EQ(Screen(Repeat("a", 285), Platform::kX, Context::kReply)[0].severity, Severity::kBlock);
}

TEST_F(PlatformLimitTest, XWeighsEmojiAndCjkAsTwo) {
  EXPECT_THAT(Screen(Repeat(kThumbsUpTone, 140), Platform::kX), IsEmpty());
  auto f = Screen(Repeat(kThumbsUpTone, 141), Platform::kX);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].start, 140u * kThumbsUpTone.size());
  EXPECT_THAT(Screen(Repeat(kCjk, 140), Platform::kX), IsEmpty());
  EXPECT_EQ(Screen(Repeat(kCjk, 141), Platform::kX).size(), 1u);
}

TEST_F(PlatformLimitTest, XCountsEveryLinkAs23) {
  const std::string path = "/" + Repeat("x", 200);
  const std::string body = Repeat("a", 250);
  // 250 + 1 + 23 = 274: fits, however long the link is, with or without https://.
  EXPECT_THAT(Screen(body + " https://example.org" + path, Platform::kX), IsEmpty());
  EXPECT_THAT(Screen(body + " example.org" + path, Platform::kX), IsEmpty());
  // 260 + 1 + 23 = 284: the link is what crosses the limit, so it is marked whole.
  const std::string t = Repeat("a", 260) + " https://example.org" + path;
  auto f = Screen(t, Platform::kX);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].start, 261u);
  // An e-mail address is not a link.
  EXPECT_EQ(Screen(Repeat("a", 270) + " jo@example.org", Platform::kX).size(), 1u);
}

TEST_F(PlatformLimitTest, BlueskyCountsGraphemesAndFullLinks) {
  EXPECT_THAT(Screen(Repeat(kThumbsUpTone, 300), Platform::kBluesky), IsEmpty());
  auto f = Screen(Repeat(kThumbsUpTone, 301), Platform::kBluesky);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].start, 300u * kThumbsUpTone.size());
  EXPECT_EQ(f[0].end, 301u * kThumbsUpTone.size());
  EXPECT_EQ(Screen(Repeat("a", 250) + " https://example.org/" + Repeat("x", 60), Platform::kBluesky)
                .size(),
            1u);
}

TEST_F(PlatformLimitTest, MastodonUsesTheInstanceLimitLinksAndMentionDomains) {
  EXPECT_THAT(Screen(Repeat("a", 500), Platform::kMastodon), IsEmpty());
  EXPECT_EQ(Screen(Repeat("a", 501), Platform::kMastodon).size(), 1u);
  // 470 + 1 + 23: a long link counts 23. A link without a scheme counts in full.
  const std::string path = Repeat("x", 100);
  EXPECT_THAT(Screen(Repeat("a", 470) + " https://example.org/" + path, Platform::kMastodon),
              IsEmpty());
  EXPECT_EQ(Screen(Repeat("a", 470) + " example.org/" + path, Platform::kMastodon).size(), 1u);
  // "@nurse@hospital.example.org" counts as "@nurse".
  EXPECT_THAT(Screen(Repeat("a", 490) + " @nurse@hospital.example.org", Platform::kMastodon),
              IsEmpty());
  ScreenerOptions o;
  o.mastodon_char_limit = 1000;
  StageHarness big(NewPlatformLimitStage, o);
  ScreenRequest r;
  r.platform = Platform::kMastodon;
  EXPECT_THAT(big.Screen(Repeat("a", 900), r), IsEmpty());
  EXPECT_EQ(big.Screen(Repeat("a", 1001), r).size(), 1u);
}

TEST_F(PlatformLimitTest, ThreadsCountsEmojiBytesLinksAndOneTag) {
  EXPECT_THAT(Screen(Repeat(kThumbsUp, 125), Platform::kThreads), IsEmpty());
  EXPECT_EQ(Screen(Repeat(kThumbsUp, 126), Platform::kThreads).size(), 1u);
  const std::string links = "Read a.org b.org c.org https://d.org/x e.org and f.org/y for more.";
  auto f = StageHarness::OfType(Screen(links, Platform::kThreads), "links");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(links.substr(f[0].start, f[0].end - f[0].start), "f.org/y");
  const std::string tags = "Flu shots today #FluSeason #Vaccinate";
  auto t = StageHarness::OfType(Screen(tags, Platform::kThreads), "hashtags");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(tags.substr(t[0].start, t[0].end - t[0].start), "#Vaccinate");
  EXPECT_THAT(Screen("Flu shots today #FluSeason", Platform::kThreads), IsEmpty());
}

TEST_F(PlatformLimitTest, InstagramHashtagAndMentionLimits) {
  const std::string five = "Get checked #a1 #b2 #c3 #d4 #e5";
  EXPECT_THAT(Screen(five, Platform::kInstagram), IsEmpty());
  const std::string seven = five + " #f6 #g7";
  auto f = Screen(seven, Platform::kInstagram);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "hashtags");
  EXPECT_EQ(seven.substr(f[0].start, f[0].end - f[0].start), "#f6 #g7");
  EXPECT_NE(f[0].message.find("7"), std::string::npos);
  // Not hashtags: C#, a number, an HTML entity, a URL fragment.
  EXPECT_THAT(Screen(five + " C# #1 &#39; example.org/#faq", Platform::kInstagram), IsEmpty());

  std::string mentions = "Thanks";
  for (int i = 0; i < 21; ++i) mentions += " @user" + std::to_string(i);
  auto m = Screen(mentions, Platform::kInstagram);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].type, "mentions");
  EXPECT_EQ(mentions.substr(m[0].start, m[0].end - m[0].start), "@user20");
  // An e-mail address is not a mention.
  std::string twenty = "Thanks";
  for (int i = 0; i < 20; ++i) twenty += " @user" + std::to_string(i);
  EXPECT_THAT(Screen(twenty + " jo@example.org", Platform::kInstagram), IsEmpty());
}

TEST_F(PlatformLimitTest, OtherPlatformLengths) {
  EXPECT_THAT(Screen(Repeat("a", 2200), Platform::kInstagram), IsEmpty());
  EXPECT_EQ(Screen(Repeat("a", 2201), Platform::kInstagram).size(), 1u);
  EXPECT_THAT(Screen(Repeat("a", 63206), Platform::kFacebook), IsEmpty());
  EXPECT_EQ(Screen(Repeat("a", 63207), Platform::kFacebook).size(), 1u);
  EXPECT_THAT(Screen(Repeat("a", 3000), Platform::kLinkedIn), IsEmpty());
  EXPECT_EQ(Screen(Repeat("a", 3001), Platform::kLinkedIn).size(), 1u);
  EXPECT_THAT(Screen(Repeat(kThumbsUp, 1100), Platform::kTikTok), IsEmpty());  // 2 units each
  EXPECT_EQ(Screen(Repeat(kThumbsUp, 1101), Platform::kTikTok).size(), 1u);
  EXPECT_THAT(Screen(Repeat("a", 500), Platform::kPinterest), IsEmpty());
  EXPECT_EQ(Screen(Repeat("a", 501), Platform::kPinterest).size(), 1u);
  // YouTube counts bytes: 2,500 two-byte letters fill 5,000 bytes.
  EXPECT_THAT(Screen(Repeat("\xC3\xA9", 2500), Platform::kYouTube), IsEmpty());
  auto yt = Screen(Repeat("\xC3\xA9", 2501), Platform::kYouTube);
  ASSERT_EQ(yt.size(), 1u);
  EXPECT_EQ(yt[0].start, 5000u);
}

TEST_F(PlatformLimitTest, YouTubeRejectsAngleBrackets) {
  const std::string t = "Watch <live> now";
  auto f = Screen(t, Platform::kYouTube);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "characters");
  EXPECT_EQ(t.substr(f[0].start, f[0].end - f[0].start), "<live>");
  EXPECT_THAT(Screen(t, Platform::kFacebook), IsEmpty());
}

TEST_F(PlatformLimitTest, ImagesNeedAltText) {
  const std::string t = "Our new lobby!";
  const MediaItem with_alt[] = {{true, "A bright lobby with plants"}};
  EXPECT_THAT(Screen(t, Platform::kInstagram, Context::kPost, with_alt), IsEmpty());
  const MediaItem mixed[] = {{true, "A bright lobby"}, {true, "  "}, {false, ""}, {true, ""}};
  auto f = Screen(t, Platform::kInstagram, Context::kPost, mixed);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "alt_text");
  EXPECT_EQ(f[0].start, 0u);
  EXPECT_EQ(f[0].end, t.size());
  EXPECT_EQ(f[0].severity, Severity::kBlock);
  EXPECT_NE(f[0].message.find("2 of 3 images"), std::string::npos);
  // A video without alt text is not flagged; alt text is checked with no platform too.
  const MediaItem video[] = {{false, ""}};
  EXPECT_THAT(Screen(t, Platform::kX, Context::kPost, video), IsEmpty());
  const MediaItem bare[] = {{true, ""}};
  EXPECT_EQ(Screen(t, Platform::kNone, Context::kPost, bare).size(), 1u);
  EXPECT_EQ(Screen(t, Platform::kNone, Context::kReply, bare)[0].severity, Severity::kBlock);
}

TEST_F(PlatformLimitTest, NoPlatformOrInboundMeansNoLimits) {
  EXPECT_THAT(Screen(Repeat("a", 5000), Platform::kNone), IsEmpty());
  EXPECT_THAT(Screen(Repeat("a", 5000), Platform::kX, Context::kInbound), IsEmpty());
  const MediaItem bare[] = {{true, ""}};
  EXPECT_THAT(Screen("Look", Platform::kX, Context::kInbound, bare), IsEmpty());
}

}  // namespace
}  // namespace carepost::guard
