// The supervision protocol under every interleaving of crashes, restarts and
// stops: each strategy, 2 to 5 children, crash scripts of up to 4 crashes
// (landing during a restart, and during the supervisor's own stop).

#include "actors.hpp"
#include "scope.hpp"

#include <weir/supervisor.hpp>
#include <weir/system.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using weir::restart_strategy;
using weir::test::crash;
using weir::test::crasher;

namespace {

constexpr int stop_supervisor = -1;  // a script entry: stop the supervisor from outside

struct supervision_case {
  restart_strategy strategy = restart_strategy::one_for_one;
  int children = 3;
  std::vector<int> script;  // child indices to crash, or stop_supervisor
  int intensity = 1000;     // large: the supervisor keeps restoring
  bool random_script = false;  // draw the script from the schedule's rng instead
  bool backoff = false;        // restarts wait out a back-off: crashes land in the wait
};

std::string describe(const supervision_case& c) {
  std::string text = std::string(to_string(c.strategy)) + " x" + std::to_string(c.children) + " script {";
  for (int s : c.script) text += (s == stop_supervisor ? std::string("stop") : "w" + std::to_string(s)) + " ";
  return text + "} intensity " + std::to_string(c.intensity) + (c.backoff ? " with back-off" : "");
}

std::vector<int> random_script(std::mt19937_64& rng, int children) {
  std::vector<int> script(1 + rng() % 4);
  for (int& s : script) s = static_cast<int>(rng() % static_cast<std::uint64_t>(children));
  if (rng() % 4 == 0) script.push_back(stop_supervisor);  // a stop racing the crashes
  return script;
}

weir::testing::scenario supervision(supervision_case c) {
  return [c](weir::testing::schedule_run& run) {
    std::vector<weir::child_spec> specs;
    for (int i = 0; i < c.children; ++i) specs.push_back(weir::worker<crasher>("w" + std::to_string(i)));
    weir::supervisor_flags flags;
    flags.strategy = c.strategy;
    flags.intensity = c.intensity;
    flags.period = 5s;
    if (c.backoff) flags.backoff = weir::backoff{.initial = 10ms, .max = 40ms, .multiplier = 2, .jitter = 0.5};
    auto sup = run.system.spawn<weir::supervisor>("sup", flags, std::move(specs));
    run.t.run_until_idle();  // started: the crashes are what is explored
    const std::vector<int> script = c.random_script ? random_script(run.rng, c.children) : c.script;

    auto sent = std::make_shared<std::uint64_t>(0);
    bool stops = false;
    for (int target : script) {
      if (target == stop_supervisor) {
        stops = true;
        run.script("stop /sup", [sup] { sup.stop(); });
        continue;
      }
      const std::string name = "w" + std::to_string(target);
      // Handles survive restarts (the same cell); a crash sent after the
      // supervisor gave up or stopped is answered `closed`, a dead letter.
      auto child = run.system.find<crasher>("/sup/" + name);
      REQUIRE(child.has_value());
      run.script("crash " + name, [child = *child, sent] {
        child.send(crash{});
        ++*sent;
      });
    }

    weir::system& sys = run.system;
    run.at_quiescence("the supervisor restores its children or gives up upward", [&sys, sup, c, stops] {
      if (sup.stopped()) {
        if (stops || sys.crashes() > static_cast<std::uint64_t>(c.intensity)) return std::string{};
        return "/sup stopped without being asked and without reaching its intensity (" +
               std::to_string(sys.crashes()) + " crashes)";
      }
      const weir::system_snapshot snap = sys.snapshot();
      for (int i = 0; i < c.children; ++i) {
        const std::string path = "/sup/w" + std::to_string(i);
        if (snap.find(path) == nullptr) return path + " is gone under a live supervisor";
      }
      return std::string{};
    });
    run.after_shutdown("every crash message is dead-lettered exactly once", [&sys, sent] {
      // The message that crashes an actor is dead-lettered; one that reaches
      // a stopped actor, or waits in a mailbox at the final stop, too.
      if (sys.dead_letters() != *sent) {
        return std::to_string(*sent) + " crash messages sent, " + std::to_string(sys.dead_letters()) +
               " dead letters";
      }
      return std::string{};
    });
  };
}

/// Every script of `length` entries over `children` children.
std::vector<std::vector<int>> all_scripts(int children, int length) {
  std::vector<std::vector<int>> out{{}};
  for (int k = 0; k < length; ++k) {
    std::vector<std::vector<int>> longer;
    for (const auto& s : out) {
      for (int i = 0; i < children; ++i) {
        auto next = s;
        next.push_back(i);
        longer.push_back(std::move(next));
      }
    }
    out = std::move(longer);
  }
  return out;
}

/// Fails its first `failures` starts (a dependency not up yet), then runs.
class flaky_start : public weir::actor<crash> {
 public:
  explicit flaky_start(std::shared_ptr<int> failures) : failures_(std::move(failures)) {}
  void on_start() override {
    if ((*failures_)-- > 0) throw std::runtime_error("not ready");
  }
  void on_message(crash&) override { throw std::runtime_error("crash"); }

 private:
  std::shared_ptr<int> failures_;
};

const restart_strategy strategies[] = {restart_strategy::one_for_one, restart_strategy::one_for_all,
                                       restart_strategy::rest_for_one};

}  // namespace

TEST_CASE("explore: every strategy restores its children under every interleaving of short crash scripts") {
  std::size_t schedules = 0;
  for (restart_strategy strategy : strategies) {
    for (int children : {2, 3}) {
      for (int length = 1; length <= (weir::test::full_exploration() ? 3 : 2); ++length) {
        for (auto script : all_scripts(children, length)) {
          for (bool then_stop : {false, true}) {
            supervision_case c{strategy, children, script};
            if (then_stop) c.script.push_back(stop_supervisor);
            CAPTURE(describe(c));
            const auto result = weir::testing::explore(supervision(c), weir::test::deviations(1, 2));
            schedules += result.schedules;
            if (result.failure) FAIL(describe(c) << ": " << *result.failure);
            CHECK(result.exhausted);
          }
        }
      }
    }
  }
  MESSAGE("explore supervision exhaustive: " << schedules << " schedules");
}

TEST_CASE("explore: crashes landing in a group restart of four (the rest_for_one wedge's scope)") {
  for (restart_strategy strategy : strategies) {
    for (std::vector<int> script : {std::vector<int>{2, 0, 1}, std::vector<int>{3, 1, 0, 2}, std::vector<int>{1, 3, 1, 0}}) {
      supervision_case c{strategy, 4, script};
      weir::test::explore_and_report(describe(c), supervision(c), weir::test::deviations(1, 2));
    }
  }
}

TEST_CASE("explore: random crash scripts of up to 4 crashes on 2 to 5 children, every strategy") {
  for (restart_strategy strategy : strategies) {
    for (int children : {2, 3, 4, 5}) {
      for (bool backoff : {false, true}) {
        supervision_case c{strategy, children, {}};
        c.random_script = true;
        c.backoff = backoff;
        weir::test::explore_and_report("supervision " + std::string(to_string(strategy)) + " x" +
                                           std::to_string(children) + " random scripts" +
                                           (backoff ? " with back-off" : ""),
                                       supervision(c), weir::test::random_schedules(150, 10'000));
      }
    }
  }
}

TEST_CASE("explore: a supervisor past its intensity gives up and takes its children down, whatever the order") {
  for (restart_strategy strategy : strategies) {
    supervision_case c{strategy, 3, {0, 1, 2}, 1};
    weir::test::explore_and_report("give up " + std::string(to_string(strategy)), supervision(c),
                                   weir::test::deviations(1, 3));
  }
}

TEST_CASE("explore: children that fail on_start while their siblings start and crash, from the spawn on") {
  for (restart_strategy strategy : strategies) {
    for (int failures : {1, 3}) {
      const std::string name = std::string(to_string(strategy)) + ", w1 fails " + std::to_string(failures) + " starts";
      weir::test::explore_and_report(
          name,
          [strategy, failures](weir::testing::schedule_run& run) {
            auto left = std::make_shared<int>(failures);
            weir::supervisor_flags flags;
            flags.strategy = strategy;
            flags.intensity = 2;  // 3 failures: it gives up; 1: it restores
            auto sup = run.system.spawn<weir::supervisor>(
                "sup", flags,
                // No shutdown timeouts: no timer moves the clock, so every
                // failure falls within the intensity's period.
                std::vector<weir::child_spec>{
                    weir::worker<crasher>("w0").with(weir::shutdown_policy::infinity()),
                    weir::worker<flaky_start>("w1", left).with(weir::shutdown_policy::infinity()),
                    weir::worker<crasher>("w2").with(weir::shutdown_policy::infinity())});
            // Nothing has run yet: the spawn and every start are explored too.
            weir::system& sys = run.system;
            run.at_quiescence("restored after one failure, given up after three", [&sys, sup, failures] {
              if (failures > 2) return sup.stopped() ? std::string{} : std::string("/sup did not give up");
              if (sup.stopped()) return std::string("/sup gave up after one failed start");
              for (const char* path : {"/sup/w0", "/sup/w1", "/sup/w2"}) {
                if (sys.snapshot().find(path) == nullptr) return std::string(path) + " is missing";
              }
              return std::string{};
            });
          },
          weir::test::deviations(2, 4));
    }
  }
}
