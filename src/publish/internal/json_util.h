// File: publish/internal/json_util.h
//
// Reading platform answers and writing request bodies without exceptions. nlohmann's
// get<T>() and value() throw when a field has another type than expected, and dump()
// throws on invalid UTF-8; a platform that answers oddly must give a connector error,
// never an exception out of the publish layer.
//
//   Json status = Parse(res.body);            // discarded (is_discarded()) when not JSON
//   std::string id = Str(status, "id");       // "" when absent or not a string
//   const Json& data = Field(body, "data");   // null when absent or body not an object
//
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace carepost::publish::internal {

using Json = nlohmann::json;

inline Json Parse(std::string_view text) { return Json::parse(text, nullptr, false); }

// j[key] when j is an object that has it; a null value otherwise.
inline const Json& Field(const Json& j, const std::string& key) {
  static const Json* const kNull = new Json();
  if (!j.is_object()) return *kNull;
  auto it = j.find(key);
  return it == j.end() ? *kNull : *it;
}

// j[key] when it is a string; "" otherwise.
inline std::string Str(const Json& j, const std::string& key) {
  const Json& v = Field(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// Serializes with invalid UTF-8 replaced (U+FFFD) instead of throwing. Callers check
// the text they send (core::ValidateUtf8) first, so this is a last line of defence.
inline std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace carepost::publish::internal
