#pragma once
// weir/config.hpp — how an actor system is set up.

#include <weir/deadlock.hpp>
#include <weir/insight_config.hpp>
#include <weir/log_repeats_config.hpp>
#include <weir/mailbox/policy.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>

namespace spdlog {
class logger;
}

namespace weir {

class clock;

/// Who runs the actors' turns.
enum class execution_mode : std::uint8_t {
  /// A pool of `threads` threads runs the system's io_context (production).
  thread_pool,
  /// Nobody does until told: a testing::manual_executor runs one turn at a
  /// time on the calling thread, which makes tests deterministic.
  manual,
};

constexpr std::string_view to_string(execution_mode m) noexcept {
  return m == execution_mode::thread_pool ? "thread_pool" : "manual";
}

/// Settings of an actor system. Invalid values are rejected by the system's
/// constructor with std::invalid_argument naming the field.
struct system_config {
  execution_mode execution = execution_mode::thread_pool;

  /// Pool size in thread_pool mode; must be >= 1. Ignored in manual mode.
  std::size_t threads = default_threads();

  /// At most this many messages are handled per turn before the actor yields
  /// its thread to others (fairness vs. throughput); must be >= 1.
  std::size_t batch = 64;

  /// The policy of ad-hoc sends (handle::send, no edge of their own):
  /// unbounded with the soft penalty, so they never deadlock and still push
  /// back on a sender that floods a slow actor. Explicit edges choose their own.
  unbounded adhoc{};

  /// The clock timers run on. Null means the real steady clock. Tests pass a
  /// testing::manual_clock to fire timers by hand.
  std::shared_ptr<weir::clock> clock{};

  /// Where the runtime logs (crashes, dead letters, lifecycle). Null means a
  /// logger named "weir" writing to stderr at level info. The library never
  /// writes to stdout.
  std::shared_ptr<spdlog::logger> logger{};
  /// How lines that repeat (a deadlock, a crash loop, a flapping lint) are
  /// logged once, then summarised with a count (see log_repeats_config.hpp).
  log_repeats_config log_repeats{};

  /// What happens when a wait closes a cycle in the wait-for graph (see
  /// deadlock.hpp). It is always logged at error level first (repeats of
  /// the same cycle within log_repeats.window are counted, not logged).
  deadlock_remedy deadlock = deadlock_remedy::report;
  /// Told of every wait-for cycle, on the thread of the actor whose wait
  /// closed it, inside its turn: hand the report over, do not block.
  std::function<void(const deadlock_report&)> on_deadlock{};

  /// Snapshots, the watchdog and its lints (see insight_config.hpp).
  insight_config insight{};

  static std::size_t default_threads() noexcept {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
  }
};

/// Throws std::invalid_argument naming the first invalid field.
void validate(const system_config& config);

}  // namespace weir
