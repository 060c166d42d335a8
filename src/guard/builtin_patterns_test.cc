// The pattern database compiled into the binary at build time must be the one the
// stages register today: a stale database must fail here, not ship.
#include "guard/builtin_patterns.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "guard/finding_json.h"
#include "guard/screener.h"
#include "guard/screener_testing.h"

namespace carepost::guard {
namespace {

TEST(BuiltinPatternsTest, EmbeddedDatabaseMatchesThePatternTable) {
  auto patterns = BuiltinPatterns();
  ASSERT_TRUE(patterns.ok()) << patterns.status();
  const SerializedPatterns& db = BuiltinPatternDatabase();
  ASSERT_FALSE(db.bytes.empty()) << "the build embedded no pattern database";
  EXPECT_EQ(db.count, patterns->builtin_size());
  EXPECT_EQ(db.fingerprint, patterns->BuiltinFingerprint())
      << "builtin_pattern_db.cc was generated from other patterns than the stages register";
  // Default options register no org-profile patterns: everything is built in.
  EXPECT_EQ(patterns->builtin_size(), patterns->size());
}

TEST(BuiltinPatternsTest, ScreenerLoadsTheEmbeddedDatabase) {
  const Screener& screener = SharedTestScreener();
  EXPECT_TRUE(screener.patterns_precompiled());
  EXPECT_EQ(screener.pattern_note(), "");
}

OrgProfile ExampleOrg() {
  std::ifstream in("examples/org.toml");
  std::stringstream toml;
  toml << in.rdbuf();
  auto org = ParseOrgProfile(toml.str(), "examples/org.toml");
  EXPECT_TRUE(org.ok()) << org.status();
  return org.ok() ? *org : OrgProfile{};
}

TEST(BuiltinPatternsTest, OrgProfileKeepsTheEmbeddedDatabase) {
  ScreenerOptions options;
  options.org = ExampleOrg();
  ASSERT_FALSE(options.org.names.empty());
  auto screener = Screener::Create(options);
  ASSERT_TRUE(screener.ok()) << screener.status();
  // The org's names are compiled into the second database; the built-in one still fits.
  EXPECT_TRUE((*screener)->patterns_precompiled());
  EXPECT_EQ((*screener)->pattern_note(), "");
}

// Every finding, as the JSON the CLI prints, for each text in each context.
std::string ScreenAll(const Screener& screener, const std::vector<std::string>& texts) {
  Screener::Scratch scratch = screener.NewScratch();
  std::string out;
  for (Context c : {Context::kPost, Context::kReply, Context::kInbound}) {
    for (const std::string& t : texts) {
      AppendResultJson(&out, "null", screener.Screen(t, {.context = c}, scratch), nullptr);
      out += '\n';
    }
  }
  return out;
}

TEST(BuiltinPatternsTest, SameFindingsAsCompilingEveryPatternAtStart) {
  // Each line of the example file screened whole (JSON punctuation and all), plus texts
  // that touch every stage and the org profile's own names.
  std::vector<std::string> texts;
  std::ifstream in("examples/posts.jsonl");
  for (std::string line; std::getline(in, line);) texts.push_back(line);
  ASSERT_GT(texts.size(), 10u);
  texts.insert(
      texts.end(),
      {
          "my mom was in room 412 last week, her name is Maria Lopez, DOB 3/14/1948, MRN "
          "00482913. call me at 217-555-0199 or mlopez@example.com",
          "Sorry your visit last week went badly, we've checked your chart.",
          "Vaccines cause autism and the CDC knows it. Do your own research people!!!",
          "I can't do this anymore. I've been saving my pills and I think tonight is the night.",
          "This DEADLY new virus is spreading out of control! Take 500 mg of vitamin C daily.",
          "Dr. Aisha Patel and the Riverside Medical Center team at 1200 River Road welcome you.",
      });
  ScreenerOptions options;
  options.org = ExampleOrg();
  auto embedded = Screener::Create(options);
  ASSERT_TRUE(embedded.ok()) << embedded.status();
  ASSERT_TRUE((*embedded)->patterns_precompiled());
  options.builtin_pattern_database = false;
  auto compiled = Screener::Create(options);
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  ASSERT_FALSE((*compiled)->patterns_precompiled());
  const std::string a = ScreenAll(**embedded, texts);
  EXPECT_NE(a.find("\"phi\""), std::string::npos);
  EXPECT_EQ(a, ScreenAll(**compiled, texts));
}

}  // namespace
}  // namespace carepost::guard
