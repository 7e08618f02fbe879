#pragma once
// weir/weir.hpp — everything a user of the runtime needs.

#include <weir/actor.hpp>
#include <weir/ask.hpp>
#include <weir/clock.hpp>
#include <weir/coalescing.hpp>
#include <weir/config.hpp>
#include <weir/deadlock.hpp>
#include <weir/edge.hpp>
#include <weir/edge_stats.hpp>
#include <weir/exit_reason.hpp>
#include <weir/handle.hpp>
#include <weir/inbox.hpp>
#include <weir/request.hpp>
#include <weir/send_result.hpp>
#include <weir/system.hpp>
#include <weir/timer_handle.hpp>

// actor_base::log() hands out the runtime's spdlog logger; users of the
// umbrella header can call it without another include.
#include <spdlog/logger.h>
