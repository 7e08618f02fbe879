// Real threads over edges: credit hand-back, suspension and blocking under
// preemption, with exact accounting. Runs under TSan in CI; watchdog-bounded.

#include <weir/edge.hpp>  // first: the header must be self-contained
#include <weir/system.hpp>

#include "log_capture.hpp"
#include "scale.hpp"
#include "watchdog.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {


struct item {
  std::uint64_t n;
};
using item_port = weir::interface<item>;


// Checks order and arrives when it has seen `expected` items.
class sink : public weir::actor<item> {
 public:
  sink(std::uint64_t expected, weir::test::countdown& done) : expected_(expected), done_(done) {}
  void on_message(item& i) override {
    if (i.n != next_) ++out_of_order;
    next_ = i.n + 1;
    if (++seen_ == expected_) done_.arrive();
  }
  std::uint64_t out_of_order = 0;

 private:
  std::uint64_t expected_;
  weir::test::countdown& done_;
  std::uint64_t next_ = 0;
  std::uint64_t seen_ = 0;
};

struct wire {
  weir::handle<item_port> next;
};

// Forwards over a tight bounded edge: suspends whenever downstream lags.
class relay : public weir::actor<item, wire> {
 public:
  void on_message(wire& w) override { out_ = weir::connect(w.next, weir::bounded{.capacity = 4, .on_full = weir::overflow_reaction::suspend}); }
  void on_message(item& i) override { (void)out_.send(item{i.n}); }

 private:
  weir::edge<item_port> out_;
};

struct pump {};

// Produces `total` items, a slice per turn, over a bounded edge.
class producer : public weir::actor<pump, wire> {
 public:
  explicit producer(std::uint64_t total) : total_(total) {}
  void on_message(wire& w) override { out_ = weir::connect(w.next, weir::bounded{.capacity = 8, .on_full = weir::overflow_reaction::suspend}); }
  void on_message(pump&) override {
    for (int i = 0; i < 16 && sent_ < total_; ++i) (void)out_.send(item{sent_++});
    if (sent_ < total_) self().send(pump{});
  }

 private:
  std::uint64_t total_;
  std::uint64_t sent_ = 0;
  weir::edge<item_port> out_;
};

}  // namespace

TEST_CASE("stress: a chain of bounded edges delivers everything in order while suspending and resuming") {
  weir::test::watchdog dog("bounded chain", 300s);
  const std::uint64_t total = weir::test::scaled(300'000);
  weir::system_config config;
  config.threads = 4;
  weir::system sys(config);
  weir::test::countdown done(1);
  auto end = sys.spawn<sink>("sink", total, done);
  std::vector<weir::handle<relay>> relays;
  weir::handle<item_port> next = end;
  for (int i = 0; i < 6; ++i) {
    auto r = sys.spawn<relay>("relay-" + std::to_string(i));
    r.send(wire{next});
    next = r;
    relays.push_back(r);
  }
  auto p = sys.spawn<producer>("producer", total);
  p.send(wire{next});
  p.send(pump{});
  done.wait();
  sys.shutdown();
  CHECK(end.handled() == total);
  CHECK(sys.dead_letters() == 0);
}

TEST_CASE("stress: a thread that is not an actor blocks for credit and never overdraws") {
  weir::test::watchdog dog("foreign blocking", 300s);
  const std::uint64_t total = weir::test::scaled(200'000);
  weir::system_config config;
  config.threads = 2;
  weir::system sys(config);
  weir::test::countdown done(1);
  auto s = sys.spawn<sink>("sink", total, done);
  auto e = weir::connect(s, weir::bounded{.capacity = 16, .on_full = weir::overflow_reaction::suspend});
  std::int64_t worst_depth = 0;
  std::uint64_t not_ok = 0;
  for (std::uint64_t i = 0; i < total; ++i) {
    if (e.send(item{i}) != weir::send_result::ok) ++not_ok;
    worst_depth = std::max(worst_depth, e.stats().depth);
  }
  REQUIRE(not_ok == 0);
  done.wait();
  sys.shutdown();
  CHECK(worst_depth <= 16);
  const auto st = e.stats();
  CHECK(st.sent == total);
  CHECK(st.handled == total);
  CHECK(st.depth == 0);
}

TEST_CASE("stress: lossy reactions under real threads account for every message") {
  weir::test::watchdog dog("lossy reactions", 300s);
  const std::uint64_t per_edge = weir::test::scaled(200'000);
  for (auto reaction : {weir::overflow_reaction::fail, weir::overflow_reaction::drop_newest,
                        weir::overflow_reaction::drop_oldest}) {
    CAPTURE(weir::to_string(reaction));
    weir::system_config config;
    config.threads = 2;
    weir::system sys(config);
    weir::test::countdown never(1);  // the sink's count is not what we wait for here
    auto s = sys.spawn<sink>("sink", ~std::uint64_t{0}, never);
    auto e = weir::connect(s, weir::bounded{.capacity = 32, .on_full = reaction});
    std::uint64_t refused = 0;
    std::uint64_t dropped = 0;
    for (std::uint64_t i = 0; i < per_edge; ++i) {
      switch (e.send(item{i})) {
        case weir::send_result::would_block: ++refused; break;
        case weir::send_result::dropped: ++dropped; break;
        default: break;
      }
    }
    sys.shutdown();  // what is still queued becomes dead letters
    const auto st = e.stats();
    CHECK(st.sent == per_edge);
    CHECK(st.refused == refused);
    CHECK(st.depth == 0);
    CHECK(st.sent == st.handled + st.refused + st.dropped + st.coalesced + st.dead_lettered);
    if (reaction == weir::overflow_reaction::drop_newest) CHECK(st.dropped == dropped);
  }
}
