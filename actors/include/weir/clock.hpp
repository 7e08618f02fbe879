#pragma once
// weir/clock.hpp — the time seam: real time in production, manual time in tests.

#include <chrono>
#include <functional>
#include <memory>

namespace boost::asio {
class io_context;  // only make_real_clock names it: a header that holds a
                   // clock::duration must not compile Asio
}  // namespace boost::asio

namespace weir {

/// A timer armed on a clock. cancel() is idempotent; after it returns the
/// clock calls the timer's callback no more (a call already under way on
/// another thread may still finish).
///
/// Thread safety: cancel() may be called from any thread.
class armed_timer {
 public:
  virtual ~armed_timer() = default;
  virtual void cancel() noexcept = 0;
};

/// Where the runtime reads the time and arms timers. Everything in weir that
/// waits (actor timers; later restart intensity, ask timeouts, lints) goes
/// through this interface, so tests can drive time by hand.
///
/// Thread safety: all members may be called from any thread.
class clock {
 public:
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<std::chrono::steady_clock, duration>;

  virtual ~clock() = default;

  [[nodiscard]] virtual time_point now() const noexcept = 0;

  /// Calls `fire` at `deadline`, then every `period` after it if `period` is
  /// positive, until cancelled. `fire` runs on an arbitrary thread and must
  /// only hand work over (weir's callbacks enqueue a message), never block.
  [[nodiscard]] virtual std::shared_ptr<armed_timer> arm(time_point deadline, duration period,
                                                         std::function<void()> fire) = 0;

  /// Blocks the calling thread for at least `d` of this clock's time. Only a
  /// thread that is not an actor ever sleeps (to pay a soft penalty, see
  /// foreign_penalty.hpp); actors wait on timers instead. The manual clock
  /// moves its time forward instead of blocking.
  virtual void sleep_for(duration d) = 0;
};

/// The production clock: std::chrono::steady_clock, timers on `io`.
std::shared_ptr<clock> make_real_clock(boost::asio::io_context& io);

}  // namespace weir
