// Real threads over coalescing edges, drop_oldest rings and asks: a carrier
// re-queued while it is being delivered, replies racing timeouts. Exact
// accounting; runs under TSan in CI; watchdog-bounded.

#include <weir/coalescing.hpp>  // first: the header must be self-contained
#include <weir/edge.hpp>
#include <weir/system.hpp>

#include "scale.hpp"
#include "watchdog.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {


struct tick;

class pulse_counter : public weir::actor<weir::pulse<tick>> {
 public:
  pulse_counter(std::uint64_t expected, weir::test::countdown& done) : expected_(expected), done_(done) {}
  void on_message(weir::pulse<tick>& p) override {
    total_ += p.count;
    ++deliveries;
    if (total_ == expected_) done_.arrive();
  }
  std::uint64_t deliveries = 0;

 private:
  std::uint64_t expected_;
  weir::test::countdown& done_;
  std::uint64_t total_ = 0;
};

}  // namespace

TEST_CASE("stress: pulses fired from another thread are all counted, in far fewer deliveries") {
  weir::test::watchdog dog("pulses", 300s);
  const std::uint64_t n = weir::test::scaled(1'000'000);
  weir::system_config config;
  config.threads = 2;
  weir::system sys(config);
  weir::test::countdown done(1);
  auto c = sys.spawn<pulse_counter>("counter", n, done);
  weir::pulse_edge<tick> bell(c);
  for (std::uint64_t i = 0; i < n; ++i) bell.fire();
  done.wait();  // every pulse's count arrived
  sys.shutdown();
  const auto s = bell.stats();
  CHECK(s.sent == n);
  CHECK(s.sent == s.handled + s.coalesced + s.dead_lettered);
  CHECK(s.depth == 0);
  CHECK(c.handled() == s.handled);
}

namespace {

struct item {
  std::uint64_t n;
};

class ring_sink : public weir::actor<item> {
 public:
  void on_message(item& i) override {
    if (i.n < last_) ++out_of_order;  // a ring keeps order
    last_ = i.n;
  }
  std::uint64_t out_of_order = 0;

 private:
  std::uint64_t last_ = 0;
};

}  // namespace

TEST_CASE("stress: a drop_oldest ring under real threads keeps order and accounts for every message") {
  weir::test::watchdog dog("ring", 300s);
  const std::uint64_t n = weir::test::scaled(500'000);
  weir::system_config config;
  config.threads = 2;
  std::vector<weir::edge_stats> stats;
  {
    weir::system sys(config);
    auto s = sys.spawn<ring_sink>("sink");
    auto e = weir::connect(s, weir::bounded{.capacity = 64, .on_full = weir::overflow_reaction::drop_oldest});
    std::int64_t worst = 0;
    std::uint64_t not_ok = 0;
    for (std::uint64_t i = 1; i <= n; ++i) {
      if (e.send(item{i}) != weir::send_result::ok) ++not_ok;
      worst = std::max(worst, e.stats().depth);
    }
    CHECK(not_ok == 0);
    // Memory stays bounded by the capacity, however far ahead the sender runs:
    // 64 in the ring, plus the one the receiver may be handling right now.
    // (queued() would lag here: consumption is published in credit batches.)
    CHECK(worst <= 64 + 1);
    sys.shutdown();     // what is still in the ring becomes dead letters
    stats.push_back(e.stats());
  }
  const auto& st = stats.front();
  CHECK(st.sent == n);
  CHECK(st.sent == st.handled + st.dropped + st.dead_lettered);
  CHECK(st.depth == 0);
}

namespace {

struct get_double {
  std::uint64_t n;
  weir::reply_to<std::uint64_t> reply;
};

class doubler : public weir::actor<get_double> {
 public:
  void on_message(get_double& q) override { q.reply.send(q.n * 2); }
};

struct start {};

// Keeps `window` asks in flight until `total` have been answered.
class asker : public weir::actor<start> {
 public:
  asker(weir::handle<doubler> to, std::uint64_t total, weir::test::countdown& done)
      : to_(std::move(to)), total_(total), done_(done) {}
  void on_message(start&) override {
    for (int i = 0; i < 8; ++i) next();
  }
  std::uint64_t answered = 0;
  std::uint64_t wrong = 0;
  std::uint64_t failed = 0;

 private:
  void next() {
    if (issued_ == total_) return;
    const std::uint64_t n = issued_++;
    ask(
        to_, get_double{n, {}}, 1h,
        [this, n](std::uint64_t r) {
          if (r != n * 2) ++wrong;
          finish();
        },
        [this](weir::ask_error) {
          ++failed;
          finish();
        });
  }
  void finish() {
    if (++answered == total_) done_.arrive();
    next();
  }

  weir::handle<doubler> to_;
  std::uint64_t total_;
  weir::test::countdown& done_;
  std::uint64_t issued_ = 0;
};

}  // namespace

TEST_CASE("stress: many askers, many asks across threads: every ask ends exactly once, with its own reply") {
  weir::test::watchdog dog("asks", 300s);
  const std::uint64_t per_asker = weir::test::scaled(20'000);
  const int askers = 6;
  weir::system_config config;
  config.threads = 4;
  weir::system sys(config);
  weir::test::countdown done(askers);
  auto d = sys.spawn<doubler>("doubler");
  std::vector<weir::handle<asker>> all;
  for (int i = 0; i < askers; ++i) {
    all.push_back(sys.spawn<asker>("asker-" + std::to_string(i), d, per_asker, done));
    all.back().send(start{});
  }
  done.wait();
  for (auto& a : all) CHECK(a.pending_asks() == 0);
  for (auto& a : all) CHECK(a.late_replies() == 0);
  sys.shutdown();
  CHECK(d.handled() == per_asker * askers);
}
