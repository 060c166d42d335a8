// File: core/utf8.h
//
// Small, allocation-free UTF-8 helpers used wherever outside text enters the process.
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace carepost::core {

// Where a byte string stops being valid UTF-8 (overlong forms, surrogates and code
// points above U+10FFFF are invalid). `ok` is true when the whole input is valid.
struct Utf8Check {
  bool ok = true;
  size_t error_offset = 0;  // byte offset of the first invalid sequence when !ok
};
Utf8Check ValidateUtf8(std::string_view s);

// Decodes the code point starting at s[i] and stores its byte length in *len.
// REQUIRES: s is valid UTF-8 and i < s.size() is the start of a sequence.
inline char32_t DecodeUtf8(std::string_view s, size_t i, int* len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  if (b0 < 0xE0) {
    *len = 2;
    return (char32_t(b0 & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
  }
  if (b0 < 0xF0) {
    *len = 3;
    return (char32_t(b0 & 0x0F) << 12) | (char32_t(static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3F);
  }
  *len = 4;
  return (char32_t(b0 & 0x07) << 18) | (char32_t(static_cast<unsigned char>(s[i + 1]) & 0x3F) << 12) |
         (char32_t(static_cast<unsigned char>(s[i + 2]) & 0x3F) << 6) |
         (static_cast<unsigned char>(s[i + 3]) & 0x3F);
}

// Appends the UTF-8 encoding of `cp` to `out` (at most 4 bytes) and returns the length.
int EncodeUtf8(char32_t cp, char* out);

}  // namespace carepost::core
