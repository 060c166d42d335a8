// File: store/value.h
//
// A Value is one SQL value: NULL, a 64-bit integer, a double, UTF-8 text or a blob of
// bytes. Values are what statements take as bound parameters and what query results
// hold. Reading a value as the wrong type is an error, not a conversion:
//
//   absl::StatusOr<int64_t> id = row.GetInt64("id");   // InvalidArgument if not int64
//
// Parameters convert implicitly from the obvious C++ types, so a call reads like SQL:
//
//   db.Execute("UPDATE users SET email = $1 WHERE id = $2", {email, user_id});
//   db.Execute("UPDATE sessions SET token_hash = $1", {Blob{hash}});
//   db.Execute("UPDATE users SET disabled_at = $1", {std::optional<int64_t>()});  // NULL
//
// A Value never formats its contents into an error message or a log line: values may
// be protected health information.
//
// Value is a regular value type; distinct objects may be used from different threads.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "absl/status/statusor.h"

namespace carepost::store {

// Bytes stored as a BLOB (SQLite) or BYTEA (PostgreSQL). Wrapping them in their own type
// keeps a blob from being bound as text by accident; any byte, NUL included, is kept.
struct Blob {
  std::string bytes;
  friend bool operator==(const Blob&, const Blob&) = default;
};

class Value {
 public:
  enum class Type { kNull, kInt64, kDouble, kText, kBlob };

  // NULL.
  Value() = default;
  Value(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  Value(std::nullopt_t) {}  // NOLINT(google-explicit-constructor)

  // Integers up to 64 bits, signed, or unsigned narrower than 64 bits (an unsigned 64-bit
  // value may not fit: cast it yourself). bool is refused: store 0/1 explicitly.
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char> &&
           (std::signed_integral<T> || sizeof(T) < 8)) Value(T v)
      : v_(static_cast<int64_t>(v)) {}  // NOLINT(google-explicit-constructor)
  Value(bool) = delete;

  Value(double v) : v_(v) {}  // NOLINT(google-explicit-constructor)

  // UTF-8 text. Binding text that is not valid UTF-8 or holds a NUL byte fails with
  // InvalidArgument (PostgreSQL cannot store either); store such bytes as a Blob.
  Value(std::string v) : v_(std::move(v)) {}         // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}  // NOLINT
  Value(const char* v) : v_(std::string(v)) {}       // NOLINT

  Value(Blob v) : v_(std::move(v)) {}  // NOLINT(google-explicit-constructor)

  // NULL when `v` is empty, otherwise the contained value.
  template <typename T>
  Value(const std::optional<T>& v) {  // NOLINT(google-explicit-constructor)
    if (v.has_value()) *this = Value(*v);
  }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }

  // Typed reads. Each fails with InvalidArgument naming the actual type (never the
  // contents) when the value holds another type, NULL included.
  absl::StatusOr<int64_t> AsInt64() const;
  absl::StatusOr<double> AsDouble() const;
  absl::StatusOr<std::string> AsText() const;
  absl::StatusOr<std::string> AsBlob() const;  // the blob's bytes

  // Unchecked access. REQUIRES: type() is the matching type.
  int64_t int64_value() const { return std::get<int64_t>(v_); }
  double double_value() const { return std::get<double>(v_); }
  const std::string& text_value() const { return std::get<std::string>(v_); }
  const std::string& blob_value() const { return std::get<Blob>(v_).bytes; }

  friend bool operator==(const Value&, const Value&) = default;

 private:
  // The index of each alternative is its Type.
  std::variant<std::monostate, int64_t, double, std::string, Blob> v_;
};

// "null", "int64", "double", "text" or "blob".
std::string_view TypeName(Value::Type type);

}  // namespace carepost::store
