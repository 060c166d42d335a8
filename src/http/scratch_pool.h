// File: http/scratch_pool.h
//
// A pool of guard::Screener::Scratch, so server threads screen without building a
// scratch per request.
//
// Thread safety: safe for concurrent use. The Screener must outlive the pool.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "guard/screener.h"

namespace carepost::http {

class ScratchPool {
 public:
  explicit ScratchPool(const guard::Screener& screener) : screener_(screener) {}

  // Screens `text` with a pooled scratch.
  guard::ScreenResult Screen(std::string_view text, const guard::ScreenRequest& request) {
    std::unique_ptr<guard::Screener::Scratch> scratch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        scratch = std::move(free_.back());
        free_.pop_back();
      }
    }
    if (!scratch) scratch = std::make_unique<guard::Screener::Scratch>(screener_.NewScratch());
    guard::ScreenResult r = screener_.Screen(text, request, *scratch);
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(scratch));
    return r;
  }

  const guard::Screener& screener() const { return screener_; }

 private:
  const guard::Screener& screener_;
  std::mutex mu_;
  std::vector<std::unique_ptr<guard::Screener::Scratch>> free_;  // guarded by mu_
};

}  // namespace carepost::http
