// supervision_tree — the supervision demo: a two-level tree of OTP-style
// supervisors (SPEC "Supervision"), crashed on a script and checked.
//
//   /root                   one_for_one, at most 3 restarts in 10 s
//     /root/ingest          one_for_one:  enricher <- parser <- source, backfill (transient)
//     /root/storage         rest_for_one: db <- cache, db <- writer
//     /root/api             one_for_all:  auth <- sessions <- gateway
//
// Workers are stations passing numbered items to a sibling started before
// them (weir::sibling, resolved at every start). The script (script.cpp)
// crashes one worker per step with a poison message, so that each strategy
// shows what it restarts, lets a transient worker finish, and ends with a
// crash loop: three poison messages queued for storage's db, which survive
// its restarts (only the crashing message is dead-lettered) until storage
// passes its restart intensity, gives up, and fails upward: the root
// restarts the whole storage subsystem.
//
// After each step the demo prints the tree as the supervisors report it
// (which_children asks, from the reporter actor) and compares it with a
// model of OTP's rules (model.cpp), for whatever strategies and intensities
// the flags chose. With flags that make the root itself give up
// (--root-intensity 0), system.wait_for(root) returns the root's crashed
// reason: it is printed and the exit status is 3.
//
//     supervision_tree [--manual] [--quiet] [--threads T]
//                      [--SUP-strategy S] [--SUP-intensity R]   (SUP: root, ingest, storage, api)
//
// By default it runs on a thread pool in real time (about 2.5 s); --manual
// runs it turn by turn on weir's manual executor and virtual time,
// identically every time (the smoke test). weir logs crashes (error) and
// restarts (info) to stderr; --quiet keeps only warnings and errors.

#include "options.hpp"
#include "scenario.hpp"
#include "script.hpp"

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  using namespace supervision_tree;
  const options opts = parse_options(argc, argv);
  try {
    return run_scenario(opts, default_script());
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "supervision_tree: FAILED: %s\n", e.what());
    return not_as_predicted;
  }
}
