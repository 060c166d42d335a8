// File: guard/finding_json.h
//
// The JSON form of a screening result, exactly as `carepost check --format jsonl`
// prints it and docs/findings.schema.json describes it. Hand-written (no JSON library)
// because it is on the batch-screening hot path. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "guard/finding.h"

namespace carepost::guard {

// Appends `s` as a JSON string literal (with quotes). Invalid UTF-8 is not expected.
void AppendJsonString(std::string* out, std::string_view s);

// Appends one finding as a JSON object.
void AppendFindingJson(std::string* out, const Finding& f);

// Appends {"id": <id_json>, "verdict": ..., "findings": [...] [, "redacted": ...]}.
// `id_json` is the id exactly as it appeared in the input (already JSON).
// `redacted` is added when non-null.
void AppendResultJson(std::string* out, std::string_view id_json, const ScreenResult& result,
                      const std::string* redacted);

}  // namespace carepost::guard
