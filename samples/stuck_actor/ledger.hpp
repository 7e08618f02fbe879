#pragma once
// ledger.hpp — the run's accounting, kept outside the actors, and the events
// main waits for.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

namespace stuck_actor_sample {

/// What the actors did, told as they do it; main waits on it (no polling)
/// and checks it against what weir itself counted.
///
/// Thread safety: every member from any thread.
class ledger {
 public:
  struct counts {
    std::uint64_t orders_sent = 0;       ///< by checkout
    std::uint64_t orders_written = 0;    ///< by db, once its table lock opened
    bool flood_stopped = false;          ///< the collector sent its flood_end
    std::uint64_t metrics_sent = 0;      ///< by the collector, all told
    bool flood_drained = false;          ///< the indexer handled flood_end
    std::uint64_t metrics_indexed = 0;   ///< by the indexer, when it handled flood_end
  };

  void orders_sent(std::uint64_t n) { update([&](counts& c) { c.orders_sent += n; }); }
  void order_written() { update([](counts& c) { ++c.orders_written; }); }
  void flood_stopped(std::uint64_t sent) {
    update([&](counts& c) {
      c.flood_stopped = true;
      c.metrics_sent = sent;
    });
  }
  void flood_drained(std::uint64_t indexed) {
    update([&](counts& c) {
      c.flood_drained = true;
      c.metrics_indexed = indexed;
    });
  }

  [[nodiscard]] counts now() const {
    std::lock_guard lock(mutex_);
    return counts_;
  }

  /// Waits until every order sent is written and the flood has ended and
  /// been drained; false if `deadline` passes first (a hang: a failure).
  bool wait_drained(std::chrono::steady_clock::time_point deadline) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [this] {
      return counts_.orders_written == counts_.orders_sent && counts_.flood_stopped && counts_.flood_drained;
    });
  }

 private:
  template <class F>
  void update(F&& f) {
    {
      std::lock_guard lock(mutex_);
      f(counts_);
    }
    changed_.notify_all();
  }

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  counts counts_;
};

using ledger_ptr = std::shared_ptr<ledger>;

}  // namespace stuck_actor_sample
