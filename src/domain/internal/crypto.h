// File: domain/internal/crypto.h
//
// Thin wrappers over libsodium for the domain library. Only domain/*.cc include this.
// All functions are thread-safe (sodium_init() runs once, before first use).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace carepost::domain::internal {

// Initialises libsodium once; aborts the process if it cannot (no safe way on).
void EnsureSodium();

// SHA-256 of `data` (32 raw bytes).
std::string Sha256(std::string_view data);
// HMAC-SHA-256 of `data` under the 32-byte `key` (32 raw bytes).
std::string HmacSha256(const unsigned char* key, std::string_view data);
// `n` random bytes.
std::string RandomBytes(size_t n);
// Equality of two byte strings in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// Lower-case hex.
std::string ToHex(std::string_view bytes);
// Bytes from hex; InvalidArgument (naming `where`) for anything else.
absl::StatusOr<std::string> FromHex(std::string_view hex, std::string_view where);
// URL-safe base64 without padding, and back (nullopt-like error on bad input).
std::string ToBase64Url(std::string_view bytes);
absl::StatusOr<std::string> FromBase64Url(std::string_view text);

}  // namespace carepost::domain::internal
