// File: core/status_macros.h
//
// Propagation helpers for absl::Status / absl::StatusOr, following the contract of
// Abseil's status_macros.h (not in the Debian 12 release of Abseil).
//
//   absl::StatusOr<Config> Load(std::string_view path) {
//     ASSIGN_OR_RETURN(std::string text, ReadFile(path));
//     RETURN_IF_ERROR(Validate(text));
//     return Parse(text);
//   }
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CAREPOST_CONCAT_INNER_(a, b) a##b
#define CAREPOST_CONCAT_(a, b) CAREPOST_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                   \
  do {                                          \
    ::absl::Status carepost_status_ = (expr);   \
    if (!carepost_status_.ok()) return carepost_status_; \
  } while (0)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, otherwise
// move-assigns the value to `lhs` (which may be a declaration).
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  CAREPOST_ASSIGN_OR_RETURN_IMPL_(CAREPOST_CONCAT_(carepost_statusor_, __LINE__), lhs, rexpr)

#define CAREPOST_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();    \
  lhs = std::move(statusor).value()
