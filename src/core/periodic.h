// File: core/periodic.h
//
// A task a server runs in the background: once at start, then every `interval`, on its
// own thread, until Stop() or the destructor. The housekeeping of `carepost serve`
// (recurring series' next posts, the patient-authorization expiry sweep) runs this way.
//
//   core::Periodic sweep(absl::Minutes(1), [&] { (void)authorizations.ExpireDue(); });
//   ...                       // serve
//   sweep.Stop();             // waits for a run in progress, then no more runs
//
// The wait is real time (a condition variable), not a core::Clock: what the task does
// reads its own injected clock, and tests call the task directly.
//
// Thread safety: Stop() (and the destructor) from one thread at a time.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace carepost::core {

class Periodic {
 public:
  // Starts the thread; the first run begins at once. REQUIRES: interval > 0.
  Periodic(absl::Duration interval, std::function<void()> task);
  ~Periodic();  // Stop()
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // No run starts after this returns; a run in progress is finished first. Idempotent.
  void Stop();

 private:
  void Loop();

  const absl::Duration interval_;
  const std::function<void()> task_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace carepost::core
