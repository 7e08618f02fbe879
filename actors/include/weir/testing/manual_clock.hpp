#pragma once
// weir/testing/manual_clock.hpp — time that moves only when a test says so.

#include <weir/clock.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace weir::testing {

/// A clock for deterministic tests: now() stands still until advance(), which
/// fires every due timer in deadline order (ties in the order they were armed),
/// each at its own deadline, periodic ones as often as they fall due.
///
/// Firing a weir timer only queues a signal in the actor's mailbox; run the
/// system's manual_executor afterwards to let the actors handle them.
///
/// Thread safety: all members may be called from any thread.
class manual_clock final : public clock {
 public:
  explicit manual_clock(time_point start = time_point{}) : now_(start) {}

  [[nodiscard]] time_point now() const noexcept override;
  [[nodiscard]] std::shared_ptr<armed_timer> arm(time_point deadline, duration period,
                                                 std::function<void()> fire) override;

  /// Moves time forward by `by` (>= 0), firing what falls due. Returns how
  /// many times a timer fired.
  std::size_t advance(duration by);
  /// Moves time to the next deadline (if any) and fires what falls due then.
  /// Returns false if no timer is armed. Lets a test step from event to event
  /// instead of guessing a step size.
  bool advance_to_next();
  /// Timers armed and not cancelled (once-timers that fired are gone).
  [[nodiscard]] std::size_t pending() const;

  /// Does not block: records `d` (see sleeps()) and advances time by `d`
  /// plus the oversleep set below, firing what falls due, as a real sleep
  /// would have let time pass.
  void sleep_for(duration d) override;
  /// Every later sleep_for lasts `extra` (>= 0) longer than asked, like an
  /// OS sleep rounded up by timer slack.
  void oversleep_by(duration extra);
  /// The durations asked of sleep_for, in order.
  [[nodiscard]] std::vector<duration> sleeps() const;

 private:
  class entry;
  // Keyed by (deadline, arming sequence): iteration order is firing order.
  using key = std::pair<time_point, std::uint64_t>;

  void cancel(const key& k);

  mutable std::mutex mutex_;
  time_point now_;
  std::uint64_t sequence_ = 0;
  std::map<key, std::shared_ptr<entry>> due_;
  duration oversleep_{};
  std::vector<duration> sleeps_;
};

}  // namespace weir::testing
