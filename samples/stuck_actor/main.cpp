// stuck_actor — sample S5, "insight into a running system": a service hangs,
// and weir says who is stuck and why, live, in one call.
//
// Three stuck situations under a small supervisor tree (see scenario.hpp),
// on real threads:
//
//   (a) /shop/orders/db: a handler waits on a lock held outside the actor
//       system, blocking its pool thread. Raised as blocking_handler; the
//       snapshot shows it running, with the message type and for how long.
//   (b) /shop/orders/checkout: sent 6 orders over bounded(4) into the
//       blocked db, so it is suspended. Raised as long_wait; the snapshot
//       shows it suspended, waiting for credit on checkout -> db.
//   (c) /shop/telemetry/collector floods /shop/telemetry/indexer over a plain
//       unbounded edge (no credit, no soft penalty) twice as fast as the
//       indexer can go. Raised as inbox_growth; the snapshot shows the
//       queue and the edge's counts.
//
// The watchdog (insight_config, thresholds shortened for a run of a few
// seconds) raises the lints; main waits for all three on the on_lint
// listener, without polling. It then prints each lint, the tree as
// system.tree_text() renders it and a line per situation from the same
// snapshot, checked. Then it releases everything (opens the lock, stops the
// flood, tells the indexer to catch up), waits for the drain, shuts down
// and checks that every order and every metric was handled: no dead
// letters, no crashes.
//
//     stuck_actor [--threads T] [--timeout S] [--quiet]
//
// Exit status: 0 if every check held; 1 if a lint never came or a check
// failed (printed on stderr); 2 for a bad command line.

#include "options.hpp"
#include "scenario.hpp"

#include <cstdio>
#include <exception>
#include <optional>

int main(int argc, char** argv) {
  using namespace stuck_actor_sample;
  const std::optional<options> opts = parse_options(argc, argv);
  if (!opts) return bad_usage;
  if (opts->help) return as_expected;
  try {
    return run_scenario(*opts);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "stuck_actor: FAILED: %s\n", e.what());
    return check_failed;
  }
}
