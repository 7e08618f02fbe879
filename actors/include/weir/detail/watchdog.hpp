#pragma once
// weir/detail/watchdog.hpp — the periodic checks behind lints.

#include <weir/detail/cell.hpp>
#include <weir/lint.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace weir::detail {

struct runtime;

/// Raises and clears lints (see insight_config). Each tick brings the coarse
/// clock up to date and checks, from the outside, what the runtime already
/// records: each thread's turn slot (a blocking handler), the wait-for graph
/// (long waits; nothing ran while someone waits), and, every
/// growth_window / growth_samples, every actor's queue depth.
///
/// A lint is raised (logged at warn, passed to on_lint) the first tick its
/// condition holds, and dropped the first tick it no longer does.
///
/// Thread safety: tick() and lints() from any thread; ticks run one at a time.
class watchdog {
 public:
  watchdog(runtime& rt, cell_ptr root);
  ~watchdog();
  watchdog(const watchdog&) = delete;
  watchdog& operator=(const watchdog&) = delete;

  /// Runs tick() every config tick on a thread of its own, until stop_thread().
  void start_thread();
  void stop_thread();
  void tick();
  [[nodiscard]] std::vector<lint> lints() const;
  /// Lints of `kind` raised so far (a lint that clears and comes back counts again).
  [[nodiscard]] std::uint64_t raised(lint_kind kind) const noexcept {
    return raised_[static_cast<std::size_t>(kind)].load(std::memory_order_relaxed);
  }

 private:
  using found_lints = std::map<std::string, lint>;  // by a key naming the condition
  void check_blocking(std::int64_t now_ms, found_lints& found);
  void check_waits(clock::time_point now, found_lints& found);
  void check_quiescence(std::int64_t now_ms, found_lints& found);
  void check_growth(std::int64_t now_ms, found_lints& found);
  void raise_and_clear(found_lints found);
  [[nodiscard]] std::string path_of(actor_id id) const;

  runtime& rt_;
  const cell_ptr root_;
  std::mutex tick_mutex_;

  mutable std::mutex lints_mutex_;
  found_lints lints_;
  std::array<std::atomic<std::uint64_t>, lint_kinds> raised_{};

  // Quiescence: handlers begun over all threads at the last change.
  std::uint64_t handlers_seen_ = 0;
  std::int64_t quiet_since_ms_ = 0;

  // Growth: recent depth samples of actors with something queued.
  struct depth_history {
    std::string path;
    std::vector<std::int64_t> depths;      // oldest first, at most growth_samples + 1
    std::vector<std::int64_t> sampled_at;  // ms, likewise
  };
  std::int64_t next_growth_sample_ms_ = 0;
  std::unordered_map<actor_id, depth_history> histories_;

  std::thread thread_;
  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace weir::detail
