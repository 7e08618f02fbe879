#include <weir/actor.hpp>
#include <weir/detail/duration_text.hpp>
#include <weir/detail/supervision_port.hpp>

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

actor_base::executor_type actor_base::executor() const { return {detail::cell_ptr(&cell_), cell_.restarts()}; }

timer_handle actor_base::start_timer(clock::duration after, std::function<void()> on_fire) {
  if (after < clock::duration::zero()) {
    throw std::invalid_argument("weir::actor_base::start_timer: delay must not be negative, got " +
                                detail::milliseconds_text(after));
  }
  detail::require_callback(on_fire, "weir::actor_base::start_timer: on_fire");
  return timer_handle(cell_, cell_.start_timer(after, clock::duration::zero(), std::move(on_fire)));
}

timer_handle actor_base::start_periodic(clock::duration period, std::function<void()> on_tick) {
  if (period <= clock::duration::zero()) {
    throw std::invalid_argument("weir::actor_base::start_periodic: period must be positive, got " +
                                detail::milliseconds_text(period));
  }
  detail::require_callback(on_tick, "weir::actor_base::start_periodic: on_tick");
  return timer_handle(cell_, cell_.start_timer(period, period, std::move(on_tick)));
}

weir::system& actor_base::system() const noexcept { return *cell_.rt().owner; }

monitor_ref actor_base::monitor_cell(detail::cell& target) {
  const std::uint64_t ref = cell_.next_monitor_ref();
  target.watch_later(detail::down_notice_to(cell_, ref));
  return monitor_ref{ref};
}

void actor_base::link_cell(detail::cell& peer) {
  cell_.add_link(detail::cell_ptr(&peer));
  peer.link_later(detail::cell_ptr(&cell_));
}

void actor_base::on_supervised_exit(detail::cell& child, const exit_reason& reason) {
  (void)reason;
  detail::supervision_port::release_child(child);
}

detail::watcher detail::down_notice_to(cell& watcher_cell, std::uint64_t ref) {
  return watcher{ref, [to = cell_ptr(&watcher_cell), ref](const cell& stopped, const exit_reason& reason) {
                   to->down_later(down{monitor_ref{ref}, stopped.id(), stopped.path(), reason});
                 }};
}

}  // namespace weir
