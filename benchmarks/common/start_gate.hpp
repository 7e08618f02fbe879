// Counting actors' starts so that a benchmark's harness can wait, without
// polling, until a batch (or a whole tree) of actors has run on_start.
// Shared by bench_idle and bench_snapshot.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace bench {

/// Thread safety: every member from any thread.
struct start_gate {
  std::mutex mutex;
  std::condition_variable cv;
  std::size_t started = 0;

  /// Called by each actor at the end of its on_start.
  void arrive() {
    std::lock_guard lock(mutex);
    ++started;
    cv.notify_one();
  }
  /// Blocks until `n` actors have arrived.
  void wait_for(std::size_t n) {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return started >= n; });
  }
};

} // namespace bench
