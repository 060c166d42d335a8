// File: guard/screener_testing.h
//
// Test-only: the full Screener with default options, built once per test binary
// (building one loads every stage's data and patterns, a fraction of a second), and a helper
// that screens a text and keeps the findings of one kind.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>
#include <vector>

#include "guard/screener.h"

namespace carepost::guard {

inline const Screener& SharedTestScreener() {
  static const Screener* screener = [] {
    auto s = Screener::Create({});
    if (!s.ok()) {
      ADD_FAILURE() << s.status();
      abort();
    }
    return s->release();
  }();
  return *screener;
}

// Findings of `kind` when the shared screener screens `text` in `context`.
inline std::vector<Finding> FindingsOfKind(std::string_view text, Kind kind, Context context) {
  const Screener& screener = SharedTestScreener();
  Screener::Scratch scratch = screener.NewScratch();
  ScreenResult r = screener.Screen(text, {.context = context}, scratch);
  std::vector<Finding> out;
  for (Finding& f : r.findings) {
    if (f.kind == kind) out.push_back(std::move(f));
  }
  return out;
}

}  // namespace carepost::guard
