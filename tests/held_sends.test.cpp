// bounded(n) means n in flight: a send from an actor that finds no credit is
// held at the sender's end of the edge, and the actor is suspended after its
// handler until its held messages have gone on (see weir::bounded).

#include <weir/edge.hpp>  // first: the header must be self-contained
#include <weir/supervisor.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "collector.hpp"
#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using weir::test::collector;
using weir::test::item;

template <class Counts>  // edge_stats or edge_snapshot
void check_law(const Counts& s) {
  CHECK(s.sent == s.handled + s.refused + s.dropped + s.coalesced + s.dead_lettered +
                      static_cast<std::uint64_t>(s.depth));
}

// ---------------------------------------------------------------------------
// bounded(1) ping-pong: the receiver keeps up, so nobody is ever suspended.

struct ball {
  int n;
};
struct serve_to {
  weir::handle<weir::interface<ball>> peer;
  int rounds;
};

// Manual mode runs everything on the test's thread, so the test may look at
// a behaviour's edge through the pointer it leaves.
class player : public weir::actor<ball, serve_to> {
 public:
  explicit player(const player** self) { *self = this; }
  void on_message(serve_to& s) override {
    out_ = weir::connect(s.peer, weir::bounded{.capacity = 1});
    rounds_ = s.rounds;
  }
  void on_message(ball& b) override {
    ++got_;
    if (b.n < rounds_) (void)out_.send(ball{b.n + 1});
  }
  [[nodiscard]] weir::edge_stats stats() const { return out_.stats(); }
  int got_ = 0;
  int rounds_ = 0;

 private:
  weir::edge<weir::interface<ball>> out_;
};

// ---------------------------------------------------------------------------
// A burst: one handler sends `count` items, and may then throw.

struct burst {
  int first;
  int count;
  bool then_crash = false;
};
struct ping {};

class burster : public weir::actor<burst, ping> {
 public:
  burster(weir::handle<collector> to, std::size_t capacity, int* pings, const burster** self)
      : out_(weir::connect(to, weir::bounded{.capacity = capacity})), pings_(pings) {
    *self = this;
  }
  void on_message(burst& b) override {
    for (int i = 0; i < b.count; ++i) REQUIRE(out_.send(item{b.first + i}) == weir::send_result::ok);
    if (b.then_crash) throw std::runtime_error("after the burst");
  }
  void on_message(ping&) override {
    if (pings_ != nullptr) ++*pings_;
  }
  [[nodiscard]] weir::edge_stats stats() const { return out_.stats(); }

 private:
  weir::edge<collector> out_;
  int* pings_;
};

std::vector<int> iota(int from, int to) {
  std::vector<int> out;
  for (int i = from; i < to; ++i) out.push_back(i);
  return out;
}

const weir::edge_snapshot& edge_into(const weir::system_snapshot& s, const std::string& label) {
  for (const auto& a : s.actors) {
    for (const auto& e : a.edges) {
      if (e.edge == label) return e;
    }
  }
  FAIL("no live edge " << label);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("bounded(1) ping-pong with a receiver that keeps up never suspends") {
  weir::testing::manual_system t;
  const player* pa = nullptr;
  const player* pb = nullptr;
  auto a = t.system.spawn<player>("a", &pa);
  auto b = t.system.spawn<player>("b", &pb);
  a.send(serve_to{b, 1000});
  b.send(serve_to{a, 1000});
  t.run_until_idle();
  b.send(ball{0});  // b's ball: a serves 1 to b, b serves 2 to a, ... up to 1000
  while (t.run_one()) {
    REQUIRE_FALSE(a.suspended());
    REQUIRE_FALSE(b.suspended());
  }
  CHECK(pa->got_ + pb->got_ == 1001);
  for (const player* p : {pa, pb}) {
    const weir::edge_stats s = p->stats();
    CHECK(s.sent == 500);
    CHECK(s.handled == 500);
    CHECK(s.held == 0);
    CHECK(s.credits == 1);
    CHECK(s.suspensions == 0);  // never, not once
    check_law(s);
  }
}

// A burster on a bounded(4) edge into a collector that the test holds, told
// to send 10 in one handler (not yet run).
struct burst_into_held {
  burst_into_held() {
    t.run_until_idle();
    weir::testing::hold(c);
    p.send(burst{0, 10});
  }
  std::vector<int> got;
  weir::testing::manual_system t;
  weir::handle<collector> c = t.system.spawn<collector>("c", got);
  int pings = 0;
  const burster* pb = nullptr;
  weir::handle<burster> p = t.system.spawn<burster>("p", c, std::size_t{4}, &pings, &pb);
};

TEST_CASE("a handler that sends 10 on bounded(4): 4 in flight, 6 held, all delivered in order, the law holds") {
  burst_into_held scene;
  auto& [got, t, c, pings, pb, p] = scene;
  p.send(ping{});
  t.run_until_idle();

  CHECK(c.queued() == 4);  // never more than the capacity at the receiver
  CHECK(p.suspended());
  CHECK(pings == 0);  // suspended after the handler: the next message waits
  const weir::edge_snapshot e = edge_into(t.system.snapshot(), "/p -> /c");
  CHECK(e.sent == 10);
  CHECK(e.depth == 10);
  CHECK(e.held == 6);
  CHECK(e.credits == 0);
  check_law(e);
  const auto waits = p.waits();
  REQUIRE(waits.size() == 1);
  CHECK(waits[0].on == "/p -> /c");

  // Every step of the drain: at most 4 at the receiver, the law exact.
  weir::testing::release(c);
  while (t.run_one()) {
    REQUIRE(c.queued() <= 4);
    check_law(pb->stats());
  }
  CHECK(got == iota(0, 10));
  CHECK_FALSE(p.suspended());
  CHECK(pings == 1);
  const weir::edge_stats s = pb->stats();
  CHECK(s.handled == 10);
  CHECK(s.held == 0);
  CHECK(s.suspensions == 1);
  check_law(s);
}

TEST_CASE("messages held by a sender that crashes go on after its restart, first and in order") {
  weir::test::log_capture capture;
  std::vector<int> got;
  weir::testing::manual_system t(capture.config());
  auto c = t.system.spawn<collector>("c", got);
  int pings = 0;
  const burster* pb = nullptr;
  auto sup = t.system.spawn<weir::supervisor>(
      "sup", weir::supervisor_flags{.intensity = 3},
      std::vector{weir::worker<burster>("p", c, std::size_t{4}, &pings, &pb)});
  t.run_until_idle();
  auto p = *t.system.find<burster>("/sup/p");
  weir::testing::hold(c);
  p.send(burst{0, 10, true});  // 4 in flight, 6 held, then the handler throws
  t.run_until_idle();
  CHECK(weir::detail_cell(p).restarts() == 1);
  CHECK(c.queued() == 4);
  CHECK(pb->stats().held == 6);  // the new behaviour took the edge back, held messages and all
  // Held by the old behaviour: the new one is not suspended by them.
  CHECK_FALSE(p.suspended());
  p.send(ping{});
  t.run_until_idle();
  CHECK(pings == 1);
  // Its own sends queue behind them, and suspend it.
  p.send(burst{10, 2});
  t.run_until_idle();
  CHECK(p.suspended());
  CHECK(pb->stats().held == 8);
  weir::testing::release(c);
  while (t.run_one()) REQUIRE(c.queued() <= 4);
  CHECK(got == iota(0, 12));
  CHECK_FALSE(p.suspended());
  const weir::edge_stats s = pb->stats();
  CHECK(s.sent == 12);
  CHECK(s.handled == 12);
  CHECK(s.dead_lettered == 0);
  check_law(s);
}

TEST_CASE("messages held by a sender that stops for good are dead-lettered, counted on the edge") {
  burst_into_held scene;
  auto& [got, t, c, pings, pb, p] = scene;
  t.run_until_idle();
  REQUIRE(p.suspended());
  p.stop();  // a control signal: acts while suspended
  t.run_until_idle();
  CHECK(p.stopped());
  CHECK(c.dead_letters() == 6);
  CHECK(t.system.dead_letters() == 6);
  weir::testing::release(c);
  t.run_until_idle();
  CHECK(got == iota(0, 4));  // what was in flight is delivered
  const weir::system_snapshot s = t.system.snapshot();
  const auto closed_edge = std::find_if(s.closed_edges.begin(), s.closed_edges.end(),
                                       [](const auto& e) { return e.edge == "/p -> /c"; });
  REQUIRE(closed_edge != s.closed_edges.end());
  const weir::edge_stats& closed = closed_edge->totals;
  CHECK(closed.sent == 10);
  CHECK(closed.handled == 4);
  CHECK(closed.dead_lettered == 6);
  CHECK(closed.depth == 0);
  CHECK(closed.held == 0);
  check_law(closed);
}
