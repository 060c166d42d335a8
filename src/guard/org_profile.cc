#include "guard/org_profile.h"

#include <toml++/toml.h>

#include "core/strings.h"

namespace carepost::guard {

absl::StatusOr<OrgProfile> ParseOrgProfile(std::string_view toml_text, std::string_view source) {
  // Debian's toml++ is built with exceptions: catch them here, at the boundary.
  toml::table table;
  try {
    table = toml::parse(toml_text, source);
  } catch (const toml::parse_error& err) {
    return absl::InvalidArgumentError(core::Cat(source, ":", err.source().begin.line, ": ",
                                                err.description()));
  }
  OrgProfile profile;
  struct Key {
    std::string_view name;
    std::vector<std::string>* field;
  } keys[] = {{"names", &profile.names},         {"facilities", &profile.facilities},
              {"addresses", &profile.addresses}, {"phones", &profile.phones},
              {"domains", &profile.domains},     {"handles", &profile.handles},
              {"clinicians", &profile.clinicians}};
  for (const auto& [key, node] : table) {
    const Key* k = nullptr;
    for (const Key& candidate : keys) {
      if (candidate.name == key.str()) k = &candidate;
    }
    const auto line = node.source().begin.line;
    if (k == nullptr) {
      return absl::InvalidArgumentError(
          core::Cat(source, ":", line, ": key '", key.str(),
                       "' is not a known setting (expected names, facilities, addresses, phones, "
                       "domains, handles or clinicians)"));
    }
    const toml::array* arr = node.as_array();
    if (arr == nullptr) {
      return absl::InvalidArgumentError(
          core::Cat(source, ":", line, ": key '", key.str(), "' must be an array of strings"));
    }
    for (const toml::node& item : *arr) {
      const auto* s = item.as_string();
      if (s == nullptr) {
        return absl::InvalidArgumentError(core::Cat(source, ":", item.source().begin.line,
                                                       ": key '", key.str(),
                                                       "' must contain only strings"));
      }
      k->field->push_back(s->get());
    }
  }
  return profile;
}

}  // namespace carepost::guard
