#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "guard/screener.h"
#include "guard/screener_testing.h"

namespace carepost::guard {
namespace {

class PatientConfirmationTest : public ::testing::Test {
 protected:
  std::vector<Finding> Confirmations(std::string_view text, Context context = Context::kReply) {
    return FindingsOfKind(text, Kind::kPatientConfirmation, context);
  }
  bool Fires(std::string_view text, Context context = Context::kReply) {
    return !Confirmations(text, context).empty();
  }
};


TEST_F(PatientConfirmationTest, RepliesThatConfirmCareFire) {
  for (std::string_view text : {
           "Sorry your visit last week went badly, we've checked your chart.",
           "We reviewed your records and the charge is correct.",
           "Your surgery with Dr. Patel is something we take seriously.",
           "Sorry your stay in our ER was so long.",
           "As your care team we want you to know we hear you.",
           "According to our records you were seen on March 3.",
           "We hope your recovery from your knee replacement is going well!",
           "Your test results are in the portal.",
           "When you were in our ICU, the nurses did everything they could.",
           "We're so glad your baby is doing well! The NICU team loved having you.",
           "As we explained at your appointment, the MRI wasn't covered.",
           "Our records show your daughter was treated in our pediatric ED.",
           "sorry about the wait at your colonoscopy yesterday, the GI lab was short staffed",
           "Your son's X-ray was read by a pediatric radiologist, and no fracture was found.",
           "Since you were our patient in 2022, you can request your records online.",
           "we're sorry the discharge instructions for your hip replacement were confusing!",
           "Thank you for trusting our behavioral health team with your care.",
           "We remember your father well. He was a wonderful patient on our oncology unit.",
           "It looks like your prescription was sent to the wrong pharmacy. We've fixed it.",
           "To set the record straight: the patient in this video was given pain medication.",
           "Hi, our billing office found your account and reversed the fee.",
           "Dr. Okafor has reviewed your chart and would like to talk with you.",
       }) {
    EXPECT_TRUE(Fires(text)) << text;
  }
}

TEST_F(PatientConfirmationTest, SafeRepliesDoNotFire) {
  for (std::string_view text : {
           "Thank you for sharing; we'd like to learn more. Please call our patient relations "
           "team at (217) 555-0142.",
           "We're sorry to hear about this experience. We take all feedback seriously.",
           "We can't discuss anyone's care here to protect privacy. Please DM us.",
           "Thanks for the kind words!",
           "Thank you for the kind words! We'll share them with our team.",
           "We hear you, and we'd like to help. For your privacy, please don't share personal "
           "or medical details here.",
           "For privacy reasons we can't confirm whether someone is a patient or share any "
           "information here.",
           "Yes, we accept Medicare. You can check your specific plan at our website.",
           "If you're having a hard time paying a bill, you may qualify for financial "
           "assistance.",
           "Visiting hours are 8 a.m. to 9 p.m. Two visitors at a time, please.",
           "Good question! Signs of a stroke: face drooping, arm weakness, speech trouble.",
           "Thanks for watching! Dr. Subramanian will answer more A1C questions next week.",
           "We're sorry you're frustrated. We can't discuss care details here, but our patient "
           "relations team would like to help.",
           "You can see your test results in MyRiverside as soon as they are released.",
       }) {
    EXPECT_FALSE(Fires(text)) << text;
  }
}

TEST_F(PatientConfirmationTest, InboundNeverFires) {
  EXPECT_FALSE(Fires("Sorry your visit last week went badly, we've checked your chart.",
                     Context::kInbound));
  EXPECT_FALSE(Fires("My test results came back and my visit last week was great!",
                     Context::kInbound));
}

TEST_F(PatientConfirmationTest, PostsFireOnlyOnUnambiguousConfirmation) {
  EXPECT_TRUE(Fires("According to our records, the patient in this video left against "
                    "medical advice.",
                    Context::kPost));
  EXPECT_FALSE(Fires("Get your test results faster: schedule your visit online.", Context::kPost));
  EXPECT_FALSE(Fires("We hope your stay with us is comfortable. Meals are served until 7.",
                     Context::kPost));
  EXPECT_FALSE(Fires("Before your appointment, bring your insurance card.", Context::kPost));
}

TEST_F(PatientConfirmationTest, SpanSeverityAndMessage) {
  const std::string text =
      "Thanks for reaching out. Sorry your visit last week went badly. We've checked your "
      "chart. Please call us at (217) 555-0142.";
  std::vector<Finding> f = Confirmations(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(text.substr(f[0].start, f[0].end - f[0].start),
            "Sorry your visit last week went badly. We've checked your chart.");
  EXPECT_EQ(f[0].type, "reply");
  EXPECT_EQ(f[0].severity, Severity::kBlock);
  EXPECT_EQ(f[0].message.find("visit last week"), std::string::npos);
  EXPECT_NE(f[0].suggestion.find("private"), std::string::npos);
}

}  // namespace
}  // namespace carepost::guard
