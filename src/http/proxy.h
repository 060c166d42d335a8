// File: http/proxy.h
//
// Who the client is. X-Forwarded-For is believed only from configured trusted proxies:
// walking the header from the right, each hop added by a trusted proxy is skipped, and
// the first address not trusted is the client. With no trusted proxies the TCP peer is
// the client and the header is ignored (anyone can send it).
//
//   ASSIGN_OR_RETURN(TrustedProxies proxies, TrustedProxies::Parse({"10.0.0.0/8"}));
//   std::string client = proxies.ClientAddress(peer, req.Header("x-forwarded-for"));
//
// Thread safety: immutable after Parse(); safe from many threads.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace carepost::http {

class TrustedProxies {
 public:
  // Each entry is an IPv4/IPv6 address or CIDR range; InvalidArgument naming a bad one.
  [[nodiscard]] static absl::StatusOr<TrustedProxies> Parse(const std::vector<std::string>& list);

  bool IsTrusted(std::string_view address) const;
  // The client address for a request from `peer` carrying `forwarded_for`.
  std::string ClientAddress(std::string_view peer, std::string_view forwarded_for) const;

 private:
  struct Range {
    bool v6 = false;
    std::array<unsigned char, 16> bytes{};
    int prefix = 0;
  };
  std::vector<Range> ranges_;
};

}  // namespace carepost::http
