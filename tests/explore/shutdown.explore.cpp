// Ordered shutdown with timeouts: a supervisor stops its children newest
// first, each within its shutdown timeout; a child stuck in a handler is cut
// off when the timeout fires and stops once unstuck; crashes land during the
// shutdown. Under every interleaving, nothing is left behind.

#include "actors.hpp"
#include "scope.hpp"

#include <weir/supervisor.hpp>
#include <weir/system.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using weir::test::crash;

namespace {

/// Records its on_stop; crashes on `crash`.
class recorder : public weir::actor<crash> {
 public:
  recorder(std::string name, std::shared_ptr<std::vector<std::string>> stops)
      : name_(std::move(name)), stops_(std::move(stops)) {}
  void on_message(crash&) override { throw std::runtime_error("crash " + name_); }
  void on_stop() override { stops_->push_back(name_); }

 private:
  std::string name_;
  std::shared_ptr<std::vector<std::string>> stops_;
};

struct shutdown_case {
  int children = 3;
  int stuck = -1;    // this child stalls (a handler blocking its thread) before the stop, unstalled after
  int crashes = -1;  // this child crashes while the supervisor stops
  bool system_shutdown = false;  // the stop comes from system shutdown instead of the script
};

weir::testing::scenario ordered_shutdown(shutdown_case c) {
  return [c](weir::testing::schedule_run& run) {
    auto stops = std::make_shared<std::vector<std::string>>();
    std::vector<weir::child_spec> specs;
    for (int i = 0; i < c.children; ++i) {
      const std::string name = "c" + std::to_string(i);
      // Only the stuck child has a timeout: one that fires early (a slow
      // machine) cuts a child off, which then stops out of order by design.
      specs.push_back(weir::worker<recorder>(name, name, stops)
                          .with(i == c.stuck ? weir::shutdown_policy::after(100ms) : weir::shutdown_policy::infinity()));
    }
    weir::supervisor_flags flags;
    flags.intensity = 100;
    auto sup = run.system.spawn<weir::supervisor>("sup", flags, std::move(specs));
    run.t.run_until_idle();
    std::vector<weir::handle<recorder>> kids;
    for (int i = 0; i < c.children; ++i) kids.push_back(*run.system.find<recorder>("/sup/c" + std::to_string(i)));

    if (c.stuck >= 0) run.script("c" + std::to_string(c.stuck) + " gets stuck", [h = kids[c.stuck]] { weir::testing::stall(h); });
    if (!c.system_shutdown) run.script("stop /sup", [sup] { sup.stop(); });
    if (c.crashes >= 0) run.script("crash c" + std::to_string(c.crashes), [h = kids[c.crashes]] { h.send(crash{}); });
    if (c.stuck >= 0) run.script("c" + std::to_string(c.stuck) + " gets unstuck", [h = kids[c.stuck]] { weir::testing::unstall(h); });

    auto expected_order = [c] {
      // Newest first, leaving out a child that stopped on its own (its
      // crash may come before or after the supervisor's stop reaches it) and
      // a stuck one, cut off and stopping whenever its handler returns.
      std::vector<std::string> order;
      for (int i = c.children - 1; i >= 0; --i) {
        if (i != c.crashes && i != c.stuck) order.push_back("c" + std::to_string(i));
      }
      return order;
    };
    auto check_order = [stops, expected_order, c] {
      std::vector<std::string> seen = *stops;
      for (int odd : {c.crashes, c.stuck}) {
        if (odd >= 0) std::erase(seen, "c" + std::to_string(odd));
      }
      if (c.stuck >= 0 && std::count(stops->begin(), stops->end(), "c" + std::to_string(c.stuck)) != 1) {
        return "stuck c" + std::to_string(c.stuck) + " ran on_stop " +
               std::to_string(std::count(stops->begin(), stops->end(), "c" + std::to_string(c.stuck))) + " times";
      }
      if (seen != expected_order()) {
        std::string text = "children stopped in the order";
        for (const auto& s : *stops) text += " " + s;
        return text;
      }
      return std::string{};
    };
    if (!c.system_shutdown) {
      run.at_quiescence("the supervisor stopped, newest child first", [sup, check_order] {
        if (!sup.stopped()) return std::string("/sup still runs after its stop");
        return check_order();
      });
    } else {
      run.after_shutdown("shutdown stopped the children newest first", check_order);
    }
  };
}

}  // namespace

TEST_CASE("explore: ordered shutdown with timeouts, a stuck child and a crash during the stop") {
  std::vector<shutdown_case> cases;
  for (int children : {2, 3}) {
    for (int stuck = -1; stuck < children; ++stuck) {
      for (int crashes = -1; crashes < children; ++crashes) {
        if (crashes >= 0 && crashes == stuck) continue;
        cases.push_back({children, stuck, crashes, false});
      }
    }
  }
  cases.push_back({3, -1, -1, true});
  cases.push_back({3, -1, 1, true});
  std::size_t schedules = 0;
  for (const auto& c : cases) {
    CAPTURE(c.children);
    CAPTURE(c.stuck);
    CAPTURE(c.crashes);
    CAPTURE(c.system_shutdown);
    const auto result = weir::testing::explore(ordered_shutdown(c), weir::test::deviations(2, 3));
    schedules += result.schedules;
    if (result.failure) FAIL(*result.failure);
    CHECK(result.exhausted);
  }
  MESSAGE("explore ordered shutdown exhaustive: " << schedules << " schedules");
}
