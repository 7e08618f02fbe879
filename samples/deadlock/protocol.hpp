#pragma once
// protocol.hpp — what the coordinator and the worker say to each other.

#include <weir/handle.hpp>

#include <cstddef>

namespace deadlock_sample {

/// The worker's answer: results go up the worker -> coordinator edge.
struct result {
  std::size_t id = 0;
  std::size_t value = 0;  ///< id * id: checked on arrival
};

/// What the worker may send to the coordinator (and so, what its edge carries).
using results_interface = weir::interface<result>;

/// Work for the worker: requests go down the coordinator -> worker edge,
/// with whom to answer.
struct request {
  std::size_t id = 0;
  weir::handle<results_interface> reply_to;
};

/// The coordinator's own tick: send the next request. One request per turn,
/// so the coordinator never overdraws its edge: it is suspended exactly when
/// its credit is spent.
struct pump {};

/// From main: begin sending.
struct go {};

}  // namespace deadlock_sample
