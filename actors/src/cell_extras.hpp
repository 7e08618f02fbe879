#pragma once
// cell_extras.hpp (private to actors/src) — the state most actors never need.

#include <weir/detail/ask_book.hpp>
#include <weir/detail/cell.hpp>
#include <weir/detail/edge_book.hpp>
#include <weir/detail/links_monitors.hpp>
#include <weir/detail/stop_deadlines.hpp>
#include <weir/detail/timer_set.hpp>
#include <weir/mailbox/fair_picker.hpp>

#include <memory>
#include <vector>

namespace weir::detail {

// State most actors never need, made on first use (see cell::extras_).
struct cell_extras {
  timer_set timers;
  // Edges holding messages of this actor for want of credit; `suspends`:
  // a handler held one there, so the actor waits before it handles more
  // (an edge taken back after a restart only sends its held messages on).
  struct holding_edge {
    edge_state* edge;
    bool suspends;
  };
  std::vector<holding_edge> dry_edges;
  std::unique_ptr<ask_book> asks;
  std::unique_ptr<fair_picker> fair;   // null: strict priority
  std::shared_ptr<armed_timer> penalty_timer;
  clock::duration penalty_debt{};  // soft penalty owed by the current handler
  exit_reason reason;
  clock::time_point suspended_since{};

  // Supervision: set before launch by the supervisor that spawned this cell.
  bool supervised = false;
  bool brutal = false;
  clock::duration shutdown_timeout = clock::duration::max();
  // Children this actor is stopping, each with its shutdown timeout.
  stop_deadlines stop_timers;

  links_monitors links;

  // The edges this actor opened, parked across a restart (supervised only).
  edge_book parked_edges;
};

}  // namespace weir::detail
