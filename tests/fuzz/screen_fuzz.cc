// Fuzzes the whole screen: any valid UTF-8 text, in every context, must screen without
// crashing, and every finding must lie inside the text.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/utf8.h"
#include "guard/screener.h"

using namespace carepost;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const guard::Screener* screener = [] {
    guard::ScreenerOptions options;
    options.org.names = {"Riverside Health"};
    options.org.clinicians = {"Dr. Aisha Patel"};
    auto s = guard::Screener::Create(options);
    if (!s.ok()) abort();
    return s->release();
  }();
  static guard::Screener::Scratch scratch = screener->NewScratch();
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (!core::ValidateUtf8(text).ok) return 0;
  guard::ScreenRequest req;
  req.context = static_cast<guard::Context>(data[0] % 3);
  req.platform = static_cast<guard::Platform>((data[0] / 3) % 11);
  guard::MediaItem media[1] = {{true, ""}};
  if (data[0] & 0x80) req.media = media;
  guard::ScreenResult r = screener->Screen(text, req, scratch);
  for (const guard::Finding& f : r.findings) {
    if (f.start > f.end || f.end > text.size()) abort();
  }
  const std::string redacted = guard::Redact(text, r.findings);
  if (!core::ValidateUtf8(redacted).ok) abort();
  return 0;
}
