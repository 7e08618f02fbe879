// actor_system_config shared by the CAF 0.17 peers.
//
// Everything is CAF's default (work-stealing scheduler, unlimited throughput
// per resume, default spin/sleep policy) except the worker count: CAF 0.17
// defaults to max(hardware_concurrency, 4) workers, which oversubscribes
// small boxes. We pin it to hardware_concurrency: one worker per core, the
// same thread budget the raw floors get.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>

#include <caf/actor_system_config.hpp>

namespace bench {

struct caf_config : caf::actor_system_config {
  caf_config() {
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    set("scheduler.max-threads", cores);
  }
};

} // namespace bench
