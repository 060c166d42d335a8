// Fuzzes media sniffing and metadata stripping: any bytes are a type or a clear error;
// a stripped file strips again to itself with nothing more removed; reading the
// dimensions of any bytes sniffed as an image never reads past them.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "plan/media.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carepost::plan;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<MediaType> type = SniffMedia(bytes);
  if (!type.ok()) {
    if (type.status().message().empty()) abort();
  } else {
    for (Platform p : kAllPlatforms) (void)CheckMediaForPlatform(*type, size, p);
    (void)ImageDimensions(*type, bytes);
  }
  const absl::StatusOr<StrippedMedia> first = StripMetadata(bytes);
  if (!first.ok()) {
    if (first.status().code() != absl::StatusCode::kInvalidArgument) abort();
    if (first.status().message().empty()) abort();
    return 0;
  }
  if (!type.ok() || first->type != *type) abort();
  if (first->data.size() > size) abort();
  const absl::StatusOr<StrippedMedia> second = StripMetadata(first->data);
  if (!second.ok() || second->data != first->data || !second->removed.empty()) abort();
  return 0;
}
