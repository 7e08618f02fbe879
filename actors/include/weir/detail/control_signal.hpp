#pragma once
// weir/detail/control_signal.hpp — runtime signals: plain structs in one envelope type.

#include <weir/detail/cell.hpp>
#include <weir/exit_reason.hpp>
#include <weir/monitor.hpp>

#include <cstdint>
#include <memory>
#include <typeinfo>
#include <utility>
#include <variant>

namespace weir::detail {

/// What the runtime tells an actor, as opposed to what users send it. Each
/// signal is a plain value; signal_envelope carries one, and one visitor (see
/// control_signal.cpp) applies it to the receiving cell on its strand.
///
/// A signal waits in the control inbox (it acts even while the actor is
/// suspended, paused or held) unless it declares `inbox = callback_inbox`:
/// those run user code, so they wait like user code does, and name that code
/// (`callback`) for the crash log.
namespace signals {

struct stop {
  exit_reason reason;
};

struct adopt {
  cell_ptr child;
};

struct child_stopped {
  cell_ptr child;
};

/// A supervised child ended (crash, quit, stop); its parent decides.
struct child_exited {
  cell_ptr child;
  exit_reason reason;
};

struct restart {
  behavior_factory make;
};

struct release {};

struct stop_timeout {
  cell_ptr child;
};

struct watch {
  cell_ptr target;
  watcher observer;
};

/// The other half of a link: `peer` linked to the receiver.
struct link {
  cell_ptr target;
  cell_ptr peer;
};

struct unlink {
  const cell* peer;  // an identity: compared, never dereferenced
};

/// A linked actor stopped for good.
struct linked_stop {
  cell_ptr from;
  exit_reason reason;
};

/// For the behaviour's on_down.
struct down_notice {
  static constexpr inbox_index inbox = callback_inbox;
  static constexpr const char* callback = "on_down";
  down notice;
};

/// For the behaviour's on_linked_exit (it traps exits).
struct linked_exit_notice {
  static constexpr inbox_index inbox = callback_inbox;
  static constexpr const char* callback = "on_linked_exit";
  linked_exit notice;
};

struct timer_fired {
  static constexpr inbox_index inbox = callback_inbox;
  static constexpr const char* callback = "a timer callback";
  std::shared_ptr<timer_state> timer;
};

/// Credit came back on the edge a suspended actor waits on. The edge is only
/// an identity: compared, never dereferenced, so a stale one is harmless.
struct credit {
  const edge_state* edge;
};

/// Holds or releases an actor (testing::hold).
struct hold {
  bool held;
};

struct resume_inbox {};

struct penalty_paid {};

/// An ask ended without a reply (timeout, or the token was dropped). It runs
/// the asker's error continuation: user code.
struct ask_failed {
  static constexpr inbox_index inbox = callback_inbox;
  static constexpr const char* callback = "an ask continuation (failed)";
  std::uint64_t id;
  std::uint8_t error;
};

}  // namespace signals

using control_signal =
    std::variant<signals::stop, signals::adopt, signals::child_stopped, signals::child_exited, signals::restart,
                 signals::release, signals::stop_timeout, signals::watch, signals::link, signals::unlink,
                 signals::linked_stop, signals::down_notice, signals::linked_exit_notice, signals::timer_fired,
                 signals::credit, signals::hold, signals::resume_inbox, signals::penalty_paid, signals::ask_failed>;

/// The one envelope type of runtime signals.
class signal_envelope : public cell_envelope {
 public:
  explicit signal_envelope(control_signal signal);

  /// Applies the signal to `receiver` (control_signal.cpp's visitor).
  void deliver(cell& receiver) override;
  /// The signal's own type (signals::stop, ...), for logs and the watchdog.
  [[nodiscard]] const std::type_info& type() const noexcept override;
  /// The user code a callback-inbox signal runs; null for control signals.
  [[nodiscard]] const char* callback() const noexcept override;
  /// What a signal the receiver will never handle still owes (an adoption
  /// aborts its child, a watch fires at once, ...).
  void on_undelivered() noexcept override;

 private:
  control_signal signal_;
};

/// Queues `signal` to `to`. For noexcept paths (credit, stop, releases):
/// running out of memory for it is logged, not thrown; `what` names the
/// action for that log line. If `to`'s mailbox is closed the signal is
/// treated as undelivered.
void post_signal(cell& to, const char* what, control_signal signal) noexcept;

}  // namespace weir::detail
