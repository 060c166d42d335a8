// File: core/strings.h
//
// String building for messages. Debian 12's Abseil is built with its own
// absl::string_view (not std::string_view), so absl::StrCat does not accept
// std::string_view; use these instead, and std::string(status.message()) to read a
// Status message.
//
//   std::string m = core::Cat("line ", 12, ": key '", key, "' is not known");
#pragma once

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>

namespace carepost::core {

namespace internal {
inline void AppendOne(std::string* out, std::string_view s) { out->append(s); }
inline void AppendOne(std::string* out, const char* s) { out->append(s); }
inline void AppendOne(std::string* out, const std::string& s) { out->append(s); }
inline void AppendOne(std::string* out, char c) { out->push_back(c); }
template <typename T>
  requires(std::is_arithmetic_v<T> && !std::is_same_v<T, char> && !std::is_same_v<T, bool>)
void AppendOne(std::string* out, T v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}
}  // namespace internal

// Appends every argument (strings, characters, numbers) to *out.
template <typename... Args>
void Append(std::string* out, const Args&... args) {
  (internal::AppendOne(out, args), ...);
}

// Concatenates every argument into a new string.
template <typename... Args>
std::string Cat(const Args&... args) {
  std::string out;
  Append(&out, args...);
  return out;
}

}  // namespace carepost::core
