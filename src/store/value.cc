#include "store/value.h"

#include <string>

#include "absl/status/status.h"
#include "core/strings.h"

namespace carepost::store {

namespace {

absl::Status Mismatch(Value::Type want, Value::Type have) {
  return absl::InvalidArgumentError(
      core::Cat("value is ", TypeName(have), ", not ", TypeName(want)));
}

}  // namespace

std::string_view TypeName(Value::Type type) {
  switch (type) {
    case Value::Type::kNull:
      return "null";
    case Value::Type::kInt64:
      return "int64";
    case Value::Type::kDouble:
      return "double";
    case Value::Type::kText:
      return "text";
    case Value::Type::kBlob:
      return "blob";
  }
  return "unknown";
}

absl::StatusOr<int64_t> Value::AsInt64() const {
  if (type() != Type::kInt64) return Mismatch(Type::kInt64, type());
  return int64_value();
}

absl::StatusOr<double> Value::AsDouble() const {
  if (type() != Type::kDouble) return Mismatch(Type::kDouble, type());
  return double_value();
}

absl::StatusOr<std::string> Value::AsText() const {
  if (type() != Type::kText) return Mismatch(Type::kText, type());
  return text_value();
}

absl::StatusOr<std::string> Value::AsBlob() const {
  if (type() != Type::kBlob) return Mismatch(Type::kBlob, type());
  return blob_value();
}

}  // namespace carepost::store
