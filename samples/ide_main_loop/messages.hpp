#pragma once
// messages.hpp — what the client, the main loop and the worker say to each other.

#include <weir/clock.hpp>
#include <weir/coalescing.hpp>

#include <cstdint>
#include <string>

namespace ide_main_loop {

/// client -> main loop, over the bounded request edge.
struct request {
  std::uint64_t id = 0;
  std::uint32_t phase = 0;  // the scenario phase the client was in when it sent it
  weir::clock::time_point sent_at{};
  /// The main loop's handled-message count when it was sent: what the request
  /// then waits behind is measured in main-loop messages (deterministic).
  std::uint64_t loop_handled_at_send = 0;
};

/// main loop -> client, over a never-blocking edge.
struct answer {
  std::uint64_t id = 0;
};

/// main loop -> worker, over the bounded forward edge.
struct job {
  std::uint64_t id = 0;
};

/// worker -> main loop, over the never-blocking back edge.
struct job_done {
  std::uint64_t id = 0;
};

/// file watcher -> main loop: the paths changed since the main loop last
/// looked, or `overflow`: too many to list, rescan everything.
using path_batch = weir::key_batch<std::string>;

}  // namespace ide_main_loop
