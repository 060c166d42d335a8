// File: guard/org_profile.h
//
// The organization's own identity. A hospital may name its own campus, its own
// phone numbers and its own clinicians; none of these are PHI findings.
//
// The command line reads it from a TOML file (`carepost check --org FILE`):
//
//   names      = ["Riverside Health", "Riverside Children's Hospital"]
//   facilities = ["Riverside Medical Center", "Lakeview Clinic"]
//   addresses  = ["1200 River Road, Springfield, IL 62701"]
//   phones     = ["(217) 555-0100"]
//   domains    = ["riversidehealth.org"]
//   handles    = ["@RiversideHealth"]
//   clinicians = ["Dr. Aisha Patel", "Marcus Chen, RN"]
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace carepost::guard {

struct OrgProfile {
  std::vector<std::string> names;
  std::vector<std::string> facilities;
  std::vector<std::string> addresses;
  std::vector<std::string> phones;
  std::vector<std::string> domains;
  std::vector<std::string> handles;
  std::vector<std::string> clinicians;
};

// Parses a profile from TOML text. `source` names the file in error messages, which
// also give the line and the key ("org.toml:4: key 'phone' is not a known setting").
absl::StatusOr<OrgProfile> ParseOrgProfile(std::string_view toml, std::string_view source);

}  // namespace carepost::guard
