// Edges across a supervised restart of their sender: the cell keeps them, so
// counters go on and credit is not handed out twice; edges that close for
// good leave their final counts in snapshots, so the accounting law can be
// checked over a whole run with restarts.

#include <weir/edge.hpp>  // first: the header must be self-contained
#include <weir/coalescing.hpp>
#include <weir/supervisor.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct item {
  int n;
};
struct tick {};

class sink : public weir::actor<item, weir::pulse<tick>> {
 public:
  void on_message(item&) override {}
  void on_message(weir::pulse<tick>&) override {}
};

/// What a feeder's behaviour opens at each (re)start; a test changes it
/// between restarts.
struct feeder_plan {
  std::optional<weir::edge_policy> policy = weir::bounded{.capacity = 4};  ///< none: no edge
  bool in_on_start = false;  ///< open it in on_start rather than in the constructor
  bool pulse = false;        ///< also open a pulse edge (in on_start)
  int failed_builds = 0;     ///< this many constructors throw, after opening the edge
};

struct burst {
  int count = 0;
  bool then_crash = false;  ///< throw once the sends are done
  int pulses = 0;
};

class feeder : public weir::actor<burst> {
 public:
  feeder(weir::handle<sink> to, feeder_plan* plan) : to_sink_(std::move(to)), plan_(*plan) {
    if (!plan_.in_on_start) open();
    if (plan_.failed_builds > 0) {
      --plan_.failed_builds;
      throw std::runtime_error("feeder cannot start");
    }
  }
  void on_start() override {
    if (plan_.in_on_start) open();
    if (plan_.pulse) bell_ = weir::pulse_edge<tick>(to_sink_);
  }
  void on_message(burst& b) override {
    for (int i = 0; i < b.count; ++i) (void)to_.send(item{i});
    for (int i = 0; i < b.pulses; ++i) bell_.fire();
    if (b.then_crash) throw std::runtime_error("feeder boom");
  }

 private:
  void open() {
    if (plan_.policy) to_ = weir::connect<weir::interface<item>>(to_sink_, *plan_.policy);
  }

  weir::handle<sink> to_sink_;
  feeder_plan& plan_;
  weir::edge<weir::interface<item>> to_;
  weir::pulse_edge<tick> bell_;
};

constexpr const char* feeder_edge = "/sup/feeder -> /sink";

struct fixture {
  weir::test::log_capture capture;  // crashes log errors: keep them out of the test output
  weir::testing::manual_system t{capture.config()};
  feeder_plan plan;
  weir::handle<sink> sink_h;
  weir::handle<feeder> feeder_h;

  /// /sink at the top, /sup/feeder (permanent, one_for_one) feeding it.
  void start(int intensity = 10) {
    sink_h = t.system.spawn<sink>("sink");
    weir::supervisor_flags flags;
    flags.intensity = intensity;
    (void)t.system.spawn<weir::supervisor>("sup", flags,
                                           std::vector{weir::worker<feeder>("feeder", sink_h, &plan)});
    t.run_until_idle();
    auto found = t.system.find<feeder>("/sup/feeder");
    REQUIRE(found.has_value());
    feeder_h = *found;
  }
  [[nodiscard]] std::uint32_t restarts() const { return weir::detail_cell(feeder_h).restarts(); }
  void send(burst b) {
    REQUIRE(feeder_h.send(b) == weir::send_result::ok);
    t.run_until_idle();
  }
};

std::vector<weir::edge_snapshot> edges_named(const weir::system_snapshot& s, const std::string& label) {
  std::vector<weir::edge_snapshot> out;
  for (const weir::actor_snapshot& a : s.actors) {
    for (const weir::edge_snapshot& in : a.edges) {
      if (in.edge == label) out.push_back(in);
    }
  }
  return out;
}

/// The one live edge called `label` (checks there is exactly one).
weir::edge_snapshot live_edge(const weir::system_snapshot& s, const std::string& label) {
  const auto found = edges_named(s, label);
  REQUIRE_MESSAGE(found.size() == 1, label << " should be one live edge, found " << found.size());
  return found.front();
}

std::vector<weir::closed_edge_snapshot> closed_named(const weir::system_snapshot& s, const std::string& label) {
  std::vector<weir::closed_edge_snapshot> out;
  for (const weir::closed_edge_snapshot& c : s.closed_edges) {
    if (c.edge == label) out.push_back(c);
  }
  return out;
}

weir::edge_stats counts_of(const weir::edge_snapshot& in) {
  weir::edge_stats s;
  s.sent = in.sent;
  s.handled = in.handled;
  s.refused = in.refused;
  s.dropped = in.dropped;
  s.coalesced = in.coalesced;
  s.dead_lettered = in.dead_lettered;
  s.depth = in.depth;
  return s;
}

/// Every edge of the run, live or closed, summed: from the snapshot alone.
weir::edge_stats whole_run(const weir::system_snapshot& s) {
  weir::edge_stats sum;
  for (const weir::actor_snapshot& a : s.actors) {
    for (const weir::edge_snapshot& in : a.edges) sum += counts_of(in);
  }
  for (const weir::closed_edge_snapshot& c : s.closed_edges) sum += c.totals;
  return sum;
}

void check_law(const weir::edge_stats& s) {
  CHECK(s.sent == s.handled + s.refused + s.dropped + s.coalesced + s.dead_lettered +
                      static_cast<std::uint64_t>(s.depth));
}

}  // namespace

TEST_CASE("a restarted sender keeps its edge: one edge, the same label, its counters go on") {
  fixture f;
  f.start();
  f.send({.count = 3});
  CHECK(live_edge(f.t.system.snapshot(), feeder_edge).sent == 3);

  f.send({.count = 2, .then_crash = true});  // the edge's owner, the behaviour, dies
  weir::system_snapshot s = f.t.system.snapshot();
  CHECK(f.restarts() == 1);
  weir::edge_snapshot e = live_edge(s, feeder_edge);  // one edge, not the old one closed plus a new one
  CHECK(e.sent == 5);
  CHECK(e.handled == 5);
  CHECK(s.closed_edges.empty());

  f.send({.count = 4});
  s = f.t.system.snapshot();
  e = live_edge(s, feeder_edge);
  CHECK(e.sent == 9);
  CHECK(e.handled == 9);
  CHECK(e.policy == "bounded(4, suspend)");
  CHECK(e.credits == 4);
  check_law(whole_run(s));
}

TEST_CASE("a restart hands out no credit twice: queued messages from before it still count against the capacity") {
  fixture f;
  f.start();
  weir::testing::hold(f.sink_h);
  f.t.run_until_idle();
  f.send({.count = 4, .then_crash = true});  // spends every credit, then crashes
  CHECK(f.restarts() == 1);
  weir::edge_snapshot e = live_edge(f.t.system.snapshot(), feeder_edge);
  CHECK(e.depth == 4);
  CHECK(e.credits == 0);  // a fresh edge would have 4

  // The new behaviour sends on it: no credit, so its message is held at the
  // sender and it is suspended, exactly as the old one would have been.
  f.send({.count = 1});
  weir::system_snapshot s = f.t.system.snapshot();
  e = live_edge(s, feeder_edge);
  CHECK(e.depth == 5);
  CHECK(e.held == 1);
  CHECK(e.credits == 0);
  const weir::actor_snapshot* fd = s.find("/sup/feeder");
  REQUIRE(fd != nullptr);
  CHECK(fd->state == weir::actor_state::suspended);
  REQUIRE(fd->waits.size() == 1);
  CHECK(fd->waits.front().on == feeder_edge);
  f.send({.count = 1});  // waits in the suspended feeder's inbox: nothing more reaches the sink
  CHECK(live_edge(f.t.system.snapshot(), feeder_edge).depth == 5);

  weir::testing::release(f.sink_h);  // the receiver drains: credit returns, the feeder resumes
  f.t.run_until_idle();
  s = f.t.system.snapshot();
  e = live_edge(s, feeder_edge);
  CHECK(e.sent == 6);
  CHECK(e.handled == 6);
  CHECK(e.depth == 0);
  CHECK(e.credits == 4);
  CHECK(s.find("/sup/feeder")->state == weir::actor_state::idle);
  check_law(whole_run(s));
}

TEST_CASE("a behaviour that fails to build gives back the edge it took: the next attempt has it, credit and all") {
  fixture f;
  f.start();
  weir::testing::hold(f.sink_h);
  f.t.run_until_idle();
  f.plan.failed_builds = 1;
  f.send({.count = 4, .then_crash = true});  // every credit spent; the first restart throws in the constructor
  CHECK(f.restarts() == 2);
  CHECK(f.plan.failed_builds == 0);
  weir::system_snapshot s = f.t.system.snapshot();
  const weir::edge_snapshot e = live_edge(s, feeder_edge);
  CHECK(e.sent == 4);
  CHECK(e.depth == 4);
  CHECK(e.credits == 0);
  CHECK(s.closed_edges.empty());
  weir::testing::release(f.sink_h);
  f.send({.count = 1});
  s = f.t.system.snapshot();
  CHECK(live_edge(s, feeder_edge).handled == 5);
  check_law(whole_run(s));
}

TEST_CASE("an edge the restarted behaviour does not reopen closes, and its final counts stay in the snapshot") {
  fixture f;
  f.start();
  f.send({.count = 3});
  weir::testing::hold(f.sink_h);
  f.t.run_until_idle();
  f.plan.policy.reset();  // the next behaviour opens no edge
  f.send({.count = 2, .then_crash = true});
  REQUIRE(f.restarts() == 1);

  // Let go, but two messages are still queued: it stays live, into /sink.
  weir::system_snapshot s = f.t.system.snapshot();
  weir::edge_snapshot e = live_edge(s, feeder_edge);
  CHECK(e.sent == 5);
  CHECK(e.depth == 2);
  CHECK(closed_named(s, feeder_edge).empty());
  check_law(whole_run(s));

  weir::testing::release(f.sink_h);
  f.t.run_until_idle();
  s = f.t.system.snapshot();
  CHECK(edges_named(s, feeder_edge).empty());
  const auto closed = closed_named(s, feeder_edge);
  REQUIRE(closed.size() == 1);
  CHECK(closed.front().edges == 1);
  CHECK(closed.front().policy == "bounded(4, suspend)");
  CHECK(closed.front().carries.find("item") != std::string::npos);
  CHECK(closed.front().totals.sent == 5);
  CHECK(closed.front().totals.handled == 5);
  CHECK(closed.front().totals.depth == 0);
  check_law(whole_run(s));
}

TEST_CASE("a different policy after the restart opens a new edge; the old one closes beside it") {
  fixture f;
  f.start();
  f.send({.count = 3});
  f.plan.policy = weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::fail};
  f.send({.count = 1, .then_crash = true});  // the restart opens a bounded(2, fail) edge
  f.send({.count = 3});                      // two fit, one is refused
  f.send({.then_crash = true});              // the same policy again: this restart keeps the edge
  f.send({.count = 1});
  const weir::system_snapshot s = f.t.system.snapshot();
  CHECK(f.restarts() == 2);
  const weir::edge_snapshot e = live_edge(s, feeder_edge);
  CHECK(e.policy == "bounded(2, fail)");
  CHECK(e.sent == 4);
  CHECK(e.refused == 1);
  const auto closed = closed_named(s, feeder_edge);
  REQUIRE(closed.size() == 1);
  CHECK(closed.front().policy == "bounded(4, suspend)");
  CHECK(closed.front().totals.sent == 4);
  CHECK(closed.front().totals.handled == 4);
  check_law(whole_run(s));
}

TEST_CASE("edges opened in on_start come back too: a ring (drop_oldest) and a pulse edge") {
  fixture f;
  f.plan.policy = weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::drop_oldest};
  f.plan.in_on_start = true;
  f.plan.pulse = true;
  f.start();
  weir::testing::hold(f.sink_h);
  f.t.run_until_idle();
  f.send({.count = 5, .then_crash = true, .pulses = 3});  // ring: 3 dropped, 2 kept; pulses: one delivery waits
  REQUIRE(f.restarts() == 1);
  f.send({.count = 1, .pulses = 2});  // the same ring: one more dropped; the pulses merge into the waiting one
  weir::system_snapshot s = f.t.system.snapshot();
  const auto both = edges_named(s, feeder_edge);  // both share the label: the policy tells them apart
  REQUIRE(both.size() == 2);
  for (const weir::edge_snapshot& in : both) {
    if (in.policy == "pulse") {
      CHECK(in.sent == 5);
      CHECK(in.coalesced == 4);
      CHECK(in.depth == 1);
    } else {
      CHECK(in.policy == "bounded(2, drop_oldest)");
      CHECK(in.sent == 6);
      CHECK(in.dropped == 4);
      CHECK(in.depth == 2);
    }
  }
  CHECK(s.closed_edges.empty());

  weir::testing::release(f.sink_h);
  f.t.run_until_idle();
  s = f.t.system.snapshot();
  for (const weir::edge_snapshot& in : edges_named(s, feeder_edge)) {
    CHECK(in.depth == 0);
    check_law(counts_of(in));
  }
  check_law(whole_run(s));
}

TEST_CASE("the law holds over a whole run from the snapshot alone: restarts, policy changes, outside edges, a stopped receiver") {
  fixture f;
  f.start();
  const std::vector<weir::edge_policy> policies{
      weir::bounded{.capacity = 4},
      weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::fail},
      weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::drop_newest},
      weir::unbounded{.penalty = std::nullopt},
  };
  std::uint64_t items = 0;  // what the feeder was asked to send on its edges
  for (int round = 0; round < 8; ++round) {
    CAPTURE(round);
    f.plan.policy = policies[static_cast<std::size_t>(round / 2) % policies.size()];  // each policy twice in a row
    f.send({.count = 3, .then_crash = true});
    items += 3;
    check_law(whole_run(f.t.system.snapshot()));
  }
  {
    // A thread that is not an actor: its edge closes when it lets go.
    auto outside = weir::connect(f.sink_h, weir::bounded{.capacity = 8, .on_full = weir::overflow_reaction::drop_newest});
    for (int i = 0; i < 10; ++i) (void)outside.send(item{i});
  }
  f.t.run_until_idle();
  f.sink_h.stop();  // stopped for good: the feeder's edge into it is closed, sends on it dead letters
  f.t.run_until_idle();
  f.send({.count = 2});
  items += 2;

  const weir::system_snapshot s = f.t.system.snapshot();
  CHECK(f.restarts() == 8);
  CHECK(s.find("/sink") == nullptr);
  check_law(whole_run(s));

  std::uint64_t sent = 0;
  std::uint64_t edges = 0;
  for (const weir::closed_edge_snapshot& c : closed_named(s, feeder_edge)) {
    sent += c.totals.sent;
    edges += c.edges;
    check_law(c.totals);
  }
  CHECK(edges_named(s, feeder_edge).empty());  // its receiver is gone: closed, though the feeder still holds it
  CHECK(sent == items);
  CHECK(edges == 4);  // one edge per policy: each kept across the restart that did not change it
  const auto outside = closed_named(s, "(outside) -> /sink");
  REQUIRE(outside.size() == 1);
  CHECK(outside.front().totals.sent == 10);
  CHECK(outside.front().totals.dropped == 2);
  CHECK(outside.front().totals.handled == 8);
}

TEST_CASE("a sender its supervisor gives up on: its parked edges close with their counts") {
  fixture f;
  f.start(/*intensity=*/0);
  weir::testing::hold(f.sink_h);
  f.t.run_until_idle();
  f.send({.count = 2, .then_crash = true});  // no restart: the supervisor stops, releasing the feeder
  CHECK(f.feeder_h.stopped());
  weir::system_snapshot s = f.t.system.snapshot();
  CHECK(live_edge(s, feeder_edge).depth == 2);  // still queued: live until consumed
  weir::testing::release(f.sink_h);
  f.t.run_until_idle();
  s = f.t.system.snapshot();
  CHECK(edges_named(s, feeder_edge).empty());
  const auto closed = closed_named(s, feeder_edge);
  REQUIRE(closed.size() == 1);
  CHECK(closed.front().totals.sent == 2);
  CHECK(closed.front().totals.handled == 2);
  check_law(whole_run(s));
}

TEST_CASE("closed edges stay bounded in memory: past the bound, alike or not, they are summed in one entry") {
  weir::testing::manual_system t;
  constexpr int actors = 1100;
  for (int i = 0; i < actors; ++i) {
    auto h = t.system.spawn<sink>("s" + std::to_string(i));
    h.send(item{i});  // an ad-hoc edge into it, which closes when the actor is gone
    t.run_until_idle();
    h.stop();
    t.run_until_idle();
  }
  const weir::system_snapshot s = t.system.snapshot();
  CHECK(s.closed_edges.size() == 1025);  // the bound, then the rest in one entry
  const auto rest = closed_named(s, "(other closed edges)");
  REQUIRE(rest.size() == 1);
  CHECK(rest.front().edges == actors - 1024);
  const weir::edge_stats all = whole_run(s);
  CHECK(all.sent == actors);
  CHECK(all.handled == actors);
  check_law(all);
}
