#pragma once
// weir/log_repeats_config.hpp — how the runtime keeps repeating log lines readable.

#include <weir/clock.hpp>

#include <chrono>
#include <cstddef>

namespace weir {

/// Settings of the runtime's repeat limiter (system_config::log_repeats).
/// Invalid values are rejected by the system's constructor with
/// std::invalid_argument naming the field.
///
/// The runtime's lines about deadlocks, crashes, restarts, lints and dead
/// letters each carry a short key naming what repeats ("deadlock:/a /b",
/// "crash:/svc/db:std::runtime_error", "restart:/svc/db", "lint:long_wait:/w").
/// The first line of a key is logged in full and opens a window; repeats of
/// that key within the window are counted, not logged. When the window has
/// ended, one summary line gives the exact count at the key's own level:
///
///     weir: crash:/svc/db:std::runtime_error repeated 999 more times within 10000 ms (suppressed)
///
/// The summary comes with the key's next line after the window (which is then
/// logged in full and opens a new window), at the watchdog's next tick
/// (insight_config), or at system shutdown, whichever is first. Only log
/// lines are limited: every counter (deadlocks(), crashes(), dead_letters(),
/// lints) and every callback (on_deadlock, on_lint) still sees each event.
struct log_repeats_config {
  /// Off: every line is logged, as it happens.
  bool enabled = true;
  /// How long repeats of a key are counted after its logged line. Must be > 0.
  clock::duration window = std::chrono::seconds(10);
  /// Keys remembered at once; must be >= 1. A new key past this forgets the
  /// key whose window opened first (its count is summarised at once), and
  /// that overflow is itself logged, limited and counted under the key
  /// "log_repeats:overflow". Each key costs about 100 bytes plus its text.
  std::size_t max_keys = 1024;
};

/// Throws std::invalid_argument naming the first invalid field.
void validate(const log_repeats_config& config);

}  // namespace weir
