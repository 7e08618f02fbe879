#pragma once
// weir/testing/manual_system.hpp — a deterministic system for tests, in one object.

#include <weir/system.hpp>
#include <weir/testing/manual_clock.hpp>
#include <weir/testing/manual_executor.hpp>

#include <memory>

namespace weir::testing {

/// A system in manual mode on a manual clock, with its executor:
///
///     weir::testing::manual_system t;
///     auto counter = t.system.spawn<counter_actor>("counter");
///     counter.send(add{2});
///     t.run_until_idle();            // every turn that can run, runs
///     t.advance(std::chrono::seconds(1)); // fire due timers, then run them
///
/// Thread safety: use from the test's thread only.
class manual_system {
 public:
  explicit manual_system(system_config config = {});

  std::shared_ptr<manual_clock> clock;
  weir::system system;
  manual_executor executor;

  bool run_one() { return executor.run_one(); }
  std::size_t run_until_idle() { return executor.run_until_idle(); }
  /// Advances the clock, then runs until idle. Returns the steps run.
  std::size_t advance(clock::duration by);

 private:
  static system_config manual(system_config config, const std::shared_ptr<manual_clock>& clock);
};

/// Makes `actor` handle nothing but control signals (stop, credit...) from
/// its next turn on, as if it were very slow, until release(). Lets a test
/// build back pressure deterministically.
void hold(detail::cell& actor);
void release(detail::cell& actor);
/// Manual mode only: no turn of `actor` runs from now until unstall(), as
/// if one of its handlers blocked its thread (for shutdown timeouts, stuck
/// actors). Messages and signals keep queueing meanwhile.
void stall(detail::cell& actor);
void unstall(detail::cell& actor);
template <class I>
void stall(const handle<I>& actor) {
  stall(detail_cell(actor));
}
template <class I>
void unstall(const handle<I>& actor) {
  unstall(detail_cell(actor));
}
template <class I>
void hold(const handle<I>& actor) {
  hold(detail_cell(actor));
}
template <class I>
void release(const handle<I>& actor) {
  release(detail_cell(actor));
}

}  // namespace weir::testing
