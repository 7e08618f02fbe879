#pragma once
// weir/detail/supervision_port.hpp — the one way supervisor/ starts, stops, restarts and releases children.

#include <weir/clock.hpp>
#include <weir/detail/cell_ptr.hpp>
#include <weir/exit_reason.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <typeinfo>

namespace weir {
class actor_base;
}

namespace weir::detail {

class cell;
class log_limiter;

/// Makes a child's behaviour at every (re)start, given the supervisor's cell
/// (to resolve siblings named in the child's arguments).
using child_factory = std::function<std::unique_ptr<actor_base>(cell& supervisor)>;

/// What a child's factory made, checked: std::invalid_argument naming the
/// child (`name`) if it made no actor, or not one of `expected`. At the
/// first start and at every restart alike.
std::unique_ptr<actor_base> require_behavior(std::unique_ptr<actor_base> made, const std::type_info& expected,
                                             const std::string& name);

/// What a supervisor needs to start a child.
struct child_start {
  std::string name;
  std::size_t inboxes = 1;
  const std::type_info* type = nullptr;  ///< what the factory must make, every time
  clock::duration shutdown_timeout = clock::duration::max();
  bool brutal = false;  ///< stop it as `killed`, skipping on_stop
};

/// The narrow port between a supervisor's policy (supervisor/, which decides
/// whom to restart, when, and when to give up) and the runtime's mechanism
/// (the child's cell, which stops, parks its edges and restarts in place).
/// supervisor/ touches children only through it; the cell's supervision
/// members are private to it.
///
/// Thread safety: on the supervisor's strand only (inside its turn).
class supervision_port {
 public:
  explicit supervision_port(cell& supervisor) noexcept : self_(supervisor) {}

  /// Builds a child's cell and behaviour under the supervisor and launches
  /// it, linked before it runs. Its exits come back as on_supervised_exit.
  /// Throws std::invalid_argument naming the child if the factory makes no
  /// actor, or not one of `start.type`, or the name is taken.
  cell_ptr start_child(const child_start& start, const child_factory& make);
  /// Asks `child` to stop and arms its shutdown timeout: past it, the child
  /// is cut off (unlinked, its name freed) and reported as killed.
  void stop_child(cell& child);
  /// Restarts an exited child in place: same cell, mailbox and edges.
  void restart_child(cell& child, child_factory make) noexcept;
  /// Makes an exited child's end final: dead letters, monitors, links.
  static void release_child(cell& child) noexcept;
  /// True once the supervisor gave up waiting for `child` to stop: a restart
  /// then needs a new cell.
  [[nodiscard]] static bool is_cut_off(const cell& child) noexcept;
  /// The supervisor itself fails with `reason` (restart intensity exceeded):
  /// its children stop newest first, then it exits upward.
  void give_up(exit_reason reason);
  [[nodiscard]] bool is_running() const noexcept;
  /// The rate-limited log, so a restart loop logs once, then its count.
  [[nodiscard]] log_limiter& limited_log() const noexcept;

 private:
  cell& self_;
};

}  // namespace weir::detail
