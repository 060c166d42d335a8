#include "store/database.h"

#include <string>
#include <utility>

#include "core/status_macros.h"
#include "core/strings.h"

namespace carepost::store {

namespace {

// Prefixes a typed-read error with the column it came from.
template <typename T>
absl::StatusOr<T> InColumn(std::string_view column, absl::StatusOr<T> v) {
  if (v.ok()) return v;
  return absl::Status(v.status().code(),
                      core::Cat("column '", column, "': ", std::string(v.status().message())));
}

}  // namespace

std::string_view DialectName(Dialect dialect) {
  return dialect == Dialect::kSqlite ? "sqlite" : "postgres";
}

absl::StatusOr<const Value*> Row::Get(std::string_view column) const {
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return &values_[i];
  }
  std::string known;
  for (const std::string& c : *columns_) core::Append(&known, known.empty() ? "" : ", ", c);
  return absl::InvalidArgumentError(
      core::Cat("the result has no column '", column, "' (columns: ", known, ")"));
}

absl::StatusOr<int64_t> Row::GetInt64(std::string_view column) const {
  ASSIGN_OR_RETURN(const Value* v, Get(column));
  return InColumn(column, v->AsInt64());
}

absl::StatusOr<double> Row::GetDouble(std::string_view column) const {
  ASSIGN_OR_RETURN(const Value* v, Get(column));
  return InColumn(column, v->AsDouble());
}

absl::StatusOr<std::string> Row::GetText(std::string_view column) const {
  ASSIGN_OR_RETURN(const Value* v, Get(column));
  return InColumn(column, v->AsText());
}

absl::StatusOr<std::string> Row::GetBlob(std::string_view column) const {
  ASSIGN_OR_RETURN(const Value* v, Get(column));
  return InColumn(column, v->AsBlob());
}

absl::StatusOr<bool> Row::IsNull(std::string_view column) const {
  ASSIGN_OR_RETURN(const Value* v, Get(column));
  return v->is_null();
}

absl::StatusOr<Row> Executor::QueryRow(std::string_view sql, Params params) {
  ASSIGN_OR_RETURN(Rows rows, Query(sql, params));
  if (rows.empty()) return absl::NotFoundError("the query found no row");
  if (rows.size() > 1) {
    return absl::FailedPreconditionError(
        core::Cat("the query found ", rows.size(), " rows where one was expected"));
  }
  return rows[0];
}

}  // namespace carepost::store
