#pragma once
// cycle_watch.hpp — the on_deadlock listener: when, and in whose turn, each
// cycle was reported.

#include "coordinator.hpp"
#include "worker.hpp"

#include <weir/deadlock.hpp>
#include <weir/handle.hpp>

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

namespace deadlock_sample {

/// One report as the listener saw it.
struct sighting {
  weir::deadlock_report report;
  std::optional<std::size_t> step;  ///< manual mode: the run_one() step it was made in
  double ms = 0;                    ///< since watch() (real time)
  /// Whether both actors were suspended at that instant, read from inside
  /// the turn whose wait closed the cycle: the report is in the same turn as
  /// the cycle, not found by a later scan.
  bool both_suspended = false;
};

/// Handed to system_config::on_deadlock. Prints the first `print_first`
/// reports as soon as it is told (one line per member of the cycle), keeps
/// them all. It runs inside the turn of the actor whose wait closed the
/// cycle, on that actor's thread: it only reads atomics and appends.
///
/// Thread safety: every member from any thread.
class cycle_watch {
 public:
  explicit cycle_watch(std::size_t print_first) : print_first_(print_first) {}

  /// The actors of the scenario, and (manual mode) the driver's step counter.
  void watch(weir::handle<coordinator> c, weir::handle<worker> w, const std::size_t* manual_step);

  /// Lets go of the handles. The listener lives in the system's config, and
  /// the actors' cells hold the runtime: holding handles past the run would
  /// be a reference cycle, and the system would never be freed.
  void unwatch();

  /// The listener.
  void operator()(const weir::deadlock_report& report);

  [[nodiscard]] std::vector<sighting> sightings() const;

 private:
  mutable std::mutex mutex_;
  std::size_t print_first_;
  weir::handle<coordinator> coordinator_;
  weir::handle<worker> worker_;
  const std::size_t* step_ = nullptr;  // read on the driver's own thread (manual mode runs turns there)
  std::chrono::steady_clock::time_point since_{};
  std::vector<sighting> seen_;
};

/// "/pipeline/worker waits for credit on /pipeline/worker -> /pipeline/coordinator"
/// and the like: one indented line per member, then the whole to_string().
void print_report(const weir::deadlock_report& report);

}  // namespace deadlock_sample
