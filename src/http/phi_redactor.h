// File: http/phi_redactor.h
//
// The core::Redactor the server's logger uses: screens each string as inbound text and
// replaces every PHI span with its type ("[NAME]", "[PHONE]") via guard::Redact.
//
// Most logged strings repeat (the message, the method, the route, the client address):
// short ones are remembered with their redacted form, so a request's log line costs one
// screening (its fresh request id), not one per field. The memory holds at most
// kMemoEntries strings of at most kMemoBytes each; it is cleared when full.
//
// Thread safety: safe for concurrent use. The Screener must outlive it.
#pragma once

#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "core/log.h"
#include "http/scratch_pool.h"

namespace carepost::http {

class PhiRedactor final : public core::Redactor {
 public:
  explicit PhiRedactor(const guard::Screener& screener) : pool_(screener) {}
  std::string Redact(std::string_view text) const override;

  static constexpr size_t kMemoEntries = 4096;
  static constexpr size_t kMemoBytes = 64;

 private:
  std::string Screen(std::string_view text) const;

  mutable ScratchPool pool_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, std::string> memo_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carepost::http
