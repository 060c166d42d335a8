// File: cli/bench.h
//
// `carepost bench CORPUS`: screening throughput on a corpus of real-sized posts, for
// the whole screen and for each stage, in MB/s and posts/s on one core.
#pragma once

#include <string>

namespace carepost::cli {

struct BenchOptions {
  std::string corpus;
  double seconds = 2.0;
  std::string context = "inbound";
  // Compile every pattern at start instead of loading the built-in database (to
  // measure what the precompiled database saves).
  bool compile_patterns = false;
};

int RunBench(const BenchOptions& options);

}  // namespace carepost::cli
