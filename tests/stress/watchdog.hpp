#pragma once
// watchdog.hpp — fails a real-thread test that hangs, instead of hanging CI.

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace weir::test {

/// Aborts the process with `what` if not destroyed within `limit`. Not a
/// timing assertion: the limit is far above any healthy run, it only turns
/// a deadlock into a failure with a name.
class watchdog {
 public:
  watchdog(const char* what, std::chrono::seconds limit) : thread_([this, what, limit] {
      std::unique_lock lock(mutex_);
      if (!cv_.wait_for(lock, limit, [this] { return done_; })) {
        std::fprintf(stderr, "watchdog: '%s' still running after %llds, aborting\n", what,
                     static_cast<long long>(limit.count()));
        std::abort();
      }
    }) {}
  ~watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  watchdog(const watchdog&) = delete;
  watchdog& operator=(const watchdog&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

/// Counts down from `n`; wait() blocks until zero (like std::latch, but
/// arrive() may be called more than `n` times without undefined behaviour).
class countdown {
 public:
  explicit countdown(std::size_t n) : left_(n) {}
  void arrive() {
    std::lock_guard lock(mutex_);
    if (left_ > 0 && --left_ == 0) cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return left_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t left_;
};

}  // namespace weir::test
