#include "core/periodic.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

namespace carepost::core {
namespace {

// Counts runs and lets the test wait for a number of them (the wait's limit is only a
// guard against a hang, not a timing claim).
class Runs {
 public:
  void Add() {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
    cv_.notify_all();
  }
  bool WaitFor(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(60), [&] { return count_ >= n; });
  }
  int count() {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

TEST(PeriodicTest, RunsAtOnceAndThenAgain) {
  Runs runs;
  Periodic p(absl::Milliseconds(1), [&] { runs.Add(); });
  EXPECT_TRUE(runs.WaitFor(3));
  p.Stop();
  const int after_stop = runs.count();
  p.Stop();  // idempotent
  EXPECT_EQ(runs.count(), after_stop);
}

TEST(PeriodicTest, StopDoesNotWaitOutTheInterval) {
  Runs runs;
  {
    Periodic p(absl::Hours(24), [&] { runs.Add(); });
    ASSERT_TRUE(runs.WaitFor(1));
  }  // the destructor wakes the thread instead of sleeping a day
  EXPECT_EQ(runs.count(), 1);
}

}  // namespace
}  // namespace carepost::core
