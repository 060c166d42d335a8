// File: cli/check.h
//
// `carepost check`: screens a file (or standard input) and prints findings, for people
// or as JSON lines. See README.md for the exit-status contract.
#pragma once

#include <cstdio>
#include <string>

#include "guard/finding.h"

namespace carepost::cli {

struct CheckOptions {
  guard::Context context = guard::Context::kPost;
  guard::Platform platform = guard::Platform::kNone;
  std::string format = "text";  // "text" (for people) or "jsonl"
  std::string org_file;         // TOML organization profile; empty for none
  std::string input = "-";      // file path, or "-" for standard input
  bool redact = false;
  size_t max_record_bytes = 64 * 1024;
  int threads = 0;  // 0: one per core
  bool color = false;
};

// Exit status: 0 nothing blocks, 1 something blocks, 2 usage error or nothing could be
// read, 3 some records were rejected (and nothing blocks).
int RunCheck(const CheckOptions& options);

}  // namespace carepost::cli
