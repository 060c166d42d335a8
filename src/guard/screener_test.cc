#include "guard/screener.h"

#include <gtest/gtest.h>

namespace carepost::guard {
namespace {

TEST(RedactTest, ReplacesPhiSpansAndMergesOverlaps) {
  const std::string text = "Call Jane Doe at 555-0100 today";
  std::vector<Finding> f(3);
  f[0] = {Kind::kPhi, "NAME", 5, 13};
  f[1] = {Kind::kPhi, "PHONE", 17, 25};
  f[2] = {Kind::kPhi, "NAME", 10, 13};  // overlaps the first
  EXPECT_EQ(Redact(text, f), "Call [NAME] at [PHONE] today");
}

TEST(RedactTest, IgnoresOtherKinds) {
  std::vector<Finding> f(1);
  f[0] = {Kind::kAlarmist, "deadly", 0, 6};
  EXPECT_EQ(Redact("Deadly flu", f), "Deadly flu");
}

TEST(VerdictTest, WorstSeverityWins) {
  std::vector<Finding> f(2);
  f[0].severity = Severity::kInfo;
  f[1].severity = Severity::kReview;
  EXPECT_EQ(VerdictOf(f), Verdict::kReview);
  f[0].severity = Severity::kBlock;
  EXPECT_EQ(VerdictOf(f), Verdict::kBlock);
  EXPECT_EQ(VerdictOf({}), Verdict::kPass);
}

TEST(ScreenerTest, BuildsAndScreensFromManyThreadsWithOwnScratch) {
  auto screener = Screener::Create({});
  ASSERT_TRUE(screener.ok()) << screener.status();
  auto scratch = (*screener)->NewScratch();
  ScreenResult r = (*screener)->Screen("", {}, scratch);
  EXPECT_EQ(r.verdict, Verdict::kPass);
}

}  // namespace
}  // namespace carepost::guard
