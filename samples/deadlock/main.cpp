// deadlock — story S3, "deadlock is a cycle in the wait-for graph, and the
// runtime can see it".
//
//   /pipeline               a supervisor, one_for_one
//     /pipeline/worker      answers each request with a result
//     /pipeline/coordinator sends N requests, then reads the results
//
// Both edges are bounded (capacity 4): requests down, results up. The
// coordinator sends every request before it reads a result, the worker
// answers each at once (deadlock_actors.hpp): each fills its edge, holds one
// more message at its end (see weir::bounded) and is suspended, waiting for
// credit only the other can give. weir keeps the
// wait-for graph: the wait that closes the cycle finds it and, in that same
// turn, logs it, tells on_deadlock (printed below) and applies the remedy:
//
//   grant_credit  one edge of the cycle gets one credit beyond its capacity (the default)
//   fail_one      the actor whose wait closed the cycle crashes, its supervisor
//                 restarts it with its mailbox, and a fresh edge has full credit
//   report        nothing more: the cycle stays, and the program exits with status 3
//
// The checks (reported in the very step the cycle formed, exact accounting
// under each remedy) are tests/samples/deadlock.test.cpp.

#include "deadlock_actors.hpp"

#include "../common/logger.hpp"
#include "../common/options.hpp"

#include <weir/system.hpp>

#include <cstdio>
#include <mutex>

using namespace deadlock;

int main(int argc, char** argv) {
  samples::positive requests = 10, capacity = 4, threads = 2;
  std::string remedy = "grant_credit";
  samples::po::options_description flags("options");
  flags.add_options()                                                                                  //
      ("remedy", samples::po::value(&remedy)->default_value(remedy), "report|fail_one|grant_credit")   //
      ("requests", samples::po::value(&requests)->default_value(requests), "requests to send (>= 2 x capacity + 2)")  //
      ("capacity", samples::po::value(&capacity)->default_value(capacity), "of both bounded edges")     //
      ("threads", samples::po::value(&threads)->default_value(threads), "threads in the system's pool")  //
      ("quiet", "weir's own log: errors only");
  const auto options = samples::parse(argc, argv, "[options]", flags);
  samples::require_one_of(options, "remedy", {"report", "fail_one", "grant_credit"});
  if (requests.value < 2 * capacity.value + 2) {  // each side fills its edge and holds one more
    std::fprintf(stderr, "deadlock: --requests %zu < 2 x --capacity %zu + 2: nothing would deadlock\n",
                 requests.value, capacity.value);
    return 2;
  }

  auto book = std::make_shared<ledger>(requests, capacity);
  std::promise<void> first_cycle;
  std::once_flag told;
  weir::system_config config;
  config.threads = threads;
  config.logger = samples::stderr_logger("      [weir %^%l%$] %v", options.count("quiet") != 0);
  config.deadlock = remedy == "report"     ? weir::deadlock_remedy::report
                    : remedy == "fail_one" ? weir::deadlock_remedy::fail_one
                                           : weir::deadlock_remedy::grant_credit;
  // Called inside the turn whose wait closed the cycle, on its thread: print, hand over, return.
  config.on_deadlock = [&](const weir::deadlock_report& report) {
    std::printf("  deadlock reported inside the turn of %s (its wait closed the cycle); remedy %s\n",
                report.cycle.front().path.c_str(), std::string(to_string(report.remedy)).c_str());
    for (const auto& m : report.cycle) {
      std::printf("    %-22s waits for credit on %s\n    %-22s   carries %s: %lld unconsumed, capacity %lld\n",
                  m.path.c_str(), m.on.c_str(), "", m.message_type.c_str(), static_cast<long long>(m.depth),
                  static_cast<long long>(m.capacity));
    }
    std::fflush(stdout);
    std::call_once(told, [&] { first_cycle.set_value(); });
  };
  weir::system sys(std::move(config));
  std::printf("deadlock: coordinator <-> worker, bounded(%zu) both ways, %zu requests, remedy %s, %zu threads\n",
              capacity.value, requests.value, remedy.c_str(), sys.thread_count());
  std::fflush(stdout);
  auto all_received = book->all_received.get_future();
  auto cycle = first_cycle.get_future();
  spawn_pair(sys, book);

  if (remedy == "report") {
    cycle.wait();
    std::printf("deadlock: cycle reported and left in place, as --remedy report asks (%zu waits stand): exit status 3\n",
                sys.waits());
    return 3;
  }
  if (all_received.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    std::fprintf(stderr, "deadlock: FAILED: %zu of %zu results after 30 s\n", book->received.load(), book->requests);
    return 1;
  }
  std::printf("deadlock: all %zu requests handled and all %zu results received after %llu cycle(s), remedy %s; "
              "%llu crashes, %zu restarts\n",
              book->handled.load(), book->received.load(), static_cast<unsigned long long>(sys.deadlocks()),
              remedy.c_str(), static_cast<unsigned long long>(sys.crashes()),
              book->coordinator_starts.load() + book->worker_starts.load() - 2);
  return 0;
}
