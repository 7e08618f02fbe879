#pragma once
// weir/timer_handle.hpp — cancelling a timer an actor started.

#include <weir/detail/cell.hpp>
#include <weir/detail/timer_set.hpp>

#include <memory>

namespace weir {

/// Refers to a timer started with actor_base::start_timer or start_periodic.
/// Dropping the handle does not cancel the timer; stopping the actor does.
///
/// Thread safety: use only from the actor that started the timer.
class timer_handle {
 public:
  timer_handle() noexcept = default;

  /// Cancels the timer: its callback will not run again, even if it already
  /// fired and its signal is queued. Idempotent.
  void cancel() noexcept {
    if (auto timer = timer_.lock(); timer && owner_) owner_->cancel_timer(*timer);
  }

  /// True while the timer can still fire.
  [[nodiscard]] bool active() const noexcept {
    auto timer = timer_.lock();
    return timer && !timer->cancelled;
  }

  /// Internal: made by actor_base.
  timer_handle(detail::cell& owner, std::weak_ptr<detail::timer_state> timer) noexcept
      : owner_(&owner), timer_(std::move(timer)) {}

 private:
  detail::cell* owner_ = nullptr;
  std::weak_ptr<detail::timer_state> timer_;
};

}  // namespace weir
