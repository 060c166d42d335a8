#include "guard/crisis_lexicon.h"

#include <memory>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "guard/matcher.h"

namespace carepost::guard {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Split {
  std::vector<std::string> literals;
  std::vector<std::string> regexes;
};

Split SplitOf(std::string_view re, size_t max = 100) {
  Split s;
  SplitIntoLiterals(re, max, &s.literals, &s.regexes);
  return s;
}

TEST(SplitIntoLiteralsTest, ExpandsGroupsOptionalsAndApostrophes) {
  Split s = SplitOf(R"(\b(i'?m|im) (so )?lost\b)");
  EXPECT_THAT(s.literals, ElementsAre("i'm lost", "i'm so lost", "im lost", "im so lost"));
  EXPECT_THAT(s.regexes, IsEmpty());
}

TEST(SplitIntoLiteralsTest, ExpandsSimpleClassesAndDigits) {
  Split s = SplitOf(R"(\bself[- ]?harm\b)");
  EXPECT_THAT(s.literals, ElementsAre("self harm", "self-harm", "selfharm"));
  EXPECT_THAT(SplitOf(R"(\b[1-3]\d?x\b)", 100).literals.size(), 33u);
}

TEST(SplitIntoLiteralsTest, KeepsWildcardAlternativesAsRegex) {
  Split s = SplitOf(R"(\b(kms|unalive\w*)\b)");
  EXPECT_THAT(s.literals, ElementsAre("kms"));
  EXPECT_THAT(s.regexes, ElementsAre(R"(\b(unalive\w*)\b)"));
}

TEST(SplitIntoLiteralsTest, SplitsTopLevelBranches) {
  Split s = SplitOf(R"(\b(empty|numb)\b|\bdead .{0,5}inside\b)");
  EXPECT_THAT(s.literals, ElementsAre("empty", "numb"));
  EXPECT_THAT(s.regexes, ElementsAre(R"(\bdead .{0,5}inside\b)"));
}

TEST(SplitIntoLiteralsTest, BoundariesMustMatchWhatTheLiteralChecks) {
  // No \b before a word character: the literal would add one, so it stays a regex.
  EXPECT_THAT(SplitOf("kill me\\b").literals, IsEmpty());
  // A \b next to a non-word character means something else: stays a regex.
  EXPECT_THAT(SplitOf("\\b#help\\b").literals, IsEmpty());
  // A non-word end needs no \b.
  EXPECT_THAT(SplitOf("#help\\b").literals, ElementsAre("#help"));
  // \b in the middle, end anchors and repetition stay regexes.
  EXPECT_THAT(SplitOf("\\bno\\b ?\\bway\\b").literals, IsEmpty());
  EXPECT_THAT(SplitOf("\\bgo on ?$").regexes, ElementsAre("\\bgo on ?$"));
  EXPECT_THAT(SplitOf("\\bo+h\\b").regexes, ElementsAre("\\bo+h\\b"));
}

TEST(SplitIntoLiteralsTest, TooManyLiteralsStaysRegex) {
  Split s = SplitOf(R"(\b(a|b|c)(d|e|f)(g|h)\b)", 10);
  EXPECT_THAT(s.literals, IsEmpty());
  EXPECT_THAT(s.regexes, ElementsAre(R"(\b(a|b|c)(d|e|f)(g|h)\b)"));
  EXPECT_EQ(SplitOf(R"(\b(a|b|c)(d|e|f)(g|h)\b)", 18).literals.size(), 18u);
}

// Expanded literals keep the regex's idea of a word boundary: an emoji right after
// "kms" does not hide it (plain AddLiteral treats bytes >= 0x80 as letters).
TEST(SplitIntoLiteralsTest, RegexBoundaryLiteralsMatchNextToEmoji) {
  PatternSet set;
  set.AddLiteral(0, "kms", kLiteralRegexBoundary);
  set.AddLiteral(1, "kms");
  auto matcher = Matcher::Compile(set, 2);
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  std::unique_ptr<MatchScratch> scratch = (*matcher)->NewScratch();
  std::vector<std::vector<Match>> hits;
  (*matcher)->Scan("ugh kms\xf0\x9f\x98\xad", *scratch, &hits);
  ASSERT_EQ(hits[0].size(), 1u);
  EXPECT_EQ(hits[0][0].from, 4u);
  EXPECT_EQ(hits[0][0].to, 7u);
  EXPECT_TRUE(hits[1].empty());
  (*matcher)->Scan("kms_x kmsl", *scratch, &hits);
  EXPECT_TRUE(hits[0].empty());
}

}  // namespace
}  // namespace carepost::guard
