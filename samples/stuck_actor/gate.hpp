#pragma once
// gate.hpp — a one-shot gate: threads wait until someone opens it, once.

#include <condition_variable>
#include <mutex>

namespace stuck_actor_sample {

/// Stands for a lock held outside the actor system (a stuck migration, a
/// peer that never answers): a handler that waits on it blocks its pool
/// thread. Unlike std::latch, open() may be called any number of times, so
/// every exit path of main can open it (a thread blocked in a handler would
/// otherwise keep system::shutdown() from ever returning).
///
/// Thread safety: every member from any thread.
class gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

}  // namespace stuck_actor_sample
