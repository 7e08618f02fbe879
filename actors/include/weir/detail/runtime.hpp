#pragma once
// weir/detail/runtime.hpp — state shared by a system and every cell it made.

#include <weir/clock.hpp>
#include <weir/config.hpp>
#include <weir/detail/edge_registry.hpp>
#include <weir/detail/manual_turns.hpp>
#include <weir/detail/link_watch.hpp>
#include <weir/detail/turn_slots.hpp>
#include <weir/detail/wait_graph.hpp>

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

namespace spdlog {
class logger;
}

namespace weir {
class system;
}

namespace weir::detail {

class log_limiter;
class scheduler;

/// What cells need from their system. Cells hold it by shared_ptr so that a
/// handle kept after the system is gone still has somewhere to count its dead
/// letters. The io_context is only touched by running actors, and every actor
/// has stopped before the system (which owns the io_context) goes away.
struct runtime {
  system_config config;
  std::shared_ptr<spdlog::logger> logger;
  std::shared_ptr<weir::clock> clock;
  /// The logger's gate for lines that repeat (config.log_repeats). Set with
  /// the logger and the clock, before any cell exists.
  std::unique_ptr<log_limiter> limited_log;
  boost::asio::io_context* io = nullptr;
  /// Manual mode only: the ready turns a test picks from; null otherwise.
  std::unique_ptr<manual_turns> manual;
  /// Thread-pool mode only: the workers that run turns (owned by the system,
  /// like the io_context, and outlived by every running actor); null otherwise.
  scheduler* sched = nullptr;
  weir::system* owner = nullptr;

  std::atomic<std::uint64_t> next_id{1};
  std::atomic<std::uint64_t> dead_letters{0};
  std::atomic<std::uint64_t> crashes{0};
  std::atomic<std::uint64_t> started{0};
  std::atomic<std::int64_t> live{0};  // launched and not yet stopped
  std::atomic<std::uint64_t> deadlocks{0};
  wait_graph waits;
  /// Bumped when a child is linked while a thread waits for a path (system::wait_for_path).
  link_watch links;

  // Insight (see insight_config). `coarse_ms` is the system's age on its
  // clock, in ms, as of the watchdog's last tick: handlers stamp themselves
  // with it instead of reading a clock per message.
  bool insight = false;  // config.insight.enabled, read on every handler
  clock::time_point started_at{};
  std::atomic<std::int64_t> coarse_ms{0};
  turn_slots slots;
  edge_registry edges;
  /// Brings coarse_ms up to `now` (the clock's reading); returns it. Only
  /// ever forward: the watchdog and snapshots advance it from different
  /// threads, and a handler's duration must never come out negative.
  std::int64_t advance_coarse_clock(clock::time_point now) noexcept {
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_at).count();
    std::int64_t seen = coarse_ms.load(std::memory_order_relaxed);
    while (seen < age && !coarse_ms.compare_exchange_weak(seen, age, std::memory_order_relaxed)) {
    }
    return std::max(seen, age);
  }

  // Set when the root of the tree (the guardian) has stopped: shutdown waits on it.
  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool guardian_stopped = false;
};

/// Manual mode: runs one ready step on the calling thread, the oldest ready
/// turn first, else one ready Asio handler (a guarded completion). Returns
/// false if nothing was ready.
bool run_manual_step(runtime& rt);

}  // namespace weir::detail
