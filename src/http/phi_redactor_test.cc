#include "http/phi_redactor.h"

#include <string>

#include "gtest/gtest.h"
#include "guard/screener_testing.h"

namespace carepost::http {
namespace {

using guard::SharedTestScreener;

TEST(PhiRedactorTest, RemembersShortStringsWithoutChangingTheResult) {
  PhiRedactor redactor(SharedTestScreener());
  const std::string phi = "MRN 7654321 for Jane Roe";
  const std::string first = redactor.Redact(phi);
  EXPECT_EQ(first.find("7654321"), std::string::npos) << first;
  // The second answer comes from memory and must be the same redacted text.
  EXPECT_EQ(redactor.Redact(phi), first);
  EXPECT_EQ(redactor.Redact("GET"), "GET");
  EXPECT_EQ(redactor.Redact("GET"), "GET");
  EXPECT_EQ(redactor.Redact(""), "");
}

TEST(PhiRedactorTest, LongStringsAreScreenedEveryTime) {
  PhiRedactor redactor(SharedTestScreener());
  std::string long_text = "Patient Jane Roe, MRN 7654321, was seen in the cardiology clinic";
  long_text += std::string(PhiRedactor::kMemoBytes, ' ');
  ASSERT_GT(long_text.size(), PhiRedactor::kMemoBytes);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(redactor.Redact(long_text).find("7654321"), std::string::npos);
  }
}

TEST(PhiRedactorTest, StaysCorrectPastItsCapacity) {
  PhiRedactor redactor(SharedTestScreener());
  for (size_t i = 0; i < PhiRedactor::kMemoEntries + 10; ++i) {
    const std::string id = "r" + std::to_string(i);
    ASSERT_EQ(redactor.Redact(id), id);
  }
  EXPECT_EQ(redactor.Redact("MRN 7654321").find("7654321"), std::string::npos);
  EXPECT_EQ(redactor.Redact("[UNLOGGABLE]"), "[UNLOGGABLE]");
  EXPECT_EQ(redactor.Redact(std::string("a\0b", 3)), "[UNLOGGABLE]");
}

}  // namespace
}  // namespace carepost::http
