#pragma once
// lint_watch.hpp — the insight_config::on_lint listener: which lints were
// raised, when, and waiting (event-driven) until the expected ones are.

#include <weir/lint.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace stuck_actor_sample {

/// A lint the scenario waits for: its kind, about which actor.
struct expected_lint {
  weir::lint_kind kind;
  std::string path;
};

/// One lint as the listener saw it.
struct sighting {
  weir::lint lint;
  double seconds = 0;  ///< since the watch was made
};

/// Handed to system_config::insight.on_lint, which calls it on the
/// watchdog's thread: it only appends under a lock and notifies.
///
/// Thread safety: every member from any thread.
class lint_watch {
 public:
  /// The listener.
  void operator()(const weir::lint& raised);

  /// Blocks until a lint matching each of `wanted` has been raised, or
  /// `deadline` passes. Returns those still missing (empty: all seen).
  std::vector<expected_lint> wait_for(const std::vector<expected_lint>& wanted,
                                      std::chrono::steady_clock::time_point deadline) const;

  [[nodiscard]] std::vector<sighting> seen() const;

 private:
  std::vector<expected_lint> missing(const std::vector<expected_lint>& wanted) const;  // under mutex_

  mutable std::mutex mutex_;
  mutable std::condition_variable raised_;
  const std::chrono::steady_clock::time_point since_ = std::chrono::steady_clock::now();
  std::vector<sighting> seen_;
};

}  // namespace stuck_actor_sample
