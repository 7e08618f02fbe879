#pragma once
// weir/testing/explorer.hpp — a scenario run under every schedule, up to a bound.

#include <weir/config.hpp>
#include <weir/testing/manual_system.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace weir::testing {

/// What a check returns: empty when it holds, otherwise what is wrong.
using check_fn = std::function<std::string()>;

/// One run of a scenario under one schedule: the scenario builds its actors
/// on `system`, queues the outside events of its script, and names what must
/// hold. The explorer then decides, step after step, what happens next.
///
/// A step is one of the choices ready at that moment:
///   - a ready actor's turn (config.batch messages; the explorer sets
///     batch = 1 unless the scenario's config says otherwise), in the order
///     the actors became ready: the first is what a one-thread pool runs;
///   - the script's next event (a send, a stop, a crash... from outside);
///   - firing the clock's next timer (a timeout, a back-off, a penalty),
///     which on a real machine can fall between any two turns.
/// A schedule ends at quiescence: no turn ready, no event left, no timer armed.
///
/// Thread safety: used on the explorer's thread only.
class schedule_run {
  // Declared before the system: checks and events may own what the actors
  // point to (a journal), which must outlive the system's shutdown.
  friend class schedule_driver;
  struct named_event {
    std::string label;
    std::function<void()> event;
  };
  struct named_check {
    std::string label;
    check_fn check;
  };
  std::vector<named_event> script_;
  std::size_t next_event_ = 0;
  std::vector<named_check> invariants_;
  std::vector<named_check> at_quiescence_;
  std::vector<named_check> after_shutdown_;

 public:
  explicit schedule_run(const system_config& config, std::uint64_t seed);

  manual_system t;
  weir::system& system;

  /// Appends an outside event to the script. Events happen one at a time, in
  /// the order added, each when the explorer chooses: before, between or
  /// after any turns.
  void script(std::string label, std::function<void()> event);
  /// Checked after every step (and at quiescence).
  void invariant(std::string label, check_fn check);
  /// Checked once the schedule is quiescent, before the system shuts down.
  void at_quiescence(std::string label, check_fn check);
  /// Checked after the explorer has shut the system down.
  void after_shutdown(std::string label, check_fn check);
  /// A generator for the scenario's own random choices (random scripts):
  /// seeded per schedule, so a failing seed replays the same script.
  std::mt19937_64 rng;

};

using scenario = std::function<void(schedule_run&)>;

/// How far to look.
struct explore_bounds {
  /// Exhaustive search: every schedule that departs from the default order
  /// (oldest ready turn first, then the script, then time) at most this many
  /// times (delay bounding, as in CHESS). nullopt: every schedule at all.
  std::optional<std::size_t> max_deviations = 2;
  /// A schedule still busy after this many steps fails as a livelock.
  std::size_t max_steps = 5'000;
  /// Stop after this many schedules, reporting the search incomplete.
  std::size_t max_schedules = 1'000'000;
  /// Random search instead: this many schedules, each choice uniform among
  /// those ready, from `seed` (each schedule's seed is printed on failure).
  std::size_t random_schedules = 0;
  std::uint64_t seed = 1;
  /// The system each schedule runs (execution and clock are set to manual).
  /// Turns handle one message each by default, so messages interleave.
  system_config config = one_message_turns();

  static system_config one_message_turns() {
    system_config c;
    c.batch = 1;
    return c;
  }
};

/// The outcome of a search.
struct exploration {
  std::size_t schedules = 0;   ///< schedules run to the end
  std::size_t steps = 0;       ///< steps over all schedules
  bool exhausted = false;      ///< exhaustive search: every schedule within the bound was run
  /// The first violation: which check, what it said, and the schedule that
  /// led there, one line per step ("turn /sup/w2", "event: crash w0",
  /// "timer"), ready to paste into a regression test.
  std::optional<std::string> failure;
  std::vector<std::size_t> failing_choices;  ///< replay() takes these
  std::uint64_t failing_seed = 0;            ///< the schedule's scenario seed

  /// One line: "<n> schedules, <m> steps, exhaustive|bounded|random; OK" or the failure.
  [[nodiscard]] std::string summary() const;
};

/// Runs `s` under every schedule within `bounds` (or random ones), checking
/// after each step; stops at the first violation.
exploration explore(const scenario& s, const explore_bounds& bounds);

/// Runs `s` once under the schedule `choices` (from exploration::failing_choices),
/// with the scenario seed `seed`. Returns the same kind of result.
exploration replay(const scenario& s, const std::vector<std::size_t>& choices, std::uint64_t seed,
                   const explore_bounds& bounds = {});

/// The explorer's built-in checks, added to every schedule:
///   - after every step, each edge's law: sent = handled + refused + dropped
///     + coalesced + dead-lettered + depth, with depth >= 0 (nothing lost or
///     counted twice; between steps nothing runs, so it is exact);
///   - at quiescence: no actor stays exited or stopping (a supervisor either
///     restored its child or gave up and took it down); no actor is
///     suspended or waits for a reply unless a deadlock was reported; no
///     actor that could run holds queued messages; an edge into an idle
///     actor has nothing in flight and all its credit back;
///   - after shutdown: no actor is left alive (no orphans) and nothing waits.
/// Exposed so tests can run them on a system of their own.
std::string check_edge_laws(weir::system& sys);
std::string check_quiescent(weir::system& sys);
std::string check_shut_down(weir::system& sys);

}  // namespace weir::testing
