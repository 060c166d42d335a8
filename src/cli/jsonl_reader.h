// File: cli/jsonl_reader.h
//
// Reads one line of `carepost check --format jsonl` input:
//
//   {"id": <any JSON value>, "text": "<the text>", "context": "reply", "platform": "x",
//    "media": [{"type": "image", "alt": "..."}]}
//
// `id` and `text` are required; `context`, `platform` and `media` are optional and
// override the command-line flags for that record; other fields are ignored. Every
// rejection says what is wrong and where, in words a person can act on, and never
// quotes the text (it may hold PHI). Thread-compatible: one JsonlReader per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "guard/finding.h"

namespace carepost::cli {

struct Record {
  std::string id_json = "null";  // the id exactly as written, or null when unreadable
  std::string text;
  std::optional<guard::Context> context;
  std::optional<guard::Platform> platform;
  struct Media {
    bool is_image = true;
    std::string alt;
  };
  std::vector<Media> media;
};

class JsonlReader {
 public:
  explicit JsonlReader(size_t max_record_bytes);
  ~JsonlReader();

  // Parses `line` (without its newline) into *record. On failure returns
  // InvalidArgument with a message such as "invalid UTF-8 at byte 17"; record->id_json
  // is filled when the id could still be read.
  absl::Status Parse(std::string_view line, Record* record);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t max_record_bytes_;
};

}  // namespace carepost::cli
