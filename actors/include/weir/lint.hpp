#pragma once
// weir/lint.hpp — something the watchdog found wrong with a running system.

#include <weir/wait_record.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

/// What a lint is about (see insight_config for the thresholds).
enum class lint_kind : std::uint8_t {
  blocking_handler,   ///< a handler has run longer than blocking_threshold, and still runs
  inbox_growth,       ///< an actor's queue grew at every sample over growth_window
  long_wait,          ///< suspended on an edge, or waiting for a reply, past wait_threshold
  quiescent_waiters,  ///< nothing ran for quiescence_threshold while actors wait
};
/// How many lint kinds there are: one past the last.
inline constexpr std::size_t lint_kinds = static_cast<std::size_t>(lint_kind::quiescent_waiters) + 1;

constexpr std::string_view to_string(lint_kind k) noexcept {
  switch (k) {
    case lint_kind::blocking_handler: return "blocking_handler";
    case lint_kind::inbox_growth: return "inbox_growth";
    case lint_kind::long_wait: return "long_wait";
    case lint_kind::quiescent_waiters: return "quiescent_waiters";
  }
  return "?";
}

/// One finding. It stays in system_snapshot::lints while the condition holds,
/// and is logged (warn) and passed to insight_config::on_lint once, when raised.
struct lint {
  lint_kind kind = lint_kind::blocking_handler;
  actor_id actor = 0;        ///< 0 for quiescent_waiters (the whole system)
  std::string path;          ///< the actor's path; empty for quiescent_waiters
  std::chrono::milliseconds lasting{0};  ///< how long the condition has held so far
  /// blocking_handler: the message type being handled; long_wait: the edge or
  /// actor waited on; inbox_growth: the depths sampled, oldest first;
  /// quiescent_waiters: every waiter and what it waits on.
  std::string detail;

  /// "blocking_handler: /svc/db has been handling db::query for 250 ms"
  [[nodiscard]] std::string to_string() const;
};

}  // namespace weir
