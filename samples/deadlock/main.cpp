// deadlock — sample S3, "deadlock is a cycle in the wait-for graph, and the
// runtime can see it".
//
//   /pipeline               a weir::supervisor, one_for_one
//     /pipeline/worker      answers each request with a result
//     /pipeline/coordinator sends N requests, reads the results
//
// Both edges are bounded (capacity C, default 4): requests down
// (coordinator -> worker), results up (worker -> coordinator). The
// coordinator sends every request before it reads any result (its own
// "send the next one" tick is in a preferred inbox), the worker answers each
// request at once: both sides send at once, the S2 mistake. The worker fills
// the results edge and holds one more result, so it is suspended; the
// coordinator fills the requests edge and holds one more request, so it is
// suspended: each waits for credit that only the other can give.
//
// weir keeps the wait-for graph. The wait that closes the cycle finds it,
// and inside that same turn weir logs it (error level), tells the
// on_deadlock listener (cycle_watch.cpp, which prints it at once: both
// paths, both edges with message type, depth and capacity), then applies
// the remedy chosen with --remedy:
//
//   grant_credit  one edge of the cycle gets one credit beyond its capacity;
//                 its sender resumes and the run finishes (the default)
//   fail_one      the actor whose wait closed the cycle crashes and the
//                 supervisor restarts it, mailbox kept; a new incarnation
//                 opens its edge afresh, with full credit, and the run
//                 finishes. Progress lives in a ledger outside the actors
//                 (ledger.hpp), so a restart loses nothing
//   report        nothing more: the program sees the cycle stay (no progress,
//                 waits remain) and exits with status 3
//
// Then it prints and checks the accounting: every request sent, handled
// once and answered once, crashes and restarts as the remedy implies.
//
//     deadlock [--remedy report|fail_one|grant_credit] [--manual]
//              [--requests N] [--capacity C] [--threads T] [--quiet]
//
// --manual runs it on weir's manual executor, one turn per step, the same
// every time, and shows the report was made in the step where the cycle
// formed. Exit status: 0 done as the remedy promises, 3 cycle left in
// place (report), 1 a check failed, 2 bad usage.

#include "options.hpp"
#include "scenario.hpp"

#include <cstdio>
#include <exception>
#include <optional>

int main(int argc, char** argv) {
  using namespace deadlock_sample;
  const std::optional<options> opts = parse_options(argc, argv);
  if (!opts) return bad_usage;
  if (opts->help) return as_expected;
  try {
    return run_scenario(*opts);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "deadlock: FAILED: %s\n", e.what());
    return check_failed;
  }
}
