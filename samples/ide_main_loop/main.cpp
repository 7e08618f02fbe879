// ide_main_loop — sample S2, "sizing channels: deadlock freedom vs back pressure".
//
// An IDE's main loop forwards client requests to a worker and relays its
// responses, while a file watcher reports "path changed" events faster than
// the main loop can handle them. Each classic answer is one choice per edge:
//
//   client -> main_loop        bounded, suspend: the client waits when the main loop is behind
//   main_loop -> worker        bounded with credits (forward edge)
//   worker -> main_loop        unbounded: a back edge never blocks, so the
//   main_loop -> client        two-way fixed-size-channel deadlock cannot happen
//   file_watcher -> main_loop  keyed_edge: changes merge into one path set,
//                              past the key bound into one "rescan everything"
//
// plus biased, weighted-fair receive in the main loop (responses first, a
// flood cannot starve requests) and an application-level bound on requests
// in flight to the worker.
//
//     ide_main_loop [--manual] [--flood PATHS] [--warmup ANSWERS] [--threads T]
//
// The script: the client streams requests (a few per keystroke) throughout;
// once warmed up, the watcher plays (a) a burst of saves of three files,
// (b) a flood of PATHS distinct paths (default 100,000, a branch switch) in
// OS-sized reads, (c) another burst. By default it runs on a thread pool in
// real time; --manual runs it turn by turn on weir's manual executor and
// virtual time, identically every time (the smoke test).
//
// stdout ends with "ide_main_loop weir: <N> events coalesced into <M>
// deliveries". Exit status 0 only if every request was answered once and in
// order, the in-flight and queue bounds held, every edge's counters add up
// (sent = handled + refused + dropped + coalesced + dead-lettered + depth),
// each burst arrived as path sets and the flood collapsed into rescans, and
// no request waited behind more main-loop messages than a bound that does
// not depend on the flood's size.

#include "options.hpp"
#include "report.hpp"
#include "scenario.hpp"

#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  using namespace ide_main_loop;
  const std::optional<options> opts = parse_options(argc, argv);
  if (!opts) return 2;
  std::vector<std::string> failures;
  coalescing_totals coalesced;
  try {
    const scenario_result result = run_scenario(opts->scenario, opts->manual, opts->threads);
    print_report(result, opts->scenario);
    failures = failed_checks(result, opts->scenario);
    coalesced = totals(result);
  } catch (const std::exception& e) {
    failures.push_back(e.what());
  }
  std::fflush(stdout);
  if (!failures.empty()) {
    for (const std::string& why : failures) std::fprintf(stderr, "ide_main_loop: FAILED: %s\n", why.c_str());
    return 1;
  }
  std::printf("  checks     all passed\n");
  std::printf("ide_main_loop weir: %llu events coalesced into %llu deliveries\n",
              static_cast<unsigned long long>(coalesced.events), static_cast<unsigned long long>(coalesced.deliveries));
  return 0;
}
