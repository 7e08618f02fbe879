#pragma once
// weir/monitor.hpp — what a monitor or a link tells an actor about another one's end.

#include <weir/exit_reason.hpp>

#include <cstdint>
#include <string>

namespace weir {

using actor_id = std::uint64_t;

/// Names one monitor, to tell its down notice apart or to demonitor it.
struct monitor_ref {
  std::uint64_t value = 0;
  friend bool operator==(monitor_ref, monitor_ref) = default;
};

/// Delivered to actor_base::on_down when a monitored actor has stopped for
/// good (OTP's 'DOWN'). A monitor set on an actor that had already stopped
/// fires at once, with that actor's exit reason.
///
/// A supervised actor that is restarted has not stopped: its handle keeps
/// working, so monitors and links fire only when its supervisor gives up on
/// it (or it is a temporary child, or the tree shuts down).
struct down {
  monitor_ref ref;
  actor_id id = 0;
  std::string path;
  exit_reason reason;
};

/// Delivered to actor_base::on_linked_exit, instead of stopping the actor,
/// when a linked actor stops and this actor traps exits (OTP's 'EXIT'
/// message). Without trap_exit(true), a linked actor's exit with any reason
/// but `normal` stops this actor too, with a reason that names the other.
struct linked_exit {
  actor_id id = 0;
  std::string path;
  exit_reason reason;
};

}  // namespace weir
