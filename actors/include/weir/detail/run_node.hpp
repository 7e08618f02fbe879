#pragma once
// weir/detail/run_node.hpp — the scheduler's hook in everything it runs.

#include <cstdint>

namespace weir::detail {

/// What the scheduler queues: an actor with a turn to run (see
/// scheduler.hpp). The links belong to the scheduler, so queueing never
/// allocates; a node sits in at most one queue at a time, since an actor
/// has at most one turn in flight.
struct run_node {
  run_node* run_next = nullptr;
  run_node* run_prev = nullptr;
};

/// Where a ready turn goes, relative to the thread that made it ready.
enum class run_order : std::uint8_t {
  /// Runs next on this thread (the turn that woke it is ending): keeps a
  /// request/reply chain on one core, and a spawn tree depth-first.
  next,
  /// Runs soon: the front of this thread's queue, where an idle thread may
  /// steal it (the waking turn goes on working).
  soon,
  /// Runs after what is queued here already: a turn that used up its batch
  /// yields to the others.
  later,
};

}  // namespace weir::detail
