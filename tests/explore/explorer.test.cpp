// The explorer itself: it visits exactly the schedules there are, respects
// its bound, finds an order-dependent bug, and replays the schedule it names.

#include <weir/testing/explorer.hpp>  // first: the header must be self-contained

#include <weir/actor.hpp>
#include <weir/system.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace {

struct set {
  int value = 0;
};
struct relay {
  weir::handle<weir::interface<set>> to;
  int value = 0;
};

class cell_value : public weir::actor<set> {
 public:
  explicit cell_value(int* last) : last_(last) {}
  void on_message(set& s) override { *last_ = s.value; }

 private:
  int* last_;
};

class relayer : public weir::actor<relay> {
 public:
  void on_message(relay& r) override { r.to.send(set{r.value}); }
};

// Two actors with two messages each and nothing else: with batch = 1 each
// has three turns (two messages, then one that finds its mailbox empty).
weir::testing::scenario two_independent_actors() {
  return [](weir::testing::schedule_run& run) {
    auto sink = std::make_shared<int>(0);
    auto a = run.system.spawn<cell_value>("a", sink.get());
    auto b = run.system.spawn<cell_value>("b", sink.get());
    run.t.run_until_idle();
    for (int i = 0; i < 2; ++i) {
      a.send(set{i});
      b.send(set{i});
    }
    run.after_shutdown("keep the sink", [sink] { return std::string{}; });
  };
}

// Two relays race to set one value: "b's value lands last" holds in the
// default order (relays run oldest first) and fails when a's runs later.
weir::testing::scenario last_writer_race() {
  return [](weir::testing::schedule_run& run) {
    auto last = std::make_shared<int>(0);
    auto target = run.system.spawn<cell_value>("target", last.get());
    auto ra = run.system.spawn<relayer>("ra");
    auto rb = run.system.spawn<relayer>("rb");
    run.t.run_until_idle();
    ra.send(relay{target, 1});
    rb.send(relay{target, 2});
    run.at_quiescence("b's value lands last", [last] {
      return *last == 2 ? std::string{} : "the value is " + std::to_string(*last);
    });
  };
}

}  // namespace

TEST_CASE("the explorer visits every interleaving exactly once, and only those within its bound") {
  weir::testing::explore_bounds unbounded;
  unbounded.max_deviations = std::nullopt;
  const auto all = weir::testing::explore(two_independent_actors(), unbounded);
  REQUIRE_FALSE(all.failure);
  CHECK(all.exhausted);
  CHECK(all.schedules == 20);  // C(6, 3): three turns each, interleaved

  weir::testing::explore_bounds fifo;
  fifo.max_deviations = 0;
  const auto one = weir::testing::explore(two_independent_actors(), fifo);
  CHECK(one.schedules == 1);
  CHECK(one.exhausted);
}

TEST_CASE("the explorer finds an order-dependent bug, names its schedule, and replays it") {
  weir::testing::explore_bounds fifo;
  fifo.max_deviations = 0;
  CHECK_FALSE(weir::testing::explore(last_writer_race(), fifo).failure);  // the default order hides it

  weir::testing::explore_bounds one_deviation;
  one_deviation.max_deviations = 1;
  const auto found = weir::testing::explore(last_writer_race(), one_deviation);
  REQUIRE(found.failure);
  CHECK(found.failure->find("b's value lands last: the value is 1") != std::string::npos);
  CHECK(found.failure->find("turn /rb") < found.failure->find("turn /ra"));

  const auto again = weir::testing::replay(last_writer_race(), found.failing_choices, found.failing_seed);
  REQUIRE(again.failure);
  CHECK(*again.failure == found.failure->substr(0, again.failure->size()));

  weir::testing::explore_bounds random;
  random.random_schedules = 200;
  random.seed = 7;
  const auto by_chance = weir::testing::explore(last_writer_race(), random);
  REQUIRE(by_chance.failure);
  CHECK(by_chance.failure->find("replay: seed") != std::string::npos);
}

TEST_CASE("the explorer reports a schedule that never goes quiet as a livelock") {
  weir::testing::explore_bounds bounds;
  bounds.max_steps = 50;
  const auto result = weir::testing::explore(
      [](weir::testing::schedule_run& run) {
        struct tick {};
        class ticker : public weir::actor<tick> {
         public:
          void on_start() override { self().send(tick{}); }
          void on_message(tick&) override { self().send(tick{}); }
        };
        (void)run.system.spawn<ticker>("ticker");
      },
      bounds);
  REQUIRE(result.failure);
  CHECK(result.failure->find("livelock: still busy after 50 steps") != std::string::npos);
}
