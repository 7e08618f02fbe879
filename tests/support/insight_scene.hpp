#pragma once
// insight_scene.hpp — a manual system holding one of everything insight shows.

#include <weir/testing/manual_system.hpp>

#include "journal.hpp"

#include <spdlog/logger.h>

#include <memory>

namespace weir::test {

/// A manual-mode system, quiescent once constructed, whose snapshot has:
///
///     /sup            a one_for_one supervisor (idle)
///       /sup/a        a probe restarted once after a crash
///       /sup/b        a probe
///     /producer       suspended: sent 3 on a bounded(2) edge to /consumer, and
///                     holds the third at its end of the edge
///     /consumer       paused (testing::hold), 2 unconsumed on that edge
///     /asker          waiting-reply: asked /mute, which keeps the token
///     /mute
///     /left, /right   a deadlocked pair (bounded(1) both ways, each holding a
///                     second token): one cycle
///
/// and two closed edges into /gone, an actor stopped for good: one from the
/// test's thread (bounded(2)), one ad hoc, each with one message handled;
/// then two quiet seconds pass on its manual clock between two watchdog
/// ticks, so the waits are two seconds old and raise long_wait lints, and a
/// quiescent_waiters lint stands for the whole system (thresholds 1 s). Ad
/// hoc inboxes (no capacity) and bounded ones (capacity, credits) both appear.
///
/// Thread safety: the test's thread only, like manual_system.
struct insight_scene {
  explicit insight_scene(std::shared_ptr<spdlog::logger> logger);

  journal j;
  weir::testing::manual_system t;
};

}  // namespace weir::test
