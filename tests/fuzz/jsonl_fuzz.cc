// Fuzzes the JSONL record reader: any bytes are either a record or a clear error.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/jsonl_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static carepost::cli::JsonlReader reader(64 * 1024);
  carepost::cli::Record record;
  const absl::Status st =
      reader.Parse(std::string_view(reinterpret_cast<const char*>(data), size), &record);
  if (!st.ok() && st.message().empty()) abort();
  return 0;
}
