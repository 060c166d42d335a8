#include "guard/matcher.h"

#include <gtest/gtest.h>

#include <tuple>

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

TEST(MatcherTest, AddWordPhraseStartsAreFoundFromTheirEnds) {
  // Whether the start is walked back from the end ("jean-martin charcot": no word begins
  // or ends with a separator) or tracked by Hyperscan ("a - b"), the spans are the same.
  PatternSet set;
  set.AddWord(0, "jean-martin charcot");
  set.AddWord(0, "a - b");
  set.AddWord(0, "dr. kim");
  Scanned s = Scan(set, 1, "x -jean-martin - \t-charcot, a - b a -- b dr.  kim dr.kim");
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> got;  // (id, from, to)
  for (const Match& m : s.hits[0]) got.push_back({m.id, m.from, m.to});
  EXPECT_EQ(got, (std::vector<std::tuple<uint32_t, uint32_t, uint32_t>>{
                     {0, 3, 26}, {1, 28, 33}, {1, 34, 40}, {2, 41, 49}}));
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

TEST(MatcherTest, OrgPatternsMergeWithBuiltInOnesInEndOrder) {
  PatternSet set;
  set.AddLiteral(0, "alpha");                 // built in, local id 0
  set.AddWord(0, "river road", kPatternOrg);  // org, local id 1
  set.AddLiteral(0, "gamma");                 // built in, local id 2
  set.AddLiteral(1, "beta", kPatternOrg);     // org, another stage
  EXPECT_EQ(set.size(), 4u);
  EXPECT_EQ(set.builtin_size(), 2u);
  Scanned s = Scan(set, 2, "alpha river-road gamma beta");
  std::vector<std::pair<uint32_t, uint32_t>> got;  // (local id, end)
  for (const Match& m : s.hits[0]) got.push_back({m.id, m.to});
  EXPECT_EQ(got, (std::vector<std::pair<uint32_t, uint32_t>>{{0, 5}, {1, 16}, {2, 22}}));
  ASSERT_EQ(s.hits[1].size(), 1u);
  EXPECT_EQ(s.hits[1][0].from, 23u);
}

TEST(MatcherTest, OrgPatternsDoNotChangeTheBuiltInFingerprint) {
  PatternSet plain, with_org;
  plain.Add(0, "a+b");
  with_org.AddLiteral(0, "our hospital", kPatternOrg);
  with_org.Add(0, "a+b");
  EXPECT_EQ(plain.BuiltinFingerprint(), with_org.BuiltinFingerprint());
  PatternSet other;
  other.Add(0, "a+c");
  EXPECT_NE(plain.BuiltinFingerprint(), other.BuiltinFingerprint());
  PatternSet other_flags;
  other_flags.Add(0, "a+b", kPatternNoStart);
  EXPECT_NE(plain.BuiltinFingerprint(), other_flags.BuiltinFingerprint());
}

TEST(MatcherTest, UsesASerializedDatabaseThatFits) {
  PatternSet set;
  set.Add(0, "x+y");
  set.AddLiteral(0, "clinic", kPatternOrg);
  auto bytes = Matcher::SerializeBuiltin(set);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const SerializedPatterns db{*bytes, set.BuiltinFingerprint(), 1};
  auto m = Matcher::Compile(set, 1, &db);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE((*m)->builtin_precompiled());
  EXPECT_EQ((*m)->note(), "");
  auto scratch = (*m)->NewScratch();
  std::vector<std::vector<Match>> hits;
  (*m)->Scan("xxy clinic", *scratch, &hits);
  ASSERT_EQ(hits[0].size(), 2u);
  EXPECT_EQ(hits[0][0].from, 0u);  // leftmost start, as when compiled here
  EXPECT_EQ(hits[0][1].id, 1u);
}

TEST(MatcherTest, CompilesAtStartWhenTheSerializedDatabaseDoesNotFit) {
  PatternSet set;
  set.Add(0, "x+y");
  PatternSet other;
  other.Add(0, "q+");
  auto bytes = Matcher::SerializeBuiltin(other);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const std::string garbage(64, 'z');
  const SerializedPatterns stale{*bytes, other.BuiltinFingerprint(), 1};
  const SerializedPatterns broken{garbage, set.BuiltinFingerprint(), 1};
  const SerializedPatterns none{};
  for (const SerializedPatterns* db : {&stale, &broken, &none}) {
    auto m = Matcher::Compile(set, 1, db);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_FALSE((*m)->builtin_precompiled());
    EXPECT_NE((*m)->note().find("compiling 1 patterns at start"), std::string::npos)
        << (*m)->note();
    auto scratch = (*m)->NewScratch();
    std::vector<std::vector<Match>> hits;
    (*m)->Scan("xxy", *scratch, &hits);
    ASSERT_EQ(hits[0].size(), 1u);  // the patterns still match
  }
}

}  // namespace
}  // namespace carepost::guard
