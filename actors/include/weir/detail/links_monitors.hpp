#pragma once
// weir/detail/links_monitors.hpp — who learns of an actor's exit, and whose exits it follows.

#include <weir/detail/cell.hpp>

#include <cstdint>
#include <vector>

namespace weir::detail {

/// One actor's side of its links and monitors (see monitor.hpp), with OTP's
/// rules: links go both ways (each side lists the other), a monitor goes one
/// way and is named by a ref, and a demonitored ref's down notice is dropped
/// even if it was already on its way (the flush semantics).
///
/// It holds state only: the cell sends the notices (see cell::on_linked_exit,
/// cell::notify_watchers).
///
/// Thread safety: none; only the owning actor's strand touches it (or the
/// spawning thread, before the actor runs).
class links_monitors {
 public:
  /// Tells `w` when this actor stops for good.
  void add_watcher(watcher w);
  /// Links to `peer` (once, however often it is asked).
  void add_link(const cell_ptr& peer);
  /// Unlinks from `peer`, if linked.
  void drop_link(const cell& peer) noexcept;
  /// Takes the link to `peer` out; false if there was none (unlinked meanwhile).
  [[nodiscard]] bool take_link(const cell& peer) noexcept;

  /// Opens a monitor of this actor's own and returns its ref.
  std::uint64_t open_monitor();
  void demonitor(std::uint64_t ref) noexcept;
  /// A down notice for `ref` arrived: true (and the monitor is over) if it
  /// is still live, false if it was demonitored.
  [[nodiscard]] bool take_monitor(std::uint64_t ref) noexcept;

  void set_trap_exit(bool trap) noexcept { trap_exit_ = trap; }
  [[nodiscard]] bool trap_exit() const noexcept { return trap_exit_; }

  /// The actor stops for good: hands over whom to tell, and forgets them.
  [[nodiscard]] std::vector<watcher> take_watchers() noexcept;
  [[nodiscard]] std::vector<cell_ptr> take_links() noexcept;

 private:
  std::vector<watcher> watchers_;          // told when this actor stops for good
  std::vector<cell_ptr> links_;            // both ways: each side lists the other
  std::vector<std::uint64_t> monitoring_;  // refs of this actor's own live monitors
  std::uint64_t next_monitor_ = 1;
  bool trap_exit_ = false;
};

}  // namespace weir::detail
