#pragma once
// weir/detail/link_watch.hpp — waking threads that wait for an actor to appear in the tree.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace weir::detail {

/// A generation count bumped whenever a child is linked into the tree while
/// somebody waits (system::wait_for_path), so a waiting thread sleeps on a
/// condition variable instead of polling find().
///
/// The waiter's protocol: register (waiting), read generation(), look the path
/// up, and if it is missing, wait_past(the generation read). A link that lands
/// after the look-up bumps the generation, so it is never missed.
///
/// Cost on the spawn path: one atomic load while nobody waits.
///
/// Thread safety: all members from any thread.
class link_watch {
 public:
  /// After a child was linked (parent's strand).
  void linked() noexcept {
    // Pairs with the waiter's increment: either its look-up sees the new
    // child, or this load sees the waiter.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (waiters_.load(std::memory_order_seq_cst) != 0) bump();
  }

  /// Wakes every waiter to look again (a link, or a waiter's own timeout).
  void bump() noexcept {
    {
      std::lock_guard lock(mutex_);
      ++generation_;
    }
    changed_.notify_all();
  }

  [[nodiscard]] std::uint64_t generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
  }

  /// Blocks until the generation has moved past `seen`.
  void wait_past(std::uint64_t seen) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return generation_ != seen; });
  }

  /// Registers a waiter for its scope: links bump the generation only then.
  class waiting {
   public:
    explicit waiting(link_watch& watch) noexcept : watch_(watch) {
      watch_.waiters_.fetch_add(1, std::memory_order_seq_cst);
      std::atomic_thread_fence(std::memory_order_seq_cst);
    }
    ~waiting() { watch_.waiters_.fetch_sub(1, std::memory_order_seq_cst); }
    waiting(const waiting&) = delete;
    waiting& operator=(const waiting&) = delete;

   private:
    link_watch& watch_;
  };

 private:
  std::atomic<std::uint32_t> waiters_{0};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t generation_ = 0;
};

}  // namespace weir::detail
