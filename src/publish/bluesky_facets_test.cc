#include "publish/bluesky_facets.h"

#include "gtest/gtest.h"

namespace carepost::publish {
namespace {

// The byte range of `needle` in `text` (first occurrence), computed independently of
// FindFacets.
std::pair<size_t, size_t> RangeOf(std::string_view text, std::string_view needle) {
  const size_t at = text.find(needle);
  return {at, at + needle.size()};
}

TEST(BlueskyFacetsTest, AsciiLinkMentionTag) {
  const std::string text = "Go to https://example.com now, ask @alice.sim.test #FluShots";
  auto f = FindFacets(text);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].kind, FacetSpan::kLink);
  EXPECT_EQ(f[0].byte_start, 6u);
  EXPECT_EQ(f[0].byte_end, 25u);
  EXPECT_EQ(f[0].value, "https://example.com");
  EXPECT_EQ(f[1].kind, FacetSpan::kMention);
  EXPECT_EQ(f[1].value, "alice.sim.test");
  EXPECT_EQ(std::make_pair(f[1].byte_start, f[1].byte_end), RangeOf(text, "@alice.sim.test"));
  EXPECT_EQ(f[2].kind, FacetSpan::kTag);
  EXPECT_EQ(f[2].value, "FluShots");
  EXPECT_EQ(std::make_pair(f[2].byte_start, f[2].byte_end), RangeOf(text, "#FluShots"));
}

TEST(BlueskyFacetsTest, OffsetsAreUtf8BytesAfterEmojiAndAccents) {
  // "💉" is 4 bytes, "é" 2, "👍🏽" 8, "日本" 6: character and byte offsets differ.
  const std::string text =
      "💉 Vacunación gratis 👍🏽 日本 https://ex.org/flu? @Alice.Sim.Test. #gripe2025!";
  auto f = FindFacets(text);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].value, "https://ex.org/flu");
  EXPECT_EQ(std::make_pair(f[0].byte_start, f[0].byte_end), RangeOf(text, "https://ex.org/flu"));
  // 4 (💉) + 1 + 11 ("Vacunación": 10 characters, 11 bytes) + 1 + 6 + 1 + 8 + 1 + 6 + 1
  EXPECT_EQ(f[0].byte_start, 40u);
  EXPECT_EQ(f[1].value, "alice.sim.test");
  EXPECT_EQ(std::make_pair(f[1].byte_start, f[1].byte_end), RangeOf(text, "@Alice.Sim.Test"));
  EXPECT_EQ(f[2].value, "gripe2025");
  EXPECT_EQ(std::make_pair(f[2].byte_start, f[2].byte_end), RangeOf(text, "#gripe2025"));
}

TEST(BlueskyFacetsTest, NonAsciiHashtag) {
  const std::string text = "Salud ＃vacunación y #日本語";
  auto f = FindFacets(text);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].value, "vacunación");
  EXPECT_EQ(std::make_pair(f[0].byte_start, f[0].byte_end), RangeOf(text, "＃vacunación"));
  EXPECT_EQ(f[1].value, "日本語");
  EXPECT_EQ(f[1].byte_end, text.size());
}

TEST(BlueskyFacetsTest, WhatIsNotAFacet) {
  EXPECT_TRUE(FindFacets("email me at nurse@clinic.org").empty());  // not at a word start
  EXPECT_TRUE(FindFacets("call #1 or #2024").empty());              // digits only
  EXPECT_TRUE(FindFacets("@localhost is not a handle").empty());    // no dot
  EXPECT_TRUE(FindFacets("a#b and https:// alone").empty());
  EXPECT_TRUE(FindFacets("").empty());
}

TEST(BlueskyFacetsTest, ParenthesesAroundLinks) {
  const std::string text = "(see https://en.wikipedia.org/wiki/Flu_(disease)) and (https://ex.org)";
  auto f = FindFacets(text);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].value, "https://en.wikipedia.org/wiki/Flu_(disease)");
  EXPECT_EQ(f[1].value, "https://ex.org");
}

}  // namespace
}  // namespace carepost::publish
