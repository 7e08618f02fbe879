#pragma once
// weir/detail/timer_set.hpp — the timers an actor started and has not cancelled.

#include <weir/clock.hpp>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace weir::detail {

/// One timer started by an actor (actor_base::start_timer, start_periodic).
/// Its firings reach the actor as signals, so one may arrive after it was
/// cancelled: `cancelled` tells it to do nothing then.
struct timer_state {
  std::function<void()> callback;
  bool periodic = false;
  bool cancelled = false;
  std::shared_ptr<armed_timer> armed;
};

/// The live timers of one actor. The set owns them; a timer_handle and a
/// firing in flight only refer to one (weakly, or as a shared owner of a
/// state whose `cancelled` says it is over).
///
/// Thread safety: none; only the owning actor's strand touches its set. The
/// clock calls what `arm` armed on any thread: it must only hand a signal over.
class timer_set {
 public:
  /// Starts a timer running `callback` once, or every period if `periodic`;
  /// `arm(weak)` arms it on the clock, to hand `weak` to the actor at each firing.
  template <class Arm>
  std::shared_ptr<timer_state> start(std::function<void()> callback, bool periodic, Arm&& arm) {
    auto timer = std::make_shared<timer_state>();
    timer->callback = std::move(callback);
    timer->periodic = periodic;
    timer->armed = std::forward<Arm>(arm)(std::weak_ptr<timer_state>(timer));
    timers_.push_back(timer);
    return timer;
  }
  /// Stops `timer`: no firing of it runs its callback any more. Idempotent.
  void cancel(timer_state& timer) noexcept;
  /// A firing of `timer` reached the actor: runs its callback unless it was
  /// cancelled meanwhile. A one-shot timer is over before its callback runs
  /// (which may throw: user code).
  void fire(const std::shared_ptr<timer_state>& timer);
  /// Cancels every timer (the actor stops).
  void cancel_all() noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return timers_.size(); }

 private:
  std::vector<std::shared_ptr<timer_state>> timers_;
};

}  // namespace weir::detail
