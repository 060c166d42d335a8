// File: guard/builtin_patterns.h
//
// The built-in pattern database: every pattern the stages register whatever the
// ScreenerOptions (all but kPatternOrg), compiled by Hyperscan at BUILD time so that a
// process starts in milliseconds instead of compiling tens of thousands of patterns.
//
// The build runs `carepost_guard_pattern_db_gen` (pattern_db_gen.cc), a host tool
// linked from the same guard objects: it calls BuiltinPatterns(), compiles and
// serializes them, and writes builtin_pattern_db.cc, which defines
// BuiltinPatternDatabase() and is compiled into carepost_guard. Any change to a guard
// source or data file relinks the tool and so regenerates the database. Screener::Create
// uses it only when its fingerprint matches the patterns registered at run time (see
// Matcher::Compile); `builtin_patterns_test.cc` fails when they differ.
#pragma once

#include "absl/status/statusor.h"
#include "guard/matcher.h"

namespace carepost::guard {

// The patterns every Screener registers with default options, in registration order.
// Building them loads the stages' data but compiles nothing.
absl::StatusOr<PatternSet> BuiltinPatterns();

// The serialized database of BuiltinPatterns(), embedded at build time. Its bytes are
// empty in the generator itself (which defines it so) and in builds without one.
const SerializedPatterns& BuiltinPatternDatabase();

}  // namespace carepost::guard
