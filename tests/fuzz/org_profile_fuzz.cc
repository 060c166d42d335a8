// Fuzzes the organization-profile TOML parser.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "guard/org_profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = carepost::guard::ParseOrgProfile(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml");
  if (!r.ok() && r.status().message().empty()) abort();
  return 0;
}
