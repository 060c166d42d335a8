#include "domain/secrets.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/status_macros.h"
#include "core/strings.h"
#include "domain/internal/crypto.h"

namespace carepost::domain {

SecretKey::SecretKey(std::string_view bytes) {
  internal::EnsureSodium();
  std::memcpy(bytes_, bytes.data(), kSize);
}
SecretKey::SecretKey(const SecretKey& other) { std::memcpy(bytes_, other.bytes_, kSize); }
SecretKey& SecretKey::operator=(const SecretKey& other) {
  std::memcpy(bytes_, other.bytes_, kSize);
  return *this;
}
SecretKey::~SecretKey() { sodium_memzero(bytes_, kSize); }

SecretKey SecretKey::Generate() {
  std::string b = internal::RandomBytes(kSize);
  SecretKey key(b);
  sodium_memzero(b.data(), b.size());
  return key;
}

SecretKey SecretKey::Derive(KeyPurpose purpose) const {
  static_assert(crypto_kdf_KEYBYTES == kSize);
  unsigned char sub[kSize];
  crypto_kdf_derive_from_key(sub, kSize, static_cast<uint64_t>(purpose) + 1, "carepost",
                             bytes_);
  SecretKey key(std::string_view(reinterpret_cast<const char*>(sub), kSize));
  sodium_memzero(sub, kSize);
  return key;
}

std::string SecretKey::Fingerprint() const {
  return internal::ToHex(
             internal::Sha256(std::string_view(reinterpret_cast<const char*>(bytes_), kSize)))
      .substr(0, 8);
}

absl::StatusOr<SecretKey> ParseHexKey(std::string_view hex, std::string_view where) {
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.remove_suffix(1);
  if (hex.size() != 2 * SecretKey::kSize) {
    return absl::InvalidArgumentError(
        core::Cat(where, ": the key must be 32 bytes (64 hex digits); found ", hex.size(),
                  " characters"));
  }
  ASSIGN_OR_RETURN(std::string bytes, internal::FromHex(hex, where));
  SecretKey key(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

absl::StatusOr<SecretKey> LoadSecretKeyFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(core::Cat("secret key file ", path, " does not exist"));
    }
    return absl::UnavailableError(
        core::Cat("secret key file ", path, ": ", std::strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(core::Cat("secret key file ", path, " is not a file"));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(
        core::Cat("secret key file ", path,
                  " is accessible by group or others; run: chmod 600 ", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::UnavailableError(core::Cat("secret key file ", path, " cannot be read"));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  buf.str(std::string());
  const size_t size = text.size();
  const std::string where = core::Cat("secret key file ", path);
  if (text.size() == SecretKey::kSize) {
    SecretKey key(text);
    sodium_memzero(text.data(), text.size());
    return key;
  }
  absl::StatusOr<SecretKey> key = ParseHexKey(text, where);
  sodium_memzero(text.data(), text.size());
  if (!key.ok() && key.status().code() == absl::StatusCode::kInvalidArgument &&
      std::string(key.status().message()).find("32 bytes") != std::string::npos) {
    return absl::InvalidArgumentError(
        core::Cat(where, " must hold 32 raw bytes or 64 hex digits; it holds ", size,
                  " bytes"));
  }
  return key;
}

absl::StatusOr<SecretKey> LoadSecretKey(const LoadKeyOptions& options) {
  if (!options.file.empty()) return LoadSecretKeyFile(options.file);
  if (!options.file_env.empty()) {
    const char* file = std::getenv(options.file_env.c_str());
    if (file != nullptr && file[0] != '\0') return LoadSecretKeyFile(file);
  }
  if (!options.hex_env.empty()) {
    const char* hex = std::getenv(options.hex_env.c_str());
    if (hex != nullptr && hex[0] != '\0') {
      return ParseHexKey(hex, core::Cat("environment variable ", options.hex_env));
    }
  }
  return absl::NotFoundError(core::Cat(
      "no secret key: pass --secret-key-file FILE, or set ", options.file_env,
      " to a key file, or ", options.hex_env,
      " to 64 hex digits (create a key file with: head -c 32 /dev/urandom | xxd -p -c 64 > "
      "FILE && chmod 600 FILE)"));
}

absl::StatusOr<SecretKey> CreateSecretKeyFile(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) {
      return absl::AlreadyExistsError(core::Cat("secret key file ", path, " already exists"));
    }
    return absl::UnavailableError(core::Cat("cannot create ", path, ": ", std::strerror(err)));
  }
  SecretKey key = SecretKey::Generate();
  std::string hex = core::Cat(
      internal::ToHex(std::string_view(reinterpret_cast<const char*>(key.data()), 32)), "\n");
  const ssize_t n = write(fd, hex.data(), hex.size());
  sodium_memzero(hex.data(), hex.size());
  const bool ok = n == static_cast<ssize_t>(hex.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok) return absl::UnavailableError(core::Cat("cannot write ", path));
  return key;
}

std::string SecretBox::Seal(std::string_view plaintext) const {
  std::string out = internal::RandomBytes(crypto_secretbox_NONCEBYTES);
  out.resize(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, key_.data());
  return out;
}

absl::StatusOr<std::string> SecretBox::Open(std::string_view sealed) const {
  constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < kOverhead) {
    return absl::DataLossError("sealed secret is too short to be valid");
  }
  std::string out(sealed.size() - kOverhead, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()),
                                 nonce + crypto_secretbox_NONCEBYTES,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, nonce,
                                 key_.data()) != 0) {
    return absl::DataLossError(
        "sealed secret failed authentication (altered, or sealed under another key)");
  }
  return out;
}

absl::Status SecretStore::Put(std::string_view name, std::string_view value) {
  const std::string sealed = box_.Seal(value);
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return db_
      .Execute(
          "INSERT INTO secrets (name, key_id, nonce, ciphertext, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (name) DO UPDATE SET "
          "key_id = excluded.key_id, nonce = excluded.nonce, ciphertext = excluded.ciphertext, "
          "updated_at = excluded.updated_at",
          {name, box_.key().Fingerprint(),
           store::Blob{sealed.substr(0, crypto_secretbox_NONCEBYTES)},
           store::Blob{sealed.substr(crypto_secretbox_NONCEBYTES)}, now})
      .status();
}

absl::StatusOr<std::string> SecretStore::Get(std::string_view name) {
  absl::StatusOr<store::Row> row =
      db_.QueryRow("SELECT key_id, nonce, ciphertext FROM secrets WHERE name = $1", {name});
  if (!row.ok()) {
    if (row.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(core::Cat("no secret named '", name, "'"));
    }
    return row.status();
  }
  ASSIGN_OR_RETURN(std::string key_id, row->GetText("key_id"));
  if (key_id != box_.key().Fingerprint()) {
    return absl::FailedPreconditionError(
        core::Cat("secret '", name, "' was sealed under key ", key_id,
                  ", not the current key ", box_.key().Fingerprint()));
  }
  ASSIGN_OR_RETURN(std::string nonce, row->GetBlob("nonce"));
  ASSIGN_OR_RETURN(std::string ciphertext, row->GetBlob("ciphertext"));
  return box_.Open(nonce + ciphertext);
}

}  // namespace carepost::domain
