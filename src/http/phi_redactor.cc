#include "http/phi_redactor.h"

#include "core/utf8.h"

namespace carepost::http {

std::string PhiRedactor::Redact(std::string_view text) const {
  if (text.size() > kMemoBytes) return Screen(text);
  {
    absl::MutexLock lock(&mu_);
    if (auto it = memo_.find(absl::string_view(text.data(), text.size())); it != memo_.end()) {
      return it->second;
    }
  }
  std::string redacted = Screen(text);
  absl::MutexLock lock(&mu_);
  if (memo_.size() >= kMemoEntries) memo_.clear();
  memo_.emplace(std::string(text), redacted);
  return redacted;
}

std::string PhiRedactor::Screen(std::string_view text) const {
  if (text.empty()) return std::string();
  // The guard requires valid UTF-8 without NUL; anything else is not logged at all.
  if (text.find('\0') != std::string_view::npos || !core::ValidateUtf8(text).ok) {
    return "[UNLOGGABLE]";
  }
  guard::ScreenRequest request{.context = guard::Context::kInbound};
  const guard::ScreenResult r = pool_.Screen(text, request);
  return guard::Redact(text, r.findings);
}

}  // namespace carepost::http
