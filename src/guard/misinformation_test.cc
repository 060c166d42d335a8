#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "guard/embedded_data.h"
#include "guard/misinfo_features.h"
#include "guard/misinfo_kb.h"
#include "guard/misinfo_model.h"
#include "guard/screener.h"

namespace carepost::guard {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// ----------------------------------------------------------------------------------------
// The knowledge-base engine, on a small knowledge base written for these tests.
// ----------------------------------------------------------------------------------------

constexpr std::string_view kTestKb = R"toml(
[[claim]]
id = "vaccines-cause-autism"
topic = "vaccines"
claim = "Vaccines cause autism."
rebuttal = "They do not."
sources = [{ title = "CDC", url = "https://www.cdc.gov/vaccinesafety/concerns/autism.html" }]
match = [
  [["vaccin*", "mmr"], ["cause*", "linked to"], ["autism", "autistic"]],
]
unless = ["rates of autism diagnosis"]
examples = ["Vaccines cause autism."]
counterexamples = ["Vaccines do not cause autism."]

[[claim]]
id = "masks-dont-work"
topic = "covid19"
claim = "Masks don't work."
rebuttal = "They do."
sources = [{ title = "CDC", url = "https://www.cdc.gov/" }]
match = [
  [["mask*"], ["don't work", "do not work", "useless"]],
]
examples = ["Masks don't work."]
counterexamples = ["Masks work."]
)toml";

class KbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StageBuilder builder(&patterns_, 0);
    auto kb = MisinfoKb::Load(kTestKb, builder);
    ASSERT_TRUE(kb.ok()) << kb.status();
    kb_ = std::move(*kb);
    auto matcher = Matcher::Compile(patterns_, 1);
    ASSERT_TRUE(matcher.ok()) << matcher.status();
    matcher_ = std::move(*matcher);
    scratch_ = matcher_->NewScratch();
  }

  // "id@start-end" for every hit, with original byte offsets of the sentence.
  std::vector<std::string> Fire(std::string_view text) {
    doc_.Analyze(text);
    matcher_->Scan(doc_.norm(), *scratch_, &hits_);
    std::vector<KbHit> out;
    kb_->Match(doc_, hits_[0], &out);
    std::vector<std::string> r;
    for (const KbHit& h : out) {
      const Sentence& s = doc_.sentences()[h.sentence];
      r.push_back(kb_->claims()[h.claim].id + "@" + std::to_string(s.begin) + "-" +
                  std::to_string(s.end));
    }
    return r;
  }

  PatternSet patterns_;
  std::unique_ptr<const MisinfoKb> kb_;
  std::unique_ptr<const Matcher> matcher_;
  std::unique_ptr<MatchScratch> scratch_;
  Document doc_;
  std::vector<std::vector<Match>> hits_;
};

TEST_F(KbTest, FiresOnAssertionWithTheSentenceSpan) {
  EXPECT_THAT(Fire("Vaccines cause autism."), testing::ElementsAre("vaccines-cause-autism@0-22"));
  // Second sentence only: span starts after "Hello there. ".
  EXPECT_THAT(Fire("Hello there. The MMR shot is linked to autism!"),
              testing::ElementsAre("vaccines-cause-autism@13-46"));
}

TEST_F(KbTest, GroupsMatchInAnyOrderWithPrefixesAndCase) {
  EXPECT_THAT(Fire("AUTISM is caused by VACCINATIONS, wake up"),
              testing::ElementsAre("vaccines-cause-autism@0-41"));
  EXPECT_THAT(Fire("autistic kids everywhere and vaccinated kids too, vaccines caused it"),
              testing::ElementsAre("vaccines-cause-autism@0-68"));
}

TEST_F(KbTest, MultiWordTermsAllowPunctuationBetweenWords) {
  EXPECT_THAT(Fire("MMR -- linked -- to autism"), testing::ElementsAre("vaccines-cause-autism@0-26"));
  EXPECT_THAT(Fire("MMR linkedto autism"), IsEmpty());  // words must be separate
}

TEST_F(KbTest, GroupsMustShareASentence) {
  EXPECT_THAT(Fire("Vaccines save lives. Some people think tv causes autism."), IsEmpty());
  EXPECT_THAT(Fire("Vaccines are everywhere\ncausing autism"), IsEmpty());
}

TEST_F(KbTest, WordBoundariesAreRespected) {
  EXPECT_THAT(Fire("Vaccines cause autismo"), IsEmpty());  // no '*' on autism
  EXPECT_THAT(Fire("Antivaccine folks cause autism panic"), IsEmpty());  // vaccin* is a prefix, not infix
}

TEST_F(KbTest, QuestionsDoNotFire) {
  EXPECT_THAT(Fire("Vaccines cause autism?"), IsEmpty());
  EXPECT_THAT(Fire("Do vaccines cause autism"), IsEmpty());
  EXPECT_THAT(Fire("Can the MMR vaccine be linked to autism"), IsEmpty());
  // A question in another sentence does not protect an assertion.
  EXPECT_THAT(Fire("Why won't they listen? Vaccines cause autism."),
              testing::ElementsAre("vaccines-cause-autism@23-45"));
}

TEST_F(KbTest, RefutationsDoNotFire) {
  EXPECT_THAT(Fire("No, vaccines don't cause autism."), IsEmpty());
  EXPECT_THAT(Fire("Vaccines do not cause autism."), IsEmpty());
  EXPECT_THAT(Fire("Vaccines never caused autism in any study."), IsEmpty());
  EXPECT_THAT(Fire("There is no evidence that vaccines cause autism."), IsEmpty());
  EXPECT_THAT(Fire("Vaccines aren’t linked to autism."), IsEmpty());  // curly apostrophe
}

TEST_F(KbTest, DebunkingQuotesDoNotFire) {
  EXPECT_THAT(Fire("The myth that vaccines cause autism has been debunked."), IsEmpty());
  EXPECT_THAT(Fire("It is false that vaccines cause autism."), IsEmpty());
  EXPECT_THAT(Fire("Fact check: the MMR vaccine is linked to autism? Untrue."), IsEmpty());
  EXPECT_THAT(Fire("Contrary to rumors online, vaccines cause autism only in fiction"), IsEmpty());
  EXPECT_THAT(Fire("'Vaccines cause autism' is misinformation."), IsEmpty());
  EXPECT_THAT(Fire("You may have seen posts claiming that vaccines cause autism."), IsEmpty());
}

TEST_F(KbTest, NegationInsideAMatchedTermIsPartOfTheClaim) {
  EXPECT_THAT(Fire("Masks don't work."), testing::ElementsAre("masks-dont-work@0-17"));
  EXPECT_THAT(Fire("Face masks do not work, period"),
              testing::ElementsAre("masks-dont-work@0-30"));
  // ... but a cue outside the term still refutes it.
  EXPECT_THAT(Fire("It is a myth that masks don't work."), IsEmpty());
  EXPECT_THAT(Fire("It's not true that masks don't work."), IsEmpty());
}

TEST_F(KbTest, EndorsingReportedSpeechStillFires) {
  EXPECT_THAT(Fire("My doctor said vaccines cause autism."),
              testing::ElementsAre("vaccines-cause-autism@0-37"));
}

TEST_F(KbTest, UnlessTermVetoesTheClaim) {
  EXPECT_THAT(Fire("Rates of autism diagnosis rose while vaccines caused autism headlines."),
              IsEmpty());
}

TEST_F(KbTest, OneHitPerClaimAndSentence) {
  EXPECT_THAT(Fire("Vaccines cause autism, the MMR vaccine is linked to autism. Vaccines cause "
                   "autism."),
              testing::ElementsAre("vaccines-cause-autism@0-59", "vaccines-cause-autism@60-82"));
  EXPECT_THAT(Fire("Masks are useless and vaccines cause autism."),
              testing::ElementsAre("vaccines-cause-autism@0-44", "masks-dont-work@0-44"));
}

TEST_F(KbTest, OrdinaryTextDoesNotFire) {
  EXPECT_THAT(Fire(""), IsEmpty());
  EXPECT_THAT(Fire("Our pediatricians are happy to talk about vaccines and autism."), IsEmpty());
  EXPECT_THAT(Fire("Wear a mask if you are sick."), IsEmpty());
}

absl::Status LoadStatus(std::string_view toml) {
  PatternSet set;
  StageBuilder b(&set, 0);
  return MisinfoKb::Load(toml, b).status();
}

TEST(MisinfoKbLoadTest, RejectsBrokenKnowledgeBases) {
  EXPECT_THAT(std::string(LoadStatus("[[claim]\nid = 1").message()), HasSubstr("line 1"));
  EXPECT_THAT(std::string(LoadStatus("").message()), HasSubstr("no [[claim]]"));
  const std::string base =
      "[[claim]]\nid = \"x\"\nclaim = \"c\"\nrebuttal = \"r\"\n"
      "sources = [{ title = \"t\", url = \"https://www.cdc.gov/\" }]\n";
  EXPECT_TRUE(LoadStatus(base + "match = [[[\"a\"], [\"b\"]]]\n").ok());
  EXPECT_THAT(std::string(LoadStatus(base).message()), HasSubstr("(x): missing match"));
  EXPECT_THAT(std::string(LoadStatus(base + "match = [[[\"a*b\"], [\"b\"]]]\n").message()),
              HasSubstr("'*' must end a word"));
  EXPECT_THAT(std::string(LoadStatus(base + "match = [[[\"*\"], [\"b\"]]]\n").message()),
              HasSubstr("'*' needs a word"));
  EXPECT_THAT(std::string(LoadStatus(base + "match = [[\"a\", \"b\"]]\n").message()),
              HasSubstr("group 0 must be a list of terms"));
  EXPECT_THAT(std::string(LoadStatus(base + "match = [[[\"a\"], [\"b\"]]]\n" + base +
                                     "match = [[[\"a\"], [\"b\"]]]\n")
                              .message()),
              HasSubstr("duplicate id"));
}

// ----------------------------------------------------------------------------------------
// The stage, through the real Screener and the shipped knowledge base and model.
// ----------------------------------------------------------------------------------------

class StageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = Screener::Create(ScreenerOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
    screener_ = s->release();
    ScreenerOptions no_model;
    no_model.misinfo_classifier = false;
    auto s2 = Screener::Create(no_model);
    ASSERT_TRUE(s2.ok()) << s2.status();
    kb_only_ = s2->release();
  }
  static void TearDownTestSuite() {
    delete screener_;
    delete kb_only_;
  }

  static std::vector<Finding> Misinfo(const Screener& s, std::string_view text,
                                      Context context = Context::kPost) {
    static Screener::Scratch* scratch = new Screener::Scratch(screener_->NewScratch());
    static Screener::Scratch* kb_scratch = new Screener::Scratch(kb_only_->NewScratch());
    ScreenResult r = s.Screen(text, ScreenRequest{.context = context},
                              &s == screener_ ? *scratch : *kb_scratch);
    std::vector<Finding> out;
    for (Finding& f : r.findings) {
      if (f.kind == Kind::kMisinformation) out.push_back(std::move(f));
    }
    return out;
  }
  static std::vector<std::string> Types(const std::vector<Finding>& fs) {
    std::vector<std::string> t;
    for (const Finding& f : fs) t.push_back(f.type);
    return t;
  }

  static const Screener* screener_;
  static const Screener* kb_only_;
};

const Screener* StageTest::screener_ = nullptr;
const Screener* StageTest::kb_only_ = nullptr;

TEST_F(StageTest, KnowledgeBaseFindingCarriesRebuttalSourcesAndSeverity) {
  const std::string text = "Thanks for asking! Vaccines cause autism, everyone knows it.";
  auto post = Misinfo(*screener_, text, Context::kPost);
  ASSERT_EQ(post.size(), 1u);
  const Finding& f = post[0];
  EXPECT_EQ(f.type, "vaccines-cause-autism");
  EXPECT_EQ(f.start, 19u);
  EXPECT_EQ(f.end, text.size());
  EXPECT_EQ(f.severity, Severity::kBlock);
  EXPECT_FALSE(f.rebuttal.empty());
  ASSERT_FALSE(f.sources.empty());
  EXPECT_THAT(f.sources[0].url, HasSubstr("https://"));
  EXPECT_FALSE(f.suggestion.empty());
  EXPECT_THAT(f.message, Not(HasSubstr("everyone knows")));  // never quotes the input

  auto reply = Misinfo(*screener_, text, Context::kReply);
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_EQ(reply[0].severity, Severity::kBlock);
  auto inbound = Misinfo(*screener_, text, Context::kInbound);
  ASSERT_EQ(inbound.size(), 1u);
  EXPECT_EQ(inbound[0].severity, Severity::kReview);
}

TEST_F(StageTest, OffsetsIndexTheOriginalText) {
  const std::string text = "Café news 😀 — “VACCINES cause AUTISM.” Stay well.";
  auto fs = Misinfo(*kb_only_, text);
  ASSERT_EQ(fs.size(), 1u);
  const std::string_view span = std::string_view(text).substr(fs[0].start, fs[0].end - fs[0].start);
  EXPECT_THAT(std::string(span), HasSubstr("VACCINES cause AUTISM."));
  EXPECT_EQ(span.find("Stay"), std::string_view::npos);
}

TEST_F(StageTest, RefutingAskingAndQuotingToDebunkPass) {
  for (const char* text : {
           "No, vaccines don't cause autism.",
           "Do vaccines cause autism? Our pediatricians answer your questions.",
           "The claim that vaccines cause autism is a myth that was debunked long ago.",
           "Fact check: vaccines cause autism is false.",
       }) {
    EXPECT_THAT(Types(Misinfo(*kb_only_, text)), IsEmpty()) << text;
  }
}

// Every knowledge-base entry's examples must fire it; its counterexamples must not.
TEST_F(StageTest, EveryKnowledgeBaseExampleAndCounterexample) {
  PatternSet set;
  StageBuilder b(&set, 0);
  auto kb = MisinfoKb::Load(EmbeddedFile("misinfo_kb.toml"), b);
  ASSERT_TRUE(kb.ok()) << kb.status();
  ASSERT_FALSE((*kb)->claims().empty());
  int checked = 0;
  for (const KbClaim& c : (*kb)->claims()) {
    for (const std::string& ex : c.examples) {
      EXPECT_THAT(Types(Misinfo(*kb_only_, ex)), testing::Contains(c.id))
          << "example of " << c.id << " does not fire: " << ex;
      ++checked;
    }
    for (const std::string& cx : c.counterexamples) {
      EXPECT_THAT(Types(Misinfo(*kb_only_, cx)), Not(testing::Contains(c.id)))
          << "counterexample of " << c.id << " fires: " << cx;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

constexpr const char* kOrdinaryHospitalPosts[] = {
    "Get your flu shot this week at our clinics, no appointment needed.",
    "Antibiotics don't work on viruses like the flu - ask us what helps instead.",
    "Vaccines are safe and effective; talk to your pediatrician about the schedule.",
    "Community water fluoridation prevents cavities in children and adults.",
    "COVID-19 vaccines are available at all our pharmacies for everyone 6 months and older.",
    "Wash your hands often with soap and water for at least 20 seconds.",
    "Depression is a common and treatable medical condition.",
    "The flu vaccine cannot give you the flu.",
    "Our breast cancer survivors share how chemotherapy and surgery saved their lives.",
    "We're hiring! Join our nursing team at the Riverside campus. Apply today.",
    "Congratulations to our cardiology team on their national award!",
    "Join us Saturday for our community 5K run. Registration opens at 7am.",
};

TEST_F(StageTest, OrdinaryHospitalPostsPass) {
  for (const char* text : kOrdinaryHospitalPosts) {
    EXPECT_THAT(Types(Misinfo(*screener_, text, Context::kPost)), IsEmpty()) << text;
  }
}

// ----------------------------------------------------------------------------------------
// The classifier.
// ----------------------------------------------------------------------------------------

constexpr const char* kFakeLike =
    "BREAKING: Italian doctors confirm the virus was spread on purpose by a secret group, "
    "officials are hiding the truth. Share before they delete this!!";
constexpr const char* kOfficialLike =
    "#IndiaFightsCorona: 1,524 testing laboratories; 3,68,27,520 tests done as on 25th "
    "August. Recovery rate rises to 76.3%. @MoHFW_INDIA https://t.co/Yh3ZxknnhZ";

TEST_F(StageTest, ClassifierFlagsUnknownInboundClaimsForReviewOnly) {
  auto fs = Misinfo(*screener_, kFakeLike, Context::kInbound);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].type, "classifier");
  EXPECT_EQ(fs[0].start, 0u);
  EXPECT_EQ(fs[0].end, std::string_view(kFakeLike).size());
  EXPECT_EQ(fs[0].severity, Severity::kReview);
  EXPECT_TRUE(fs[0].rebuttal.empty());
  EXPECT_THAT(fs[0].message, HasSubstr("statistical model"));
  EXPECT_THAT(fs[0].message, Not(HasSubstr("Italian")));
  // Switched off, it says nothing.
  EXPECT_THAT(Types(Misinfo(*kb_only_, kFakeLike, Context::kInbound)), IsEmpty());
}

TEST_F(StageTest, ClassifierIsNotRunOnOutboundText) {
  EXPECT_THAT(Types(Misinfo(*screener_, kFakeLike, Context::kPost)), IsEmpty());
  EXPECT_THAT(Types(Misinfo(*screener_, kFakeLike, Context::kReply)), IsEmpty());
}

TEST_F(StageTest, ClassifierPassesOfficialStyleUpdates) {
  EXPECT_THAT(Types(Misinfo(*screener_, kOfficialLike, Context::kInbound)), IsEmpty());
}

TEST_F(StageTest, GateKeepsConversationalOffTopicMessagesFromTheClassifier) {
  // The model alone scores this far above its threshold ("not official" register).
  EXPECT_THAT(Types(Misinfo(*screener_, "Hi, how do I pay my bill online? The portal keeps "
                                        "logging me out.",
                            Context::kInbound)),
              IsEmpty());
  EXPECT_THAT(Types(Misinfo(*screener_, "Shoutout to the nurses on 5 North, y'all are angels",
                            Context::kInbound)),
              IsEmpty());
}

TEST_F(StageTest, KnowledgeBaseHitSuppressesTheClassifier) {
  const std::string text = std::string(kFakeLike) + " Vaccines cause autism too.";
  EXPECT_THAT(Types(Misinfo(*screener_, text, Context::kInbound)),
              testing::ElementsAre("vaccines-cause-autism"));
}

TEST(MisinfoTopicGateTest, TopicsConversationAndQuestions) {
  MisinfoTopicGate gate;
  Document d;
  auto admits = [&](std::string_view text) {
    d.Analyze(text);
    return gate.Admits(d);
  };
  EXPECT_TRUE(admits("Garlic water flushes the virus out of your body"));  // on topic
  EXPECT_TRUE(admits("Social distancing rules were secretly dropped"));     // two-word prefix
  EXPECT_TRUE(admits("Video shows the president at a rally"));               // claim framing
  EXPECT_TRUE(admits("The new parking garage opens Monday"));  // not conversational
  EXPECT_FALSE(admits("Thanks so much, the parking garage is great"));
  EXPECT_FALSE(admits("Is the garage open on Sunday?"));
  EXPECT_FALSE(admits("my bill is wrong again"));
  d.Analyze("Social life is fun");
  EXPECT_FALSE(gate.OnTopic(d));  // "social" alone is not "social distanc*"
}

TEST(MisinfoFeaturesTest, NormalisesUrlsNumbersAndCase) {
  Document a, b;
  std::vector<uint32_t> fa, fb;
  a.Analyze("read this 123 https://t.co/AAA");
  b.Analyze("READ this 987 http://example.org/x?y=1");
  // Same words, same digit count, a URL each (shape features, which see the capitals,
  // are off here).
  MisinfoFeatureOptions no_shape;
  no_shape.shape = false;
  MisinfoFeaturizer g(no_shape);
  g.Extract(a, &fa);
  g.Extract(b, &fb);
  EXPECT_EQ(fa, fb);
  Document c;
  c.Analyze("read this 12345 https://t.co/AAA");  // five digits, not three
  std::vector<uint32_t> fc;
  g.Extract(c, &fc);
  EXPECT_NE(fa, fc);
  EXPECT_FALSE(fa.empty());
}

TEST(MisinfoFeaturesTest, HandlesAreAFeatureOfTheirOwn) {
  MisinfoFeatureOptions o;
  o.shape = false;
  MisinfoFeaturizer f(o);
  Document a, b;
  std::vector<uint32_t> fa, fb;
  a.Analyze("thanks @who");
  b.Analyze("thanks @cdcgov");
  f.Extract(a, &fa);
  f.Extract(b, &fb);
  ASSERT_EQ(fa.size(), fb.size());
  EXPECT_NE(fa, fb);
  // The <user> token and its bigram are shared; only the handle feature differs.
  int same = 0;
  for (size_t i = 0; i < fa.size(); ++i) same += fa[i] == fb[i];
  EXPECT_EQ(same, static_cast<int>(fa.size()) - 1);
}

TEST(MisinfoModelTest, RoundTripsAndRejectsDamagedFiles) {
  std::vector<float> w(1 << 4, 0.0f);
  w[3] = 2.0f;
  w[5] = -1.0f;
  MisinfoModel m = MisinfoModel::FromWeights(MisinfoFeatureOptions{}, 4, MisinfoNorm::kSqrt, w,
                                             0.25f, 0.1f);
  const std::string bytes = m.Serialize();
  auto parsed = MisinfoModel::Parse(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FLOAT_EQ(parsed->threshold(), 0.1f);
  const uint32_t feats[] = {3, 3 + 16, 5, 7};  // bucket = hash mod 16
  EXPECT_NEAR(parsed->Score(feats), 0.25 + (2.0 + 2.0 - 1.0) / 2.0, 0.02);
  EXPECT_NEAR(parsed->Score({}), 0.25, 1e-6);
  EXPECT_FALSE(MisinfoModel::Parse(bytes.substr(0, bytes.size() - 1)).ok());
  EXPECT_FALSE(MisinfoModel::Parse("not a model").ok());
  std::string bad = bytes;
  bad[8 + 16] = 99;  // table_bits
  EXPECT_FALSE(MisinfoModel::Parse(bad).ok());
}

TEST(MisinfoModelTest, ShippedModelLoads) {
  auto m = MisinfoModel::Parse(EmbeddedFile("misinfo_model.bin"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_GE(m->table_bits(), 16);
}

}  // namespace
}  // namespace carepost::guard
