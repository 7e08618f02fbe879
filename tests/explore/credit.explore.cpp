// Credit on bounded edges with two senders, under every interleaving of the
// senders' turns, the receiver's, its crashes and restarts, and its stop.

#include "actors.hpp"
#include "scope.hpp"

#include <weir/edge.hpp>
#include <weir/supervisor.hpp>
#include <weir/system.hpp>

#include <doctest/doctest.h>

#include <array>
#include <memory>
#include <string>

using namespace std::chrono_literals;
using weir::test::crash;
using weir::test::crasher;
using weir::test::job;

namespace {

struct go {};

/// What the senders saw, result by result: with the edges' counters, every
/// send is accounted for.
struct tally {
  std::array<std::uint64_t, 4> results{};  // indexed by send_result
  std::uint64_t sends = 0;
};

/// Sends `per_go` jobs per `go` on its own edge into the consumer (more
/// than one: a handler's later sends may be held behind an earlier one).
class producer : public weir::actor<go> {
 public:
  producer(const weir::handle<crasher>& to, weir::edge_policy policy, tally* t, int per_go)
      : to_(weir::connect(to, std::move(policy))), tally_(t), per_go_(per_go) {}
  void on_message(go&) override {
    for (int i = 0; i < per_go_; ++i) {
      ++tally_->sends;
      ++tally_->results.at(static_cast<std::size_t>(to_.send(job{++n_})));
    }
  }

 private:
  weir::edge<crasher> to_;
  tally* tally_;
  int per_go_;
  int n_ = 0;
};

enum class receiver_event { none, crash, stop };

struct credit_case {
  weir::bounded policy{.capacity = 2};
  int gos_each = 3;
  int per_go = 1;
  receiver_event event = receiver_event::none;
};

std::string describe(const credit_case& c) {
  return "bounded(" + std::to_string(c.policy.capacity) + ", " + std::string(to_string(c.policy.on_full)) + "), " +
         std::to_string(c.gos_each) + " gos of " + std::to_string(c.per_go) + " sends each, receiver " +
         (c.event == receiver_event::none ? "runs" : c.event == receiver_event::crash ? "crashes" : "stops");
}

weir::testing::scenario two_senders(credit_case c) {
  return [c](weir::testing::schedule_run& run) {
    weir::supervisor_flags flags;
    flags.intensity = 100;
    auto sup = run.system.spawn<weir::supervisor>("sup", flags,
                                                  std::vector<weir::child_spec>{weir::worker<crasher>("consumer")});
    run.t.run_until_idle();
    auto consumer = *run.system.find<crasher>("/sup/consumer");
    auto counts = std::make_shared<tally>();
    auto p1 = run.system.spawn<producer>("p1", consumer, c.policy, counts.get(), c.per_go);
    auto p2 = run.system.spawn<producer>("p2", consumer, c.policy, counts.get(), c.per_go);
    run.t.run_until_idle();

    for (int i = 0; i < c.gos_each; ++i) {
      run.script("go p1", [p1] { p1.send(go{}); });
      run.script("go p2", [p2] { p2.send(go{}); });
      if (i == 0 && c.event == receiver_event::crash) {
        run.script("crash consumer", [consumer] { consumer.send(crash{}); });
      }
      if (i == 0 && c.event == receiver_event::stop) {
        run.script("stop /sup", [sup] { sup.stop(); });
      }
    }

    weir::system& sys = run.system;
    // No credit duplicated, none overdrawn: whatever the interleaving, at
    // most the capacity is in flight at the receiver (a send without credit
    // is held at its sender), and every message sent is accounted for.
    run.invariant("in flight at the receiver never exceeds the capacity; the law holds at every step", [&sys] {
      for (const auto& actor : sys.snapshot().actors) {
        for (const auto& in : actor.edges) {
          if (in.capacity && in.depth - in.held > *in.capacity) {
            return "edge " + in.edge + " has " + std::to_string(in.depth - in.held) + " in flight, more than " +
                   std::to_string(*in.capacity);
          }
          if (in.sent != in.handled + in.refused + in.dropped + in.coalesced + in.dead_lettered +
                             static_cast<std::uint64_t>(in.depth)) {
            return "edge " + in.edge + " breaks sent = handled + refused + dropped + coalesced + dead_lettered + depth";
          }
        }
      }
      return std::string{};
    });
    run.after_shutdown("every send is accounted for, and none vanished", [&sys, counts, c] {
      const auto& r = counts->results;
      const std::uint64_t ok = r[static_cast<std::size_t>(weir::send_result::ok)];
      const std::uint64_t closed = r[static_cast<std::size_t>(weir::send_result::closed)];
      if (counts->sends != static_cast<std::uint64_t>(2 * c.gos_each * c.per_go)) {
        return "the producers made " + std::to_string(counts->sends) + " sends of " +
               std::to_string(2 * c.gos_each * c.per_go);
      }
      if (counts->sends != r[0] + r[1] + r[2] + r[3]) return std::string("a send has no result");
      if (c.event == receiver_event::none && ok != counts->sends) {
        // Back pressure suspends or refuses, but with a live receiver every
        // suspended sender resumes and every accepted job is handled.
        if (c.policy.on_full == weir::overflow_reaction::suspend) return std::string("a suspended send was lost");
      }
      if (c.event != receiver_event::stop && closed != 0) return std::string("a live receiver answered closed");
      return std::string{};
    });
  };
}

}  // namespace

TEST_CASE("explore: credit on bounded edges with two senders, against crashes and stop of the receiver") {
  std::size_t schedules = 0;
  for (auto on_full : {weir::overflow_reaction::suspend, weir::overflow_reaction::fail,
                       weir::overflow_reaction::drop_newest}) {
    for (std::size_t capacity : {1U, 2U}) {
      for (auto event : {receiver_event::none, receiver_event::crash, receiver_event::stop}) {
        credit_case c;
        c.policy = weir::bounded{.capacity = capacity, .on_full = on_full};
        c.event = event;
        CAPTURE(describe(c));
        const auto result = weir::testing::explore(two_senders(c), weir::test::deviations(1, 3));
        schedules += result.schedules;
        if (result.failure) FAIL(describe(c) << ": " << *result.failure);
        CHECK(result.exhausted);
      }
    }
  }
  MESSAGE("explore credit exhaustive: " << schedules << " schedules");
}

TEST_CASE("explore: held sends, a burst per handler on bounded(suspend), against crashes and stop of the receiver") {
  for (std::size_t capacity : {1U, 2U}) {
    for (auto event : {receiver_event::none, receiver_event::crash, receiver_event::stop}) {
      credit_case c;
      c.policy = weir::bounded{.capacity = capacity};
      c.gos_each = 2;
      c.per_go = 3;
      c.event = event;
      CAPTURE(describe(c));
      const auto result = weir::testing::explore(two_senders(c), weir::test::deviations(1, 3));
      if (result.failure) FAIL(describe(c) << ": " << *result.failure);
      CHECK(result.exhausted);
    }
  }
}

TEST_CASE("explore: credit, random schedules with more sends") {
  credit_case c;
  c.gos_each = 6;
  for (auto event : {receiver_event::none, receiver_event::crash, receiver_event::stop}) {
    c.event = event;
    weir::test::explore_and_report("credit random " + describe(c), two_senders(c),
                                   weir::test::random_schedules(300, 20'000));
  }
}
