// The supervisor's port onto its children's cells (see supervision_port.hpp).

#include <weir/detail/supervision_port.hpp>

#include <weir/actor.hpp>
#include <weir/detail/cell.hpp>
#include <weir/detail/type_name.hpp>

#include <stdexcept>

namespace weir::detail {

std::unique_ptr<actor_base> require_behavior(std::unique_ptr<actor_base> made, const std::type_info& expected,
                                             const std::string& name) {
  if (!made) throw std::invalid_argument("child '" + name + "': factory returned no actor");
  if (typeid(*made) != expected) {
    throw std::invalid_argument("child '" + name + "': factory made a " + type_name(typeid(*made)) + ", not a " +
                                type_name(expected));
  }
  return made;
}

cell_ptr supervision_port::start_child(const child_start& start, const child_factory& make) {
  cell_ptr child = make_cell(self_.rt_shared(), cell_ptr(&self_), start.name, start.inboxes);
  {
    construction_scope scope(*child);
    child->attach_behavior(require_behavior(make(self_), *start.type, start.name));
  }
  child->make_supervised(start.shutdown_timeout, start.brutal);
  cell::hand_to_parent(child);
  return child;
}

void supervision_port::stop_child(cell& child) { self_.stop_child(child); }

void supervision_port::restart_child(cell& child, child_factory make) noexcept {
  child.restart_later([make = std::move(make), parent = cell_ptr(&self_)] { return make(*parent); });
}

void supervision_port::release_child(cell& child) noexcept { child.release_later(); }

bool supervision_port::is_cut_off(const cell& child) noexcept { return child.is_cut_off(); }

void supervision_port::give_up(exit_reason reason) { self_.begin_stop(std::move(reason)); }

bool supervision_port::is_running() const noexcept { return self_.is_running(); }

log_limiter& supervision_port::limited_log() const noexcept { return *self_.rt().limited_log; }

}  // namespace weir::detail
