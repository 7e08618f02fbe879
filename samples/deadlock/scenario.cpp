#include "scenario.hpp"

#include "accounting.hpp"
#include "coordinator.hpp"
#include "cycle_watch.hpp"
#include "driver.hpp"
#include "ledger.hpp"
#include "../common/logger.hpp"
#include "run.hpp"
#include "worker.hpp"

#include <weir/supervisor.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace deadlock_sample {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t reports_printed = 3;  // the rest are counted

// The pair under a supervisor: worker first, then the coordinator, which
// gets its handle (weir::sibling, resolved at each start). one_for_one:
// under fail_one only the actor whose wait closed the cycle is restarted.
weir::handle<weir::supervisor> spawn_pair(weir::system& sys, const ledger_ptr& book) {
  return sys.spawn<weir::supervisor>(
      "pipeline", weir::supervisor_flags{.strategy = weir::restart_strategy::one_for_one, .intensity = 1000, .period = 5s},
      std::vector{weir::worker<worker>("worker", book),
                  weir::worker<coordinator>("coordinator", book, weir::sibling<worker>{"worker"})});
}

// The children's handles, once the supervisor has started them.
template <class T>
weir::handle<T> find_child(driver& d, const std::string& path) {
  if (d.manual()) d.run_until_idle();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (true) {
    if (auto found = d.system().find<T>(path)) return *found;
    if (d.manual() || std::chrono::steady_clock::now() > deadline) throw std::runtime_error(path + " never started");
    std::this_thread::sleep_for(1ms);
  }
}

void print_outcome(const options& opts, const outcome& how, const std::vector<sighting>& reports) {
  if (reports.size() > reports_printed) {
    std::printf("  (%zu more cycles reported and broken the same way; not printed)\n", reports.size() - reports_printed);
  }
  if (how.both_suspended_after_step) {
    std::printf("  the cycle formed in step %zu (the first after which both were suspended, both edges full)", *how.both_suspended_after_step);
    if (!reports.empty() && reports.front().step) std::printf("; it was reported in step %zu", *reports.front().step);
    std::printf("\n");
  }
  const std::string_view remedy = to_string(opts.remedy);
  if (how.completed) {
    std::printf("  remedy %.*s let the run finish: every result received", static_cast<int>(remedy.size()),
                remedy.data());
  } else if (how.stuck) {
    std::printf("  remedy report: weir reported the cycle and did nothing else, as asked. The cycle remains: both\n"
                "  actors are still suspended on each other, and nothing has moved since");
  } else {
    std::printf("  the run neither finished nor got stuck in a reported cycle");
  }
  if (opts.manual) {
    std::printf(" (%zu steps)\n", how.steps);
  } else {
    std::printf(" (%.1f ms)\n", how.ms);
  }
}

}  // namespace

int run_scenario(const options& opts) {
  const auto book = std::make_shared<ledger>(opts.requests, opts.capacity);
  const auto watch = std::make_shared<cycle_watch>(reports_printed);
  weir::system_config config;
  config.logger = samples::stderr_logger("      [weir %^%l%$] %v", opts.quiet);
  config.deadlock = opts.remedy;
  config.on_deadlock = [watch](const weir::deadlock_report& report) { (*watch)(report); };
  driver d(opts.manual, opts.threads, std::move(config));

  std::printf("deadlock: coordinator <-> worker, bounded(%zu) both ways, %zu requests, remedy %.*s, %s\n",
              opts.capacity, opts.requests, static_cast<int>(to_string(opts.remedy).size()),
              to_string(opts.remedy).data(),
              d.manual() ? "manual executor (one turn per step)" : (std::to_string(d.system().thread_count()) + " threads").c_str());
  std::fflush(stdout);

  spawn_pair(d.system(), book);
  const auto c = find_child<coordinator>(d, "/pipeline/coordinator");
  const auto w = find_child<worker>(d, "/pipeline/worker");
  watch->watch(c, w, d.manual() ? d.steps() : nullptr);
  struct unwatch_at_exit {
    cycle_watch& watch;
    ~unwatch_at_exit() { watch.unwatch(); }
  } unwatch{*watch};
  c.send(go{});
  const outcome how = d.manual() ? run_manual(d, c, w, *book) : run_threads(d, *book);

  final_state s;
  s.remedy = opts.remedy;
  s.how = how;
  s.reports = watch->sightings();
  s.deadlocks = d.system().deadlocks();
  s.crashes = d.system().crashes();
  s.dead_letters = d.system().dead_letters();
  s.waits_left = d.system().waits();
  s.coordinator_suspended = c.suspended();
  s.worker_suspended = w.suspended();
  print_outcome(opts, how, s.reports);
  print_accounting(*book, s);

  const std::vector<std::string> failures = failed_checks(*book, s, c.path(), w.path());
  std::fflush(stdout);
  if (!failures.empty()) {
    for (const std::string& why : failures) std::fprintf(stderr, "deadlock: FAILED: %s\n", why.c_str());
    return check_failed;
  }
  if (opts.remedy == weir::deadlock_remedy::report) {
    std::printf("deadlock: cycle reported and left in place, as --remedy report asks: exit status %d\n",
                cycle_left_stuck);
    return cycle_left_stuck;
  }
  std::printf("deadlock: all %zu requests handled and all %zu results received after %llu cycle(s), remedy %.*s\n",
              book->requests, book->received.load(), static_cast<unsigned long long>(s.deadlocks),
              static_cast<int>(to_string(opts.remedy).size()), to_string(opts.remedy).data());
  return as_expected;
}

}  // namespace deadlock_sample
