// actor_system_config shared by the CAF 0.17 peers.
//
// Everything is CAF's default (work-stealing scheduler, unlimited throughput
// per resume, default spin/sleep policy) except the worker count: CAF 0.17
// defaults to max(hardware_concurrency, 4) workers, which oversubscribes
// small boxes. We pin it to hardware_concurrency: one worker per core, the
// same thread budget the raw floors get; or to the --threads N a peer was
// given (bench::take_threads), to compare with weir at the same count.
#pragma once

#include <cstddef>

#include <caf/actor_system_config.hpp>

#include "bench.hpp"

namespace bench {

struct caf_config : caf::actor_system_config {
  explicit caf_config(std::size_t threads = hardware_threads()) {
    set("scheduler.max-threads", threads);
  }
};

} // namespace bench
