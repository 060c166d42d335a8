#include "http/proxy.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>

#include "absl/status/status.h"
#include "core/strings.h"

namespace carepost::http {
namespace {

// Parses an address; IPv4-mapped IPv6 addresses are treated as IPv4.
bool ParseIp(std::string_view text, bool* v6, std::array<unsigned char, 16>* bytes) {
  const std::string s(text);
  bytes->fill(0);
  if (inet_pton(AF_INET, s.c_str(), bytes->data()) == 1) {
    *v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), bytes->data()) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(bytes->data(), kMapped, 12) == 0) {
      std::memmove(bytes->data(), bytes->data() + 12, 4);
      std::memset(bytes->data() + 4, 0, 12);
      *v6 = false;
      return true;
    }
    *v6 = true;
    return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

absl::StatusOr<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& list) {
  TrustedProxies out;
  for (const std::string& entry : list) {
    Range r;
    const size_t slash = entry.find('/');
    if (!ParseIp(std::string_view(entry).substr(0, slash), &r.v6, &r.bytes)) {
      return absl::InvalidArgumentError(
          core::Cat("trusted proxy '", entry, "' is not an IP address or CIDR range"));
    }
    const int max = r.v6 ? 128 : 32;
    r.prefix = max;
    if (slash != std::string::npos) {
      const std::string p = entry.substr(slash + 1);
      bool digits = !p.empty() && p.size() <= 3;
      for (char c : p) digits = digits && std::isdigit(static_cast<unsigned char>(c));
      if (!digits || std::stoi(p) > max) {
        return absl::InvalidArgumentError(
            core::Cat("trusted proxy '", entry, "' has a prefix length that is not 0-", max));
      }
      r.prefix = std::stoi(p);
    }
    out.ranges_.push_back(r);
  }
  return out;
}

bool TrustedProxies::IsTrusted(std::string_view address) const {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};
  if (!ParseIp(Trim(address), &v6, &bytes)) return false;
  for (const Range& r : ranges_) {
    if (r.v6 != v6) continue;
    int bits = r.prefix;
    bool match = true;
    for (size_t i = 0; bits > 0 && match; ++i, bits -= 8) {
      const unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
      match = (bytes[i] & mask) == (r.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string TrustedProxies::ClientAddress(std::string_view peer,
                                          std::string_view forwarded_for) const {
  std::string client(peer);
  if (!IsTrusted(peer) || forwarded_for.empty()) return client;
  // Walk from the right: every hop a trusted proxy appended is skipped.
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const size_t comma = rest.rfind(',');
    const std::string_view hop =
        Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    bool v6 = false;
    std::array<unsigned char, 16> bytes{};
    if (!ParseIp(hop, &v6, &bytes)) return client;  // garbage: stop at the last good hop
    client = std::string(hop);
    if (!IsTrusted(hop)) return client;
  }
  return client;
}

}  // namespace carepost::http
