#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "guard/alarmist_rules.h"
#include "guard/alarmist_testing.h"

namespace carepost::guard {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class MedicalClaimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { h_ = new StageHarness(NewMedicalClaimStage); }
  static void TearDownTestSuite() {
    delete h_;
    h_ = nullptr;
  }
  static std::vector<Finding> Screen(std::string_view text, Context c = Context::kPost) {
    ScreenRequest r;
    r.context = c;
    return h_->Screen(text, r);
  }
  // The type of the single finding, or "" when there is not exactly one.
  static std::string TypeOf(std::string_view text) {
    auto f = Screen(text);
    return f.size() == 1 ? f[0].type : "";
  }
  static StageHarness* h_;
};
StageHarness* MedicalClaimTest::h_ = nullptr;

TEST(MedicalClaimRulesTest, ShippedFileParses) {
  auto rules = LoadPhraseRules("medical_claim_phrases.tsv");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_GT(rules->size(), 30u);
}

TEST_F(MedicalClaimTest, SpansTheWholeClaimSentence) {
  const std::string text = "Flu season is here. Vitamin D cures depression. Stop by!";
  auto f = Screen(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, Kind::kMedicalClaim);
  EXPECT_EQ(f[0].type, "efficacy");
  EXPECT_EQ(f[0].severity, Severity::kReview);
  EXPECT_EQ(text.substr(f[0].start, f[0].end - f[0].start), "Vitamin D cures depression.");
  EXPECT_EQ(f[0].message.find("Vitamin"), std::string::npos);  // never quotes the input
  EXPECT_FALSE(f[0].suggestion.empty());
}

TEST_F(MedicalClaimTest, Efficacy) {
  EXPECT_EQ(TypeOf("This supplement eliminates toxins from your liver."), "efficacy");
  EXPECT_EQ(TypeOf("The HPV vaccine prevents 90 percent of HPV cancers."), "efficacy");
  EXPECT_EQ(TypeOf("A plant-based diet reverses heart disease."), "efficacy");
  EXPECT_EQ(TypeOf("Elderberry boosts your immune system."), "efficacy");
  EXPECT_EQ(TypeOf("Brushing with fluoride toothpaste helps prevent cavities."), "efficacy");
  EXPECT_EQ(TypeOf("Two weeks after a flu shot, your body builds protection."), "efficacy");
  EXPECT_THAT(Screen("Our volunteers give protection from the rain at the bus stop."), IsEmpty());
}

TEST_F(MedicalClaimTest, OutcomesAndStatistics) {
  EXPECT_EQ(TypeOf("Quitting smoking lowers your risk of stroke."), "outcome");
  EXPECT_EQ(TypeOf("Heart disease is the leading cause of death for women."), "outcome");
  EXPECT_EQ(TypeOf("Walking 30 minutes reduces your risk of heart disease by 40%."), "statistic");
  EXPECT_EQ(TypeOf("The five-year survival rate is now 90%."), "statistic");
  EXPECT_EQ(TypeOf("1 in 3 adults has high blood pressure."), "statistic");
  EXPECT_EQ(TypeOf("Smokers are 2 times more likely to get gum disease."), "statistic");
  EXPECT_EQ(TypeOf("Nine out of ten lung cancers are linked to smoking."), "statistic");
  EXPECT_EQ(TypeOf("About 38 million Americans have diabetes."), "statistic");
  EXPECT_EQ(TypeOf("Flu sent 9,400 adults to the hospital in our county."), "statistic");
  // "Did you know ...?" presents a claim even though it ends with a question mark.
  EXPECT_EQ(TypeOf("Did you know 1 in 7 adults has kidney disease?"), "statistic");
}

TEST_F(MedicalClaimTest, Dosage) {
  EXPECT_EQ(TypeOf("Take 2,000 IU of vitamin D daily."), "dosage");
  EXPECT_EQ(TypeOf("Adults can take 2 tablets every 6 hours."), "dosage");
  EXPECT_EQ(TypeOf("Children over 12 may take 200 mg."), "dosage");
  EXPECT_EQ(TypeOf("The usual adult dose is 200mg."), "dosage");
  EXPECT_EQ(TypeOf("Reapply sunscreen every 2 hours at the pool."), "dosage");
  // How often to brush is not a dose; that fluoride helps is the claim.
  EXPECT_EQ(TypeOf("Brush twice a day with fluoride toothpaste to prevent cavities."), "efficacy");
  // A lab value or a concentration is not a dose.
  EXPECT_THAT(Screen("Water fluoride is kept at 0.7 mg/L by the city."), IsEmpty());
  EXPECT_THAT(Screen("Fasting blood sugar under 100 mg/dL is in the normal range."), IsEmpty());
}

TEST_F(MedicalClaimTest, RiskAndComparisons) {
  EXPECT_EQ(TypeOf("The flu shot is safe for everyone."), "risk");
  EXPECT_EQ(TypeOf("Our new treatment has no side effects."), "risk");
  EXPECT_EQ(TypeOf("Proton therapy is the most effective treatment for this cancer."),
            "comparative");
  EXPECT_EQ(TypeOf("Robotic surgery is better than open surgery for most patients."),
            "comparative");
  // The most specific family wins within one sentence.
  EXPECT_EQ(TypeOf("Take 500 mg daily and relax, it is completely safe."), "dosage");
}

TEST_F(MedicalClaimTest, OneFindingPerClaimSentence) {
  const std::string text = "Vitamin C cures colds. Zinc prevents the flu. See you Saturday.";
  EXPECT_THAT(StageHarness::Spans(text, Screen(text)),
              ElementsAre("Vitamin C cures colds.", "Zinc prevents the flu."));
}

TEST_F(MedicalClaimTest, LogisticsCareersEventsAndGreetingsAreNotClaims) {
  EXPECT_THAT(Screen("Join us Saturday for our 5K! Registration is $25 and parking is free."),
              IsEmpty());
  EXPECT_THAT(Screen("We're hiring! Riverside is the best place to work in Illinois."), IsEmpty());
  EXPECT_THAT(Screen("Happy Thanksgiving from all of us at Riverside Health!"), IsEmpty());
  EXPECT_THAT(Screen("Parking is 50% off this weekend for visitors."), IsEmpty());
  EXPECT_THAT(Screen("Our new garage cuts walking time for visitors by half."), IsEmpty());
  EXPECT_THAT(Screen("The clinic is open 7 days a week from 8 a.m. to 8 p.m."), IsEmpty());
  EXPECT_THAT(Screen("Our ER check-in is faster than ever."), IsEmpty());
  EXPECT_THAT(Screen("We cared for 1,200 patients at the fair last year."), IsEmpty());
  EXPECT_THAT(Screen("100% of proceeds support cancer research at our hospital."), IsEmpty());
  EXPECT_THAT(Screen("Our COVID-19 cases dashboard moved to a new page."), IsEmpty());
  EXPECT_THAT(Screen("Congratulations to Dr. Patel, our new chief of surgery!"), IsEmpty());
}

TEST_F(MedicalClaimTest, QuestionsMythsAndInboundAreNotClaims) {
  EXPECT_THAT(Screen("Is the flu shot safe during pregnancy?"), IsEmpty());
  EXPECT_THAT(Screen("MYTH: Vitamin C cures colds. Here is what the evidence says."), IsEmpty());
  EXPECT_THAT(Screen("You may have seen posts claiming that ivermectin cures COVID-19."),
              IsEmpty());
  EXPECT_THAT(Screen("Vitamin D cures depression, right?", Context::kInbound), IsEmpty());
  EXPECT_EQ(Screen("Vitamin D cures depression.", Context::kReply).size(), 1u);
}

}  // namespace
}  // namespace carepost::guard
