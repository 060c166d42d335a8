#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "guard/alarmist_rules.h"
#include "guard/alarmist_testing.h"
#include "guard/embedded_data.h"

namespace carepost::guard {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class AlarmistTest : public ::testing::Test {
 protected:
  // Built once: compiling the phrase database takes a moment.
  static void SetUpTestSuite() { h_ = new StageHarness(NewAlarmistStage); }
  static void TearDownTestSuite() {
    delete h_;
    h_ = nullptr;
  }
  static std::vector<Finding> Screen(std::string_view text, Context c = Context::kPost) {
    ScreenRequest r;
    r.context = c;
    return h_->Screen(text, r);
  }
  static std::vector<std::string> Spans(std::string_view text, Context c = Context::kPost) {
    return StageHarness::Spans(text, Screen(text, c));
  }
  static StageHarness* h_;
};
StageHarness* AlarmistTest::h_ = nullptr;

TEST(PhraseRulesTest, ParsesColumnsAndFlags) {
  auto rules = ParsePhraseRules("x.tsv",
                                "# comment\n"
                                "fear_word\tneg,caps\t\\bdeadly\\b\ta|b\t-\tSay serious.\n"
                                "\n"
                                "urgency\t-\t\\bact now\\b\t-\tc\n");
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].family, "fear_word");
  EXPECT_TRUE((*rules)[0].Has(kRuleNegatable));
  EXPECT_TRUE((*rules)[0].Has(kRuleCaps));
  EXPECT_FALSE((*rules)[0].Has(kRuleWeak));
  EXPECT_THAT((*rules)[0].skip_prev, ElementsAre("a", "b"));
  EXPECT_THAT((*rules)[0].skip_next, IsEmpty());
  EXPECT_EQ((*rules)[0].suggestion, "Say serious.");
  EXPECT_THAT((*rules)[1].skip_next, ElementsAre("c"));
  EXPECT_EQ((*rules)[1].suggestion, "");
}

TEST(PhraseRulesTest, RejectsBrokenLinesWithTheirLineNumber) {
  auto bad_cols = ParsePhraseRules("x.tsv", "fear_word\t-\t\\bx\\b\n");
  EXPECT_FALSE(bad_cols.ok());
  EXPECT_NE(std::string(bad_cols.status().message()).find("x.tsv:1"), std::string::npos);
  auto bad_flag = ParsePhraseRules("x.tsv", "# c\nfear_word\tloud\t\\bx\\b\t-\t-\n");
  EXPECT_FALSE(bad_flag.ok());
  EXPECT_NE(std::string(bad_flag.status().message()).find("x.tsv:2"), std::string::npos);
}

TEST(PhraseRulesTest, ShippedFileParses) {
  auto rules = LoadPhraseRules("alarmist_phrases.tsv");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_GT(rules->size(), 60u);
  for (const PhraseRule& r : *rules) EXPECT_FALSE(r.suggestion.empty()) << r.regex;
}

TEST_F(AlarmistTest, FlagsFearWordsWithExactSpansAndSuggestions) {
  const std::string text = "This deadly flu season is terrifying.";
  auto f = Screen(text);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(text.substr(f[0].start, f[0].end - f[0].start), "deadly");
  EXPECT_EQ(f[0].kind, Kind::kAlarmist);
  EXPECT_EQ(f[0].type, "fear_word");
  EXPECT_EQ(f[0].severity, Severity::kReview);
  EXPECT_NE(f[0].suggestion.find("serious"), std::string::npos);
  EXPECT_EQ(text.substr(f[1].start, f[1].end - f[1].start), "terrifying");
  // Messages never quote the input.
  for (const Finding& x : f) EXPECT_EQ(x.message.find("deadly"), std::string::npos);
}

TEST_F(AlarmistTest, FamiliesFromTheIssue) {
  EXPECT_THAT(Spans("A killer virus is spreading."), ElementsAre("killer"));
  EXPECT_THAT(Spans("The outbreak is skyrocketing in our county."), ElementsAre("skyrocketing"));
  EXPECT_EQ(Screen("Everyone is at risk this winter.")[0].type, "absolute");
  EXPECT_THAT(Spans("Everyone is at risk this winter."), ElementsAre("Everyone is at risk"));
  EXPECT_THAT(Spans("Skip the shot and you could die."), ElementsAre("you could die"));
  EXPECT_THAT(Spans("This vaccine is 100% safe."), ElementsAre("100% safe"));
  EXPECT_THAT(Spans("Act now before it's too late!"),
              ElementsAre("Act now", "before it's too late"));
  EXPECT_EQ(Screen("Act now before it's too late!")[0].type, "urgency");
  EXPECT_THAT(Spans("Loneliness is a plague."), ElementsAre("plague"));
  EXPECT_THAT(Spans("Soda is destroying your liver."), ElementsAre("destroying your liver"));
  EXPECT_THAT(Spans("This flu season could be the worst one ever."), ElementsAre("worst one ever"));
  EXPECT_THAT(Spans("We face an epidemic of loneliness."), ElementsAre("epidemic of"));
  EXPECT_EQ(Screen("We face an epidemic of loneliness.")[0].type, "catastrophizing");
}

TEST_F(AlarmistTest, LongestPhraseWinsOverlaps) {
  auto f = Screen("High blood pressure is a silent killer.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(StageHarness::Spans("High blood pressure is a silent killer.", f)[0], "silent killer");
  EXPECT_NE(f[0].suggestion.find("no symptoms"), std::string::npos);
}

TEST_F(AlarmistTest, ClinicalTermsAndNamesAreNotAlarmist) {
  EXPECT_THAT(Screen("Know the heart attack warning signs and call 911."), IsEmpty());
  EXPECT_THAT(Screen("Sudden Infant Death Syndrome: safe sleep saves lives."), IsEmpty());
  EXPECT_THAT(Screen("Deadly nightshade berries are poisonous to children."), IsEmpty());
  EXPECT_THAT(Screen("Natural killer cells fight infection."), IsEmpty());
  EXPECT_THAT(Screen("Join the Silent Killer 5K for hypertension awareness."), IsEmpty());
  EXPECT_THAT(Screen("Ask your pharmacist before taking a pain killer."), IsEmpty());
  EXPECT_THAT(Screen("A lethal dose of acetaminophen is lower than many think."), IsEmpty());
  EXPECT_THAT(Screen("The spike protein teaches your body to fight the virus."), IsEmpty());
  EXPECT_THAT(Screen("Call the 988 Suicide & Crisis Lifeline or the Crisis Text Line."), IsEmpty());
  EXPECT_THAT(Screen("Cases of bubonic plague are rare in the US."), IsEmpty());
  EXPECT_THAT(Screen("If your blood sugar is out of control, call your care team."), IsEmpty());
  EXPECT_THAT(Screen("Our therapy destroys cancer cells."), IsEmpty());
}

TEST_F(AlarmistTest, OrdinaryWordsAreNotAlarmist) {
  EXPECT_THAT(Screen("Our new clinic opens Monday. Parking is free and the staff is great."),
              IsEmpty());
  EXPECT_THAT(Screen("Thank you to our amazing nurses! Happy Nurses Week."), IsEmpty());
  EXPECT_THAT(Screen("Our direct line is open. The killer whale exhibit is closed."), IsEmpty());
  EXPECT_THAT(Screen("We are hiring nurses, techs and more. Apply today."), IsEmpty());
}

TEST_F(AlarmistTest, NegationTurnsFearIntoReassurance) {
  EXPECT_THAT(Screen("A colonoscopy isn't as scary as you think."), IsEmpty());
  EXPECT_THAT(Screen("Don't be scared to ask questions."), IsEmpty());
  EXPECT_THAT(Screen("HIV is no longer a death sentence."), IsEmpty());
  EXPECT_THAT(Spans("Cancer is a death sentence."), ElementsAre("death sentence"));
}

TEST_F(AlarmistTest, QuotedMythsAndMythSentencesAreNotOurWording) {
  EXPECT_THAT(Screen("MYTH: The flu shot is deadly. FACT: It is safe for most people."), IsEmpty());
  EXPECT_THAT(Screen("Some posts claim \"vaccines are deadly\". Here is what we know."), IsEmpty());
  EXPECT_THAT(Screen("Posts claiming the vaccine is deadly are wrong."), IsEmpty());
}

TEST_F(AlarmistTest, EmergencyUrgencyIsCorrectUrgency) {
  EXPECT_THAT(Screen("Stroke: BE FAST. Every second counts, so call 911."), IsEmpty());
  EXPECT_THAT(Spans("Flu shots are here. Every second counts!"),
              ElementsAre("Every second counts"));
  EXPECT_THAT(Screen("Time is running out to enroll: the deadline is March 31."), IsEmpty());
  EXPECT_THAT(Screen("Act now: open enrollment ends December 15."), IsEmpty());
  EXPECT_THAT(Spans("Time is running out to protect your family."),
              ElementsAre("Time is running out"));
}

TEST_F(AlarmistTest, ShoutingNeedsCapsAndBangsNeedCompany) {
  EXPECT_THAT(Spans("WARNING: measles cases are up."), ElementsAre("WARNING"));
  EXPECT_THAT(Screen("A warning about scams: we never call for payment."), IsEmpty());
  EXPECT_THAT(Screen("HEART ATTACK WARNING SIGNS in women can be subtle."), IsEmpty());
  EXPECT_THAT(Spans("\xF0\x9F\x9A\xA8\xF0\x9F\x9A\xA8 Measles update"),
              ElementsAre("\xF0\x9F\x9A\xA8\xF0\x9F\x9A\xA8"));
  EXPECT_THAT(Screen("HIRING EVENT THIS SATURDAY!!!"), IsEmpty());
  EXPECT_THAT(Spans("This flu is terrifying!!!"), ElementsAre("terrifying", "!!!"));
}

TEST_F(AlarmistTest, StigmatizingWords) {
  EXPECT_THAT(Spans("He suffers from diabetes."), ElementsAre("suffers from"));
  EXPECT_EQ(Screen("He suffers from diabetes.")[0].type, "stigmatizing");
  EXPECT_THAT(Spans("Help for addicts in our county."), ElementsAre("addicts"));
  EXPECT_THAT(Spans("She lost her battle with cancer."), ElementsAre("lost her battle"));
  EXPECT_THAT(Screen("SAMHSA is the Substance Abuse and Mental Health Services Administration."),
              IsEmpty());
  EXPECT_THAT(Screen("Alcoholics Anonymous meets here on Tuesdays."), IsEmpty());
}

TEST_F(AlarmistTest, InboundTextIsNotScreened) {
  EXPECT_THAT(Screen("This deadly flu is terrifying", Context::kInbound), IsEmpty());
  EXPECT_THAT(Spans("This deadly flu is terrifying", Context::kReply),
              ElementsAre("deadly", "terrifying"));
}

TEST_F(AlarmistTest, SafeMessagingWording) {
  const std::string text =
      "Our friend committed suicide last year. Call or text 988 if you are struggling.";
  auto f = Screen(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "safe_messaging");
  EXPECT_EQ(StageHarness::Spans(text, f)[0], "committed suicide");
  EXPECT_NE(f[0].suggestion.find("died by suicide"), std::string::npos);
}

TEST_F(AlarmistTest, SafeMessagingMethodDetailsOnlyInPostsAboutSuicide) {
  const std::string text =
      "He died by suicide after he jumped from the bridge. Call or text 988 any time.";
  EXPECT_THAT(Spans(text), ElementsAre("jumped from the bridge"));
  EXPECT_THAT(Screen("Kids jumped from the bridge into the lake all summer."), IsEmpty());
}

TEST_F(AlarmistTest, MissingLifelineIsAWholeTextFinding) {
  const std::string text = "September is Suicide Prevention Month. Check in on your friends.";
  auto f = Screen(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "safe_messaging");
  EXPECT_EQ(f[0].start, 0u);
  EXPECT_EQ(f[0].end, text.size());
  EXPECT_NE(f[0].suggestion.find("988"), std::string::npos);
  EXPECT_THAT(Screen("September is Suicide Prevention Month. Call or text 988 any time."),
              IsEmpty());
  EXPECT_THAT(Screen("Suicide is preventable. Chat with someone at 988lifeline.org."), IsEmpty());
  EXPECT_THAT(Screen("Talk to someone about self-harm. Call or text 988."), IsEmpty());
  EXPECT_THAT(Screen("Our number is (217) 555-0988. Check in on your friends."), IsEmpty());
}

TEST_F(AlarmistTest, SpansIndexTheOriginalText) {
  // Curly quotes and accents normalise, but spans point at the original bytes.
  const std::string text = "Caf\xC3\xA9 talk \xE2\x80\x94 DEADLY heat is coming";
  auto f = Screen(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(text.substr(f[0].start, f[0].end - f[0].start), "DEADLY");
}

}  // namespace
}  // namespace carepost::guard
