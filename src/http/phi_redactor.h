// File: http/phi_redactor.h
//
// The core::Redactor the server's logger uses: screens each string as inbound text and
// replaces every PHI span with its type ("[NAME]", "[PHONE]") via guard::Redact.
//
// Thread safety: safe for concurrent use. The Screener must outlive it.
#pragma once

#include <string>
#include <string_view>

#include "core/log.h"
#include "http/scratch_pool.h"

namespace carepost::http {

class PhiRedactor final : public core::Redactor {
 public:
  explicit PhiRedactor(const guard::Screener& screener) : pool_(screener) {}
  std::string Redact(std::string_view text) const override;

 private:
  mutable ScratchPool pool_;
};

}  // namespace carepost::http
