#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "guard/crisis_lexicon.h"
#include "guard/screener.h"
#include "guard/screener_testing.h"

namespace carepost::guard {
namespace {

class CrisisTest : public ::testing::Test {
 protected:
  std::vector<Finding> Crisis(std::string_view text, Context context = Context::kInbound) {
    return FindingsOfKind(text, Kind::kCrisis, context);
  }

  std::vector<std::string> Types(std::string_view text, Context context = Context::kInbound) {
    std::vector<std::string> types;
    for (const Finding& f : Crisis(text, context)) {
      if (types.empty() || types.back() != f.type) types.push_back(f.type);
    }
    return types;
  }

  // Each text, screened as inbound, raises exactly `want` (a failure names the text).
  void ExpectEach(std::initializer_list<std::string_view> texts,
                  const std::vector<std::string>& want) {
    for (std::string_view text : texts) EXPECT_EQ(Types(text), want) << text;
  }
};


using TypeList = std::vector<std::string>;
const TypeList kSelfHarm = {"self_harm"};
const TypeList kEmergency = {"medical_emergency"};
const TypeList kNone = {};

TEST_F(CrisisTest, StatedIntentPlanAndMeans) {
  EXPECT_EQ(Types("I want to kill myself."), kSelfHarm);
  EXPECT_EQ(Types("i'm going to end my life this weekend"), kSelfHarm);
  EXPECT_EQ(Types("I don't want to be alive anymore"), kSelfHarm);
  EXPECT_EQ(Types("Ive been saving up my pills and i think i finally have enough"), kSelfHarm);
  EXPECT_EQ(Types("i cant do this anymore. i have my dads gun and nobody would even notice "
                  "if i was gone"),
            kSelfHarm);
  EXPECT_EQ(Types("Honestly I won't be around much longer so this bill doesn't matter"),
            kSelfHarm);
  EXPECT_EQ(Types("what's the most painless way to die? asking for real"), kSelfHarm);
}

TEST_F(CrisisTest, GoodbyeBurdenAndClosingAccounts) {
  EXPECT_EQ(Types("everyone would be better off without me. tell my kids i love them"),
            kSelfHarm);
  EXPECT_EQ(Types("This is my final post. See you on the other side."), kSelfHarm);
  EXPECT_EQ(Types("Please delete my portal account. I won't be needing it anymore."), kSelfHarm);
  EXPECT_EQ(Types("giving away my things this week, won't need them where i'm going"),
            kSelfHarm);
}

TEST_F(CrisisTest, CurrentSelfHarm) {
  EXPECT_EQ(Types("been cutting again and i can't stop"), kSelfHarm);
  EXPECT_EQ(Types("I hurt myself last night and I'm scared"), kSelfHarm);
}

TEST_F(CrisisTest, CodedLanguage) {
  EXPECT_EQ(Types("ngl thinking about how to unalive myself"), kSelfHarm);
  EXPECT_EQ(Types("kms honestly"), kSelfHarm);
  EXPECT_EQ(Types("sewerslide is looking good rn"), kSelfHarm);
  EXPECT_EQ(Types("\xF0\x9F\xAA\xA6\xF0\x9F\xAA\xA6 done with all of it"), kSelfHarm);
  EXPECT_EQ(Types("I just want to go to sleep and never wake up"), kSelfHarm);
}

TEST_F(CrisisTest, ThirdPartyReports) {
  EXPECT_EQ(Types("My son texted me that he wants to die and locked himself in his room"),
            kSelfHarm);
  EXPECT_EQ(Types("my friend posted a goodbye on her story and isn't answering her phone"),
            kSelfHarm);
  EXPECT_EQ(Types("I think my roommate is suicidal, what do I do"), kSelfHarm);
}

TEST_F(CrisisTest, Spanish) {
  EXPECT_EQ(Types("Ya no quiero vivir."), kSelfHarm);
  EXPECT_EQ(Types("me quiero matar, no aguanto mas"), kSelfHarm);
  EXPECT_EQ(Types("Me voy a quitar la vida esta noche"), kSelfHarm);
}

TEST_F(CrisisTest, MedicalEmergencies) {
  EXPECT_EQ(Types("My dad has crushing chest pain and his left arm is numb, he's sweating a "
                  "lot. Should we drive him to your ER?"),
            kEmergency);
  EXPECT_EQ(Types("my moms face is drooping on one side and her speech is slurred"), kEmergency);
  EXPECT_EQ(Types("my baby isn't breathing right and her lips look blue"), kEmergency);
  EXPECT_EQ(Types("my husband hit his head and now he won't wake up"), kEmergency);
  EXPECT_EQ(Types("he's bleeding a lot and it won't stop"), kEmergency);
  EXPECT_EQ(Types("I ate shrimp and my throat is closing up, the epipen isn't helping"),
            kEmergency);
  EXPECT_EQ(Types("my toddler swallowed a button battery what do we do"), kEmergency);
  EXPECT_EQ(Types("my daughter is having a seizure and it won't stop"), kEmergency);
  EXPECT_EQ(Types("my 6 week old has a fever of 100.8"), kEmergency);
  EXPECT_EQ(Types("HELP my wife is diabetic and she's confused and won't drink anything"),
            kEmergency);
  EXPECT_EQ(Types("I'm 30 weeks pregnant and bleeding, soaking through pads"), kEmergency);
}

TEST_F(CrisisTest, OverdoseWithIntentIsBothEmergencyFirst) {
  std::vector<Finding> f = Crisis("I just took 40 of my sleeping pills because I want to die.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].type, "medical_emergency");
  EXPECT_EQ(f[1].type, "self_harm");
  EXPECT_EQ(Types("i took 30 pills"), (TypeList{"medical_emergency", "self_harm"}));
}

TEST_F(CrisisTest, SpanIsTheSentenceCarryingTheSignal) {
  const std::string text = "Thanks for the update on parking. I want to kill myself. See you.";
  std::vector<Finding> f = Crisis(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(text.substr(f[0].start, f[0].end - f[0].start), "I want to kill myself.");

  const std::string two = "Hi. My dad has chest pressure. His jaw hurts too. Thanks.";
  f = Crisis(two);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(two.substr(f[0].start, f[0].end - f[0].start),
            "My dad has chest pressure. His jaw hurts too.");
}

TEST_F(CrisisTest, SpansIndexTheOriginalText) {
  // Curly apostrophes and an accent before the signal: offsets must be original bytes.
  const std::string text = "Café’s closed. I don’t want to live anymore.";
  std::vector<Finding> f = Crisis(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(text.substr(f[0].start, f[0].end - f[0].start), "I don’t want to live anymore.");
}

TEST_F(CrisisTest, SeverityByContextAndResourcesInSuggestion) {
  std::vector<Finding> f = Crisis("I want to die", Context::kInbound);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kBlock);
  EXPECT_NE(f[0].suggestion.find("988"), std::string::npos);
  EXPECT_NE(f[0].suggestion.find("741741"), std::string::npos);
  EXPECT_NE(f[0].suggestion.find("911"), std::string::npos);
  f = Crisis("I want to die", Context::kPost);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kReview);

  f = Crisis("my toddler swallowed a magnet");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].suggestion.find("911"), std::string::npos);
  EXPECT_NE(f[0].suggestion.find("1-800-222-1222"), std::string::npos);
}

TEST_F(CrisisTest, MessagesNeverQuoteTheInput) {
  std::vector<Finding> f =
      Crisis("Zebulon here: I want to kill myself. My throat is closing up.");
  ASSERT_EQ(f.size(), 2u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.message.find("Zebulon"), std::string::npos);
    EXPECT_EQ(x.message.find("kill myself"), std::string::npos);
    EXPECT_EQ(x.suggestion.find("Zebulon"), std::string::npos);
  }
}

TEST_F(CrisisTest, IdiomsAndHyperboleDoNotFire) {
  for (std::string_view text : {
           "this traffic is killing me",
           "this wait is killing me 😩 how long does urgent care take on a Monday",
           "I could die of embarrassment, I waved at the wrong nurse",
           "dying to try the new cafe on the 2nd floor!",
           "killing it at the 5k this morning 🏃",
           "I'd die for your cafeteria mac and cheese, no joke",
           "dead tired after a double shift but so proud of this team",
           "I literally died laughing at the nurse dance video 💀💀💀",
           "the nurse dance at the end took me OUT 💀💀💀",
           "my phone died so I missed your call back",
           "I cut myself shaving, is there a bandage station?",
       }) {
    EXPECT_EQ(Types(text), kNone) << text;
  }
}

TEST_F(CrisisTest, AwarenessPostsAndServiceQuestionsDoNotFire) {
  for (std::string_view text : {
           "Call or text 988 if you're struggling. You are not alone.",
           "September is Suicide Prevention Month. If you or someone you know is thinking "
           "about suicide, call or text 988 or text HOME to 741741.",
           "Know the warning signs of suicide: talking about wanting to die, feeling like a "
           "burden, giving away belongings. #SuicidePrevention",
           "Signs of a stroke: face drooping, arm weakness, speech difficulty. If you see any "
           "of them, call 911 right away. #BEFAST",
           "What are the signs of a stroke? My mom is older and I want to know what to watch "
           "for.",
           "Can I get Narcan without a prescription?",
           "Our Crisis Stabilization Unit is now open 24/7.",
           "Join our free Stop the Bleed class on Saturday.",
           "Talking about suicide does not put the idea in someone's head.",
       }) {
    EXPECT_EQ(Types(text, Context::kPost), kNone) << text;
    EXPECT_EQ(Types(text, Context::kInbound), kNone) << text;
  }
}

TEST_F(CrisisTest, PastStoriesAndOrdinaryInboundDoNotFire) {
  for (std::string_view text : {
           "My chest hurt last week, turned out to be reflux. Thank you Dr. Okafor!",
           "I had a heart attack in 2019 and your cardiac rehab team saved my life.",
           "I've been on hold with billing for 45 minutes. This is ridiculous.",
           "I've been dealing with anxiety for a while. Do you take new patients for "
           "counseling?",
           "I will NEVER go to Riverside again. Rude staff and they lost my paperwork.",
           "Do you take Blue Cross Blue Shield? Looking for a new family doctor.",
           "Excellent service, odd mistakes by a very committed team.",
           "Cancel my appointment please, I won't need it anymore.",
           "Tonight's the night! Our gala starts at 7.",
           "Today is my last day at Riverside after 30 years. Thank you all!",
       }) {
    EXPECT_EQ(Types(text), kNone) << text;
  }
}

TEST_F(CrisisTest, NegationsAreNotSignals) {
  EXPECT_EQ(Types("I'm scared of the surgery but I don't want to die, I want to get better"),
            kNone);
  EXPECT_EQ(Types("I'm not suicidal, just really frustrated with the portal"), kNone);
}

TEST_F(CrisisTest, WeakSignalsNeedEachOtherAndAPerson) {
  // One weak distress word is not a crisis; two different ones about the writer are.
  EXPECT_EQ(Types("I'm so lonely lately."), kNone);
  EXPECT_EQ(Types("I'm so lonely lately and I can't stop crying."), kSelfHarm);
  // Hopelessness alone is enough (a leading warning sign)...
  EXPECT_EQ(Types("I feel so hopeless."), kSelfHarm);
  // ...but not about a thing, nor in education about no one in particular.
  EXPECT_EQ(Types("Your phone system is hopeless."), kNone);
  EXPECT_EQ(Types("Feeling hopeless or like a burden can be a warning sign of suicide."), kNone);
}

// First-person ideation (the "self-focus" lines of crisis_signals.txt): the writer as the
// subject of a wish, intent or plan counts alone. One positive per line, and the
// look-alikes each line must leave alone.
TEST_F(CrisisTest, FirstPersonWishToBeDead) {
  ExpectEach(
      {
          "Part of me wants to just die.",
          "i honestly wish to disappear or die",
          "i wanna be dead",
          "Sometimes I think I should just die.",
          "I don't deserve to be alive after what I did to them",
          "I should have died in that crash",
          "I hope I don't wake up tomorrow.",
          "honestly hoping i die in my sleep",
          "so tired, i just want to never wake up",
          "I wish I'd never woken up after the surgery",
          "I wish my life was over",
          "I don't want to be here tomorrow",
      },
      kSelfHarm);
  ExpectEach(
      {
          "I don't want to die, I want to get better and go home to my kids.",
          "I don't think I should die from a kidney stone, right? It hurts a lot.",
          "The surgeon said I should have died from that bleed. Thank you to the "
          "whole trauma team!",
          "I hope I don't wake up during surgery, is that common?",
          "I hope I don't wake up in pain after my knee replacement.",
      },
      kNone);
}

TEST_F(CrisisTest, FirstPersonMethodPlanAndTime) {
  ExpectEach(
      {
          "been looking up ways to end it.",
          "I keep thinking about taking all my pills at once",
          "heading to the bridge tonight, sorry everyone",
          "I've decided tonight is the night.",
          "my pills are counted out on the desk and I'm so tired of it all",
      },
      kSelfHarm);
  ExpectEach(
      {
          "Researching ways to end it with my cable company lol.",
          "I'm going to take all my medications to the pharmacist review on Friday",
          "I'm going to the roof garden today, is it open?",
          "I think tonight is the night for the meteor shower, is the parking deck "
          "open late?",
      },
      kNone);
}

TEST_F(CrisisTest, FirstPersonBurdenAndNotGoingOn) {
  ExpectEach(
      {
          "I want to be done here.",
          "Soon I'll be at peace. I've worked it all out.",
          "everything would be easier with me out of the picture",
          "It would be better for everyone if I wasn't around.",
          "Not sure I can carry on much longer.",
          "I don't know if I can keep going",
          "I can't see myself being alive next year.",
          "I can't live with myself after what happened",
      },
      kSelfHarm);
  ExpectEach(
      {
          "I'm ready to be done with chemo, two more rounds!",
          "Not sure I can keep going to physical therapy three times a week, can we "
          "change it?",
          "I don't know if I can make it to my appointment tomorrow.",
          "I can't see myself living in this city much longer, rent is crazy.",
          "Nobody would miss me if I skipped the staff party, right?",
      },
      kNone);
}

TEST_F(CrisisTest, FirstPersonLinesStayQuietInAwarenessAndNews) {
  for (std::string_view text : {
           "Suicide Prevention Month: call or text 988, any time, day or night.",
           "If you feel like you can't keep going, you are not alone. Call or text 988.",
           "Warning signs include saying \"I wish I was dead\". Learn the signs and call 988. "
           "#SuicidePrevention",
           "Listen for statements like \"I want to die\" or talk of being a burden.",
           "County report: suicide deaths rose 4% last year, according to the CDC.",
       }) {
    EXPECT_EQ(Types(text, Context::kPost), kNone) << text;
    EXPECT_EQ(Types(text, Context::kInbound), kNone) << text;
  }
  // A quote is only cancelled after a listing word: a report of what someone said fires.
  EXPECT_EQ(Types("my son keeps saying \"I want to die\" and hides in his room"), kSelfHarm);
}

// "I used to want to die, now I'm doing better" is history, not a crisis now: a person
// still reads it (a finding at review, with resources), but it does not block.
TEST_F(CrisisTest, RecoveryStoriesAreReviewedNotBlocked) {
  for (std::string_view text : {
           "I used to want to die. Now I'm doing so much better, thank you to the behavioral "
           "health team.",
           "Two years ago I tried to kill myself. I'm in a much better place now and wanted "
           "to say thanks.",
           "Last year I attempted suicide. Therapy has been helping and I'm glad to be alive.",
       }) {
    std::vector<Finding> f = Crisis(text);
    ASSERT_EQ(f.size(), 1u) << text;
    EXPECT_EQ(f[0].type, "self_harm") << text;
    EXPECT_EQ(f[0].severity, Severity::kReview) << text;
    EXPECT_NE(f[0].suggestion.find("988"), std::string::npos);
  }
  // One present-tense signal, or a current cue in the story, keeps it a block.
  for (std::string_view text : {
           "I used to want to die, now I'm doing better but lately the thoughts are back "
           "again.",
           "I used to want to die. I'm doing better now. But tonight I want to kill myself.",
           "I'm doing better now. I want to die.",
       }) {
    std::vector<Finding> f = Crisis(text);
    ASSERT_FALSE(f.empty()) << text;
    for (const Finding& x : f) EXPECT_EQ(x.severity, Severity::kBlock) << text;
  }
}

TEST(CrisisLexiconTest, ParsesLinesAndRejectsMalformedOnes) {
  auto lines = ParseLexicon("f.txt", "# comment\n\nself 3 \\bkms\\b\nmed 2a x y\ncancel - z\n");
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ((*lines)[0].tag, "self");
  EXPECT_EQ((*lines)[0].weight, 3);
  EXPECT_FALSE((*lines)[0].anchored);
  EXPECT_EQ((*lines)[0].rest, "\\bkms\\b");
  EXPECT_EQ((*lines)[0].line, 3);
  EXPECT_TRUE((*lines)[1].anchored);
  EXPECT_EQ((*lines)[1].rest, "x y");
  EXPECT_EQ((*lines)[2].weight, 0);

  auto bad = ParseLexicon("f.txt", "self 3\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(std::string(bad.status().message()),
            "f.txt line 1: expected TAG WEIGHT REGEX (three fields)");
  bad = ParseLexicon("f.txt", "ok 1 x\nself x3 y\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(std::string(bad.status().message()),
            "f.txt line 2: weight must be a digit, a digit and 'a', or '-'");
}

TEST(CrisisLexiconTest, ShippedFilesAreEmbedded) {
  EXPECT_TRUE(LexiconFile("crisis_signals.txt").ok());
  EXPECT_TRUE(LexiconFile("patient_confirmation_patterns.txt").ok());
  EXPECT_EQ(LexiconFile("no_such_file.txt").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace carepost::guard
