#include <weir/actor.hpp>

#include <stdexcept>

namespace weir {
namespace {

detail::cell& claim_cell_under_construction() {
  detail::cell* c = detail::construction_scope::claim();
  if (c == nullptr) {
    throw std::logic_error(
        "weir: actors are created by system::spawn or actor_base::spawn, never directly");
  }
  return *c;
}

}  // namespace

actor_base::actor_base() : cell_(claim_cell_under_construction()) {}

timer_handle actor_base::start_timer(clock::duration after, std::function<void()> on_fire) {
  return timer_handle(cell_, cell_.start_timer(after, clock::duration::zero(), std::move(on_fire)));
}

timer_handle actor_base::start_periodic(clock::duration period, std::function<void()> on_tick) {
  if (period <= clock::duration::zero()) {
    throw std::invalid_argument("weir::actor_base::start_periodic: period must be positive");
  }
  return timer_handle(cell_, cell_.start_timer(period, period, std::move(on_tick)));
}

weir::system& actor_base::system() const noexcept { return *cell_.rt().owner; }

}  // namespace weir
