// File: domain/secrets.h
//
// The server key and what it protects. One 32-byte SecretKey is loaded at start-up
// (from a file, or the environment); purpose-specific keys are derived from it
// (libsodium crypto_kdf), so the audit HMAC key, the CSRF key and the secret-sealing
// key never coincide. SecretBox seals secrets at rest (libsodium secretbox:
// XSalsa20-Poly1305, random nonce per message); SecretStore keeps them in the
// `secrets` table.
//
//   ASSIGN_OR_RETURN(SecretKey key, LoadSecretKey({.file = flags.secret_key_file}));
//   SecretBox box(key.Derive(KeyPurpose::kSecrets));
//   ASSIGN_OR_RETURN(std::string sealed, box.Seal(token));
//
// Key formats: a key file holds either the 32 raw bytes or 64 hex digits (a trailing
// newline is allowed); it must not be readable or writable by group or others. The
// environment variable CAREPOST_SECRET_KEY may hold the 64 hex digits instead.
// Error messages name the file or variable and what is wrong, never key bytes.
//
// Thread safety: SecretKey and SecretBox are immutable after construction and safe to
// share between threads. SecretStore is safe for concurrent use (the Database is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "store/database.h"

namespace carepost::domain {

// What a derived key is for.
// kPatientData seals what names a patient (domain/patient_authorizations.h).
enum class KeyPurpose { kAuditSignature, kCsrf, kSecrets, kPatientData };

// 32 secret bytes, wiped from memory when destroyed.
class SecretKey {
 public:
  static constexpr size_t kSize = 32;

  // REQUIRES: bytes.size() == kSize.
  explicit SecretKey(std::string_view bytes);
  SecretKey(const SecretKey& other);
  SecretKey& operator=(const SecretKey& other);
  ~SecretKey();

  // A fresh random key.
  static SecretKey Generate();

  // The subkey for `purpose` (deterministic: the same key gives the same subkey).
  SecretKey Derive(KeyPurpose purpose) const;

  const unsigned char* data() const { return bytes_; }
  // A short public fingerprint (first 8 hex digits of the key's SHA-256) to tell keys
  // apart in logs and in secrets.key_id without revealing them.
  std::string Fingerprint() const;

 private:
  unsigned char bytes_[kSize];
};

struct LoadKeyOptions {
  // The key file (flag --secret-key-file). When empty, the file named by the
  // environment variable `file_env` is used, then the hex key in `hex_env`.
  std::string file;
  // Environment variable naming a key file.
  std::string file_env = "CAREPOST_SECRET_KEY_FILE";
  // Environment variable holding the key as 64 hex digits.
  std::string hex_env = "CAREPOST_SECRET_KEY";
};

// Loads the server key (see the file comment).
// Errors: NotFound when no source is configured or the file does not exist;
// FailedPrecondition when the file is readable or writable by group or others;
// InvalidArgument when the contents are not 32 bytes or 64 hex digits.
[[nodiscard]] absl::StatusOr<SecretKey> LoadSecretKey(const LoadKeyOptions& options);

// Reads a key file (see the file comment; same errors as LoadSecretKey).
[[nodiscard]] absl::StatusOr<SecretKey> LoadSecretKeyFile(const std::string& path);

// Parses 64 hex digits. `where` names the source in the error.
[[nodiscard]] absl::StatusOr<SecretKey> ParseHexKey(std::string_view hex, std::string_view where);

// Writes a new random key as hex to `path`, created with mode 0600; AlreadyExists when
// the file exists (a key is never overwritten).
[[nodiscard]] absl::StatusOr<SecretKey> CreateSecretKeyFile(const std::string& path);

// Authenticated encryption of small secrets under one key.
class SecretBox {
 public:
  explicit SecretBox(SecretKey key) : key_(std::move(key)) {}

  // nonce || ciphertext (24 + 16 + plaintext.size() bytes).
  [[nodiscard]] std::string Seal(std::string_view plaintext) const;
  // The plaintext; DataLoss when `sealed` was not produced by Seal() with this key or
  // was altered.
  [[nodiscard]] absl::StatusOr<std::string> Open(std::string_view sealed) const;

  const SecretKey& key() const { return key_; }

 private:
  SecretKey key_;
};

// Named secrets sealed in the `secrets` table.
class SecretStore {
 public:
  // `db`, `clock` and `box` must outlive the store.
  SecretStore(store::Database& db, core::Clock& clock, const SecretBox& box)
      : db_(db), clock_(clock), box_(box) {}

  // Stores (or replaces) the secret `name`.
  [[nodiscard]] absl::Status Put(std::string_view name, std::string_view value);
  // NotFound when there is no such secret; DataLoss when it cannot be opened with this
  // key (FailedPrecondition when it was sealed under another key).
  [[nodiscard]] absl::StatusOr<std::string> Get(std::string_view name);

 private:
  store::Database& db_;
  core::Clock& clock_;
  const SecretBox& box_;
};

}  // namespace carepost::domain
