#pragma once
// weir/detail/turn_slots.hpp — what each thread is running right now, for the watchdog.

#include <weir/wait_record.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <typeinfo>
#include <unordered_map>

namespace weir::detail {

/// One thread's current turn. Written only by its thread (relaxed stores on
/// a line of its own), read by the watchdog and snapshots. The actor is kept
/// as an id, not a pointer: a reader never touches a cell that may be gone.
struct alignas(64) turn_slot {
  std::atomic<actor_id> actor{0};                        ///< 0 between turns
  std::atomic<const std::type_info*> message{nullptr};   ///< null between handlers
  std::atomic<std::uint64_t> handlers{0};                ///< handlers begun on this thread
  std::atomic<std::int64_t> since_ms{0};                 ///< coarse time the handler began
};

/// The slots of one system, one per thread that ran a turn. A thread finds
/// its slot through a one-entry thread-local cache keyed by the registry's
/// serial number (never by address: a new system may reuse a dead one's).
///
/// Thread safety: mine() and for_each() from any thread.
class turn_slots {
 public:
  turn_slots() noexcept : serial_(next_serial()) {}
  turn_slots(const turn_slots&) = delete;
  turn_slots& operator=(const turn_slots&) = delete;

  turn_slot& mine() {
    thread_local cached_slot cache;
    if (cache.serial != serial_) {
      cache.slot = &register_this_thread();
      cache.serial = serial_;
    }
    return *cache.slot;
  }

  template <class Fn>
  void for_each(Fn&& fn) const {
    std::lock_guard lock(mutex_);
    for (const turn_slot& slot : slots_) fn(slot);
  }

 private:
  struct cached_slot {
    std::uint64_t serial = 0;
    turn_slot* slot = nullptr;
  };
  static std::uint64_t next_serial() noexcept {
    static std::atomic<std::uint64_t> counter{1};
    return counter.fetch_add(1, std::memory_order_relaxed);
  }
  turn_slot& register_this_thread() {
    std::lock_guard lock(mutex_);
    auto [at, fresh] = by_thread_.try_emplace(std::this_thread::get_id(), nullptr);
    if (fresh) at->second = &slots_.emplace_back();
    return *at->second;
  }

  const std::uint64_t serial_;
  mutable std::mutex mutex_;
  std::deque<turn_slot> slots_;  // a deque: slots never move
  std::unordered_map<std::thread::id, turn_slot*> by_thread_;
};

}  // namespace weir::detail
