#pragma once
// weir/insight_config.hpp — how a system watches itself: stamps, watchdog, lints.

#include <weir/clock.hpp>

#include <chrono>
#include <cstdint>
#include <functional>

namespace weir {

struct lint;

/// Settings of the insight layer (system_config::insight). Invalid values are
/// rejected by the system's constructor with std::invalid_argument.
///
/// What it costs: with `enabled`, every handler writes a few relaxed stores
/// to a slot owned by its thread (which actor, which message, since when) and
/// reads one shared coarse clock; the watchdog thread wakes every `tick` to
/// read those slots (one per pool thread) and the wait list. Every
/// `growth_window / growth_samples` it also walks the tree to sample inbox
/// depths. Nothing else runs, and nothing at all while nobody waits.
struct insight_config {
  /// Per-handler stamps and the watchdog. Off: snapshots still work, but
  /// without running/longest-handler/last-progress data, and no lints.
  bool enabled = true;
  /// The watchdog's period, and the resolution of every duration insight
  /// reports (time since progress, longest handler). Must be > 0.
  clock::duration tick = std::chrono::milliseconds(5);
  /// Run the watchdog on a thread of its own (thread_pool mode only). Off,
  /// or in manual mode, the application calls system::watchdog_tick(),
  /// which is how tests drive it on a manual clock.
  bool watchdog_thread = true;

  /// A handler running longer than this is reported while it still runs.
  clock::duration blocking_threshold = std::chrono::milliseconds(100);
  /// An actor suspended on an edge, or waiting for a reply, longer than this.
  clock::duration wait_threshold = std::chrono::seconds(1);
  /// An inbox whose depth rose at every one of `growth_samples` samples
  /// spread over `growth_window`, ending at `growth_min_depth` or more.
  clock::duration growth_window = std::chrono::seconds(10);
  std::uint32_t growth_samples = 5;
  std::int64_t growth_min_depth = 1000;
  /// No handler ran anywhere for this long while some actor waits (for
  /// credit or a reply): "all actors are asleep" (Go's deadlock message),
  /// short of a cycle. Input from outside (a socket, another thread) could
  /// still wake them, which Go can rule out and weir cannot: hence a lint,
  /// and a threshold longer than a slow request.
  clock::duration quiescence_threshold = std::chrono::seconds(5);

  /// Log the actor tree at info level on SIGUSR1 (thread_pool mode).
  bool dump_on_sigusr1 = false;

  /// Told of every lint when it is first raised, on the watchdog's thread:
  /// hand it over, do not block.
  std::function<void(const lint&)> on_lint{};
};

/// Throws std::invalid_argument naming the first invalid field.
void validate(const insight_config& config);

}  // namespace weir
