#include <weir/detail/timer_set.hpp>

namespace weir::detail {

void timer_set::cancel(timer_state& timer) noexcept {
  if (timer.cancelled) return;
  timer.cancelled = true;
  if (timer.armed) timer.armed->cancel();
  std::erase_if(timers_, [&](const auto& t) { return t.get() == &timer; });
}

void timer_set::fire(const std::shared_ptr<timer_state>& timer) {
  if (timer->cancelled) return;  // cancelled after it fired
  if (!timer->periodic) cancel(*timer);
  timer->callback();
}

void timer_set::cancel_all() noexcept {
  for (auto& timer : timers_) {
    timer->cancelled = true;
    if (timer->armed) timer->armed->cancel();
  }
  timers_.clear();
}

}  // namespace weir::detail
