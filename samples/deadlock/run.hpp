#pragma once
// run.hpp — drives the scenario until the remedy let it finish, or until it
// is plainly stuck.

#include "coordinator.hpp"
#include "driver.hpp"
#include "ledger.hpp"
#include "worker.hpp"

#include <cstddef>
#include <optional>

namespace deadlock_sample {

/// How the run ended, as the driver saw it.
struct outcome {
  bool completed = false;  ///< every result received
  bool stuck = false;      ///< a cycle was reported, waits remain, and nothing progresses any more
  bool timed_out = false;  ///< neither, within the watchdog (a hang: a failure)
  /// Manual mode: the first step after which both actors were suspended
  /// with both edges full (from the ledger), i.e. the turn in which the
  /// cycle formed.
  std::optional<std::size_t> both_suspended_after_step;
  std::size_t steps = 0;  ///< manual mode: turns run
  double ms = 0;          ///< real time: from go to the end
};

/// Manual mode: one turn per step until every result is in, or nothing is
/// left to run (then the run is stuck if a cycle is still there).
outcome run_manual(driver& d, const weir::handle<coordinator>& c, const weir::handle<worker>& w, const ledger& book);

/// Real time: polls the ledger until every result is in, or until a cycle
/// was reported, waits remain and nothing progressed for `stuck_after`.
/// Watchdog: 30 s.
outcome run_threads(driver& d, const ledger& book);

/// The real-time patience before --remedy report's run is declared stuck.
inline constexpr double stuck_after_ms = 500;

}  // namespace deadlock_sample
