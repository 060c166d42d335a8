#include "core/utf8.h"

#include <gtest/gtest.h>

namespace carepost::core {
namespace {

TEST(Utf8Test, AcceptsValidText) {
  EXPECT_TRUE(ValidateUtf8("").ok);
  EXPECT_TRUE(ValidateUtf8("plain ascii text, long enough for the fast path").ok);
  EXPECT_TRUE(ValidateUtf8("Szöllösy ג€“ 😀 ✓").ok);
}

TEST(Utf8Test, RejectsInvalidSequencesWithOffset) {
  struct Case {
    std::string text;
    size_t offset;
  } cases[] = {
      {"abc\xff", 3},               // stray byte
      {"ab\xc3", 2},                // truncated
      {"\xc0\xaf", 0},              // overlong slash
      {"xx\xed\xa0\x80", 2},        // surrogate
      {"\xf4\x90\x80\x80", 0},      // above U+10FFFF
      {"12345678\xe2\x82", 8},      // truncated after fast path
  };
  for (const auto& c : cases) {
    Utf8Check r = ValidateUtf8(c.text);
    EXPECT_FALSE(r.ok) << c.text;
    EXPECT_EQ(r.error_offset, c.offset) << c.text;
  }
}

TEST(Utf8Test, EncodeDecodeRoundTrip) {
  for (char32_t cp : {U'a', U'é', U'€', U'😀', U'\x7f', U'\x80', U'\xffff'}) {
    char buf[4];
    int n = EncodeUtf8(cp, buf);
    int len = 0;
    EXPECT_EQ(DecodeUtf8(std::string_view(buf, n), 0, &len), cp);
    EXPECT_EQ(len, n);
  }
}

}  // namespace
}  // namespace carepost::core
