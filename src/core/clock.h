// File: core/clock.h
//
// The one way carepost reads the time. Code that needs "now" takes a Clock& instead of
// calling absl::Now(), so tests can drive time with a SimulatedClock (the contract of
// Abseil's clock_interface.h, which Debian 12's Abseil lacks).
//
//   class SessionService {
//    public:
//     SessionService(store::Database& db, core::Clock& clock);
//     ...  if (clock_.Now() > expires_at) return absl::UnauthenticatedError(...);
//   };
//
//   core::SimulatedClock clock(absl::FromUnixSeconds(1'700'000'000));
//   clock.Advance(absl::Minutes(31));   // the idle limit has passed
//
// Thread safety: every Clock is safe for concurrent use from many threads.
#pragma once

#include <mutex>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace carepost::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant.
  virtual absl::Time Now() const = 0;
};

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance (never destroyed).
  static Clock& Get() {
    static SystemClock* const kClock = new SystemClock();
    return *kClock;
  }
};

// A clock that moves only when told to. For tests.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(absl::Time start = absl::UnixEpoch()) : now_(start) {}

  absl::Time Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  // Sets the time (it may go backwards).
  void SetTime(absl::Time t) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = t;
  }
  // Moves the time forward by `d`.
  void Advance(absl::Duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  absl::Time now_;  // guarded by mu_
};

}  // namespace carepost::core
