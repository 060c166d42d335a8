// The wording checks through the whole Screener: severities reach the verdict and
// spans index the original text.
#include <gtest/gtest.h>

#include "guard/screener.h"

namespace carepost::guard {
namespace {

const Finding* FirstOfKind(const ScreenResult& r, Kind k) {
  for (const Finding& f : r.findings) {
    if (f.kind == k) return &f;
  }
  return nullptr;
}

TEST(WordingScreenerTest, OverLongXPostBlocksAndMarksThePartPastTheLimit) {
  auto screener = Screener::Create({});
  ASSERT_TRUE(screener.ok()) << screener.status();
  auto scratch = (*screener)->NewScratch();
  std::string text;
  while (text.size() < 300) text += "Flu shots are ready at every clinic this week. ";
  ScreenRequest req;
  req.context = Context::kPost;
  req.platform = Platform::kX;
  const ScreenResult r = (*screener)->Screen(text, req, scratch);
  EXPECT_EQ(r.verdict, Verdict::kBlock);
  const Finding* f = FirstOfKind(r, Kind::kPlatformLimit);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->type, "length");
  EXPECT_EQ(f->start, 280u);
  EXPECT_EQ(f->end, text.size());
  // The same text as a reply blocks too: the platform would refuse it.
  req.context = Context::kReply;
  const ScreenResult reply = (*screener)->Screen(text, req, scratch);
  ASSERT_NE(FirstOfKind(reply, Kind::kPlatformLimit), nullptr);
  EXPECT_EQ(FirstOfKind(reply, Kind::kPlatformLimit)->severity, Severity::kBlock);
}

TEST(WordingScreenerTest, AlarmistAndClaimsAskForReviewNeverBlock) {
  auto screener = Screener::Create({});
  ASSERT_TRUE(screener.ok()) << screener.status();
  auto scratch = (*screener)->NewScratch();
  const std::string text =
      "This deadly flu season is terrifying. The flu shot prevents 60% of cases.";
  const ScreenResult r = (*screener)->Screen(text, {}, scratch);
  const Finding* a = FirstOfKind(r, Kind::kAlarmist);
  const Finding* c = FirstOfKind(r, Kind::kMedicalClaim);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(a->severity, Severity::kReview);
  EXPECT_EQ(c->severity, Severity::kReview);
  EXPECT_EQ(text.substr(a->start, a->end - a->start), "deadly");
  EXPECT_EQ(text.substr(c->start, c->end - c->start), "The flu shot prevents 60% of cases.");
}

}  // namespace
}  // namespace carepost::guard
