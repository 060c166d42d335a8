#include "http/proxy.h"

#include <gtest/gtest.h>

namespace carepost::http {
namespace {

TEST(TrustedProxiesTest, IgnoresForwardedForFromUntrustedPeers) {
  auto none = TrustedProxies::Parse({});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->ClientAddress("203.0.113.9", "1.2.3.4"), "203.0.113.9");

  auto p = TrustedProxies::Parse({"10.0.0.0/8"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ClientAddress("203.0.113.9", "1.2.3.4"), "203.0.113.9");
}

TEST(TrustedProxiesTest, SkipsTrustedHopsFromTheRight) {
  auto p = TrustedProxies::Parse({"10.0.0.0/8", "::1"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ClientAddress("10.1.2.3", "198.51.100.7"), "198.51.100.7");
  // A client spoofing a header: the left-most entry is not believed past an untrusted hop.
  EXPECT_EQ(p->ClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.7, 10.0.0.9"), "198.51.100.7");
  EXPECT_EQ(p->ClientAddress("::1", "10.0.0.1, 10.0.0.2"), "10.0.0.1");
  EXPECT_EQ(p->ClientAddress("10.1.2.3", ""), "10.1.2.3");
  EXPECT_EQ(p->ClientAddress("10.1.2.3", "not-an-ip"), "10.1.2.3");
}

TEST(TrustedProxiesTest, CidrMatching) {
  auto p = TrustedProxies::Parse({"192.168.4.0/22", "2001:db8::/32"});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->IsTrusted("192.168.7.255"));
  EXPECT_FALSE(p->IsTrusted("192.168.8.0"));
  EXPECT_TRUE(p->IsTrusted("2001:db8:1::5"));
  EXPECT_FALSE(p->IsTrusted("2001:db9::1"));
  EXPECT_TRUE(p->IsTrusted("::ffff:192.168.4.1"));
}

TEST(TrustedProxiesTest, RejectsBadEntries) {
  EXPECT_EQ(TrustedProxies::Parse({"proxy"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TrustedProxies::Parse({"10.0.0.0/40"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carepost::http
