#include "guard/matcher.h"

#include <gtest/gtest.h>

namespace carepost::guard {
namespace {

struct Scanned {
  std::vector<std::vector<Match>> hits;
};

Scanned Scan(const PatternSet& set, int stages, std::string_view text) {
  auto m = Matcher::Compile(set, stages);
  EXPECT_TRUE(m.ok()) << m.status();
  Scanned s;
  auto scratch = (*m)->NewScratch();
  (*m)->Scan(text, *scratch, &s.hits);
  return s;
}

TEST(MatcherTest, RoutesMatchesToTheirStageWithLocalIds) {
  PatternSet set;
  EXPECT_EQ(set.Add(0, "abc"), 0u);
  EXPECT_EQ(set.Add(1, "x+y"), 0u);
  EXPECT_EQ(set.Add(1, "\\d{3}"), 1u);
  Scanned s = Scan(set, 2, "abc xxy 123");
  ASSERT_EQ(s.hits.size(), 2u);
  ASSERT_EQ(s.hits[0].size(), 1u);
  EXPECT_EQ(s.hits[0][0].from, 0u);
  EXPECT_EQ(s.hits[0][0].to, 3u);
  ASSERT_EQ(s.hits[1].size(), 2u);
  EXPECT_EQ(s.hits[1][0].id, 0u);
  EXPECT_EQ(s.hits[1][0].from, 4u);  // leftmost start of "xxy"
  EXPECT_EQ(s.hits[1][1].id, 1u);
  EXPECT_EQ(s.hits[1][1].from, 8u);
}

TEST(MatcherTest, LiteralsRespectWordBoundariesAndReportStarts) {
  PatternSet set;
  set.AddLiteral(0, "flu");
  set.AddLiteral(0, "heart attack");
  set.AddLiteral(0, "#1");  // the '#' end needs no boundary, the '1' end does
  Scanned s = Scan(set, 1, "influenza flu, heart attack. flus #1 caféflu #1x");
  std::vector<std::pair<uint32_t, uint32_t>> got;
  for (const Match& m : s.hits[0]) got.push_back({m.from, m.to});
  // "flu" inside "influenza" and "flus" is rejected, "flu" after "é" (non-ASCII) too,
  // and "#1" followed by a letter.
  EXPECT_EQ(got, (std::vector<std::pair<uint32_t, uint32_t>>{{10, 13}, {15, 27}, {34, 36}}));
}

TEST(MatcherTest, AddWordSpacesMatchSpaceOrHyphenRuns) {
  PatternSet set;
  set.AddWord(0, "heart attack");
  Scanned s = Scan(set, 1, "a heart-attack or heart  attack");
  ASSERT_EQ(s.hits[0].size(), 2u);
  EXPECT_EQ(s.hits[0][0].from, 2u);
  EXPECT_EQ(s.hits[0][1].from, 18u);
}

TEST(MatcherTest, CompileErrorNamesStageAndPattern) {
  PatternSet set;
  set.Add(0, "fine");
  set.Add(3, "(unbalanced");
  auto m = Matcher::Compile(set, 4);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(std::string(m.status().message()).find("stage 3 pattern 0 /(unbalanced/"),
            std::string::npos)
      << m.status();
}

TEST(MatcherTest, EmptyTextAndEmptySetScanCleanly) {
  PatternSet set;
  Scanned none = Scan(set, 2, "anything");
  EXPECT_EQ(none.hits.size(), 2u);
  set.Add(0, "x");
  Scanned empty = Scan(set, 1, "");
  EXPECT_TRUE(empty.hits[0].empty());
}

}  // namespace
}  // namespace carepost::guard
