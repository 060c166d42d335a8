#include "guard/document.h"

#include <gtest/gtest.h>

namespace carepost::guard {
namespace {

std::vector<std::string> TokenTexts(const Document& d) {
  std::vector<std::string> out;
  for (const Token& t : d.tokens()) out.emplace_back(d.Original(t));
  return out;
}

TEST(DocumentTest, NormalisesCaseAccentsAndPunctuation) {
  Document d;
  d.Analyze("Café “VACCINES” don’t — Ｆｕｌｌ");
  EXPECT_EQ(d.norm(), "cafe \"vaccines\" don't - full");
}

TEST(DocumentTest, MapsNormalisedSpansToOriginalBytes) {
  Document d;
  const std::string text = "Szöllösy met Dr. Müller";
  d.Analyze(text);
  const size_t pos = d.norm().find("muller");
  ASSERT_NE(pos, std::string_view::npos);
  Span s = d.ToOriginal(static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + 6));
  EXPECT_EQ(text.substr(s.begin, s.end - s.begin), "Müller");
}

TEST(DocumentTest, ExpansionsMapToWholeCodePoints) {
  Document d;
  const std::string text = "Straße ﬁne";
  d.Analyze(text);
  EXPECT_EQ(d.norm(), "strasse fine");
  const size_t pos = d.norm().find("fine");
  Span s = d.ToOriginal(static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + 2));  // "fi"
  EXPECT_EQ(text.substr(s.begin, s.end - s.begin), "ﬁ");
}

TEST(DocumentTest, DropsInvisibleCharacters) {
  Document d;
  d.Analyze("ki\u200bll");
  EXPECT_EQ(d.norm(), "kill");
  ASSERT_EQ(d.tokens().size(), 1u);
}

TEST(DocumentTest, TokensKeepApostrophesAndShape) {
  Document d;
  d.Analyze("O'Brien saw JOHN and mary at St. Jude's #FluShot @Riverside");
  EXPECT_EQ(TokenTexts(d), (std::vector<std::string>{"O'Brien", "saw", "JOHN", "and", "mary", "at",
                                                      "St", "Jude's", "FluShot", "Riverside"}));
  const auto& t = d.tokens();
  EXPECT_TRUE(t[0].Has(kTokCapitalized));
  EXPECT_TRUE(t[2].Has(kTokAllCaps));
  EXPECT_TRUE(t[4].Has(kTokLower));
  EXPECT_TRUE(t[8].Has(kTokHashtag));
  EXPECT_TRUE(t[9].Has(kTokMention));
}

TEST(DocumentTest, SplitsSentencesButNotAfterAbbreviations) {
  Document d;
  d.Analyze("Dr. Smith saw J. Doe today. Is it safe? Yes!\nNew line here");
  ASSERT_EQ(d.sentences().size(), 4u);
  EXPECT_EQ(d.Norm(d.sentences()[0]), "dr. smith saw j. doe today.");
  EXPECT_TRUE(d.sentences()[1].question);
  EXPECT_FALSE(d.sentences()[2].question);
  EXPECT_EQ(d.Norm(d.sentences()[3]), "new line here");
}

TEST(DocumentTest, DecimalNumbersDoNotSplitSentences) {
  Document d;
  d.Analyze("Her temp was 101.5 today and rising.");
  EXPECT_EQ(d.sentences().size(), 1u);
}

TEST(DocumentTest, HandlesEmptyAndPunctuationOnlyText) {
  Document d;
  d.Analyze("");
  EXPECT_TRUE(d.tokens().empty());
  EXPECT_TRUE(d.sentences().empty());
  d.Analyze("?!...");
  EXPECT_TRUE(d.tokens().empty());
  EXPECT_EQ(d.sentences().size(), 1u);
}

}  // namespace
}  // namespace carepost::guard
