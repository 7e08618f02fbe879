#include <weir/edge.hpp>  // first: the header must be self-contained
#include <weir/detail/foreign_penalty.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <memory>
#include <type_traits>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct item {
  int n;
};
struct parcel {
  std::unique_ptr<int> value;
};

class collector : public weir::actor<item, parcel> {
 public:
  explicit collector(std::vector<int>& got) : got_(got) {}
  void on_message(item& i) override { got_.push_back(i.n); }
  void on_message(parcel& p) override { got_.push_back(*p.value); }

 private:
  std::vector<int>& got_;
};


void check_conservation(const weir::edge_stats& s) {
  CHECK(s.sent == s.handled + s.refused + s.dropped + s.coalesced + s.dead_lettered +
                      static_cast<std::uint64_t>(s.depth));
}

}  // namespace

TEST_CASE("bounded(fail): without credit the send is refused and the message stays with the caller") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  auto e = weir::connect(c, weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::fail});
  CHECK(e.send(item{1}) == weir::send_result::ok);
  CHECK(e.send(item{2}) == weir::send_result::ok);
  CHECK(e.stats().credits == 0);
  parcel p{std::make_unique<int>(3)};
  CHECK(e.send(std::move(p)) == weir::send_result::would_block);
  REQUIRE(p.value != nullptr);  // handed back intact
  CHECK(*p.value == 3);
  t.run_until_idle();  // the receiver consumes; credit comes back at the end of its turn
  CHECK(e.stats().credits == 2);
  CHECK(e.send(std::move(p)) == weir::send_result::ok);
  t.run_until_idle();
  CHECK(got == std::vector<int>{1, 2, 3});
  const auto s = e.stats();
  CHECK(s.sent == 4);
  CHECK(s.refused == 1);
  CHECK(s.handled == 3);
  check_conservation(s);
}

TEST_CASE("bounded(drop_newest): the message sent without credit is dropped and counted") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  auto e = weir::connect(c, weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::drop_newest});
  for (int i = 1; i <= 4; ++i) (void)e.send(item{i});
  t.run_until_idle();
  CHECK(got == std::vector<int>{1, 2});
  CHECK(e.stats().dropped == 2);
  check_conservation(e.stats());
}

TEST_CASE("bounded(drop_oldest): the newest are kept, the oldest unconsumed are dropped") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  auto e = weir::connect(c, weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::drop_oldest});
  for (int i = 1; i <= 5; ++i) CHECK(e.send(item{i}) == weir::send_result::ok);
  t.run_until_idle();
  CHECK(got == std::vector<int>{4, 5});
  CHECK(e.stats().dropped == 3);
  CHECK(e.stats().depth == 0);
  check_conservation(e.stats());
}

TEST_CASE("bounded(suspend) from a thread that is not an actor: with a zero timeout it answers would_block") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  weir::bounded policy = weir::bounded{.capacity = 1, .on_full = weir::overflow_reaction::suspend};
  policy.block_timeout = 0ns;
  auto e = weir::connect(c, policy);
  CHECK(e.send(item{1}) == weir::send_result::ok);
  CHECK(e.send(item{2}) == weir::send_result::would_block);  // never overdraws
  CHECK(e.stats().suspensions == 1);                          // it did block, for zero time
  t.run_until_idle();
  CHECK(e.send(item{2}) == weir::send_result::ok);
  t.run_until_idle();
  CHECK(got == std::vector<int>{1, 2});
  check_conservation(e.stats());
}

TEST_CASE("an edge to a stopped actor answers closed and counts a dead letter") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  auto e = weir::connect(c, weir::bounded{.capacity = 4, .on_full = weir::overflow_reaction::fail});
  (void)e.send(item{1});
  c.stop();
  t.run_until_idle();
  CHECK(e.send(item{2}) == weir::send_result::closed);
  const auto s = e.stats();
  CHECK(s.dead_lettered == 2);  // the queued one and the late one
  CHECK(s.depth == 0);
  CHECK(s.credits == 4);  // dead letters give their credit back
  check_conservation(s);
}

// connect<Narrow>(h) with h already a handle<Narrow> used to be ambiguous
// (the "all its messages" and the "narrowed" overloads both matched): it must
// compile and open an edge like the plain connect(h).
TEST_CASE("connect<interface<X>> on a handle<interface<X>> compiles and opens the edge") {
  std::vector<int> got;
  weir::testing::manual_system t;
  const weir::handle<weir::interface<item>> narrow = t.system.spawn<collector>("c", got);
  auto same = weir::connect<weir::interface<item>>(narrow, weir::bounded{.capacity = 1, .on_full = weir::overflow_reaction::fail});
  static_assert(std::is_same_v<decltype(same), weir::edge<weir::interface<item>>>);
  CHECK(same.send(item{1}) == weir::send_result::ok);
  CHECK(same.send(item{2}) == weir::send_result::would_block);  // the policy given is the edge's
  auto plain = weir::connect(narrow, weir::unbounded{});
  static_assert(std::is_same_v<decltype(plain), weir::edge<weir::interface<item>>>);
  CHECK(plain.send(item{3}) == weir::send_result::ok);
  t.run_until_idle();
  CHECK(got == std::vector<int>{1, 3});
}

TEST_CASE("invalid policies are rejected, naming the field and the edge") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  CHECK_THROWS_WITH_AS(weir::connect(c, weir::bounded{}), doctest::Contains("bounded::capacity must be >= 1"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(weir::connect(c, weir::bounded{}), doctest::Contains("edge to /c"), std::invalid_argument);
  weir::unbounded bad;
  bad.penalty = weir::soft_penalty{};
  bad.penalty->per_message = 0ns;
  CHECK_THROWS_WITH_AS(weir::connect(c, bad), doctest::Contains("soft_penalty::per_message must be positive"),
                       std::invalid_argument);
  bad.penalty->per_message = 1ns;
  bad.penalty->cap = -1ns;
  CHECK_THROWS_WITH_AS(weir::connect(c, bad), doctest::Contains("soft_penalty::cap"), std::invalid_argument);
  weir::system_config config;
  config.adhoc.penalty = weir::soft_penalty{};
  config.adhoc.penalty->cap = 0ns;
  CHECK_THROWS_WITH_AS(weir::system{config}, doctest::Contains("system_config::adhoc"), std::invalid_argument);
}

// ---------------------------------------------------------------------------
// Suspension: pressure travels upstream through a chain.

namespace {

struct go {};
struct set_next {
  weir::handle<weir::interface<item>> next;
};

// Sends item{0..count-1} downstream, one per handler, re-arming itself.
class source : public weir::actor<go, set_next> {
 public:
  explicit source(int count) : count_(count) {}
  void on_message(set_next& s) override { out_ = weir::connect(s.next, weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::suspend}); }
  void on_message(go&) override {
    if (sent_ == count_) return;
    (void)out_.send(item{sent_++});
    self().send(go{});
  }
  weir::edge<weir::interface<item>> out_;

 private:
  int count_;
  int sent_ = 0;
};

// Forwards every item over its own bounded edge.
class relay : public weir::actor<item, set_next> {
 public:
  void on_message(set_next& s) override { out_ = weir::connect(s.next, weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::suspend}); }
  void on_message(item& i) override { (void)out_.send(item{i.n}); }

 private:
  weir::edge<weir::interface<item>> out_;
};

}  // namespace

TEST_CASE("chain A -> B -> C with bounded edges: a slow C suspends B, then A; releasing C resumes both") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  auto b = t.system.spawn<relay>("b");
  auto a = t.system.spawn<source>("a", 20);
  b.send(set_next{c});
  a.send(set_next{b});
  t.run_until_idle();

  weir::testing::hold(c);  // C is slow: it handles nothing
  a.send(go{});
  t.run_until_idle();
  CHECK(b.suspended());
  CHECK(a.suspended());
  CHECK(got.empty());
  // Bounded memory: exactly the capacity in flight per edge, never more.
  CHECK(c.queued() == 2);
  CHECK(b.queued() == 2);
  const auto a_handled = a.handled();
  t.run_until_idle();
  CHECK(a.handled() == a_handled);  // suspended actors handle nothing

  // Who waits on which edge, since when: recorded for insight and deadlock detection.
  const auto waits = a.waits();
  REQUIRE(waits.size() == 1);
  CHECK(waits[0].kind == weir::wait_kind::credit);
  CHECK(waits[0].on == "/a -> /b");
  CHECK(waits[0].target == b.id());
  CHECK(waits[0].since == t.clock->now());
  CHECK(a.suspended());

  weir::testing::release(c);
  t.run_until_idle();
  CHECK_FALSE(a.suspended());
  CHECK_FALSE(b.suspended());
  CHECK(a.waits().empty());
  CHECK(b.waits().empty());
  REQUIRE(got.size() == 20);
  for (int i = 0; i < 20; ++i) CHECK(got[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("a suspended actor still stops when asked") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  auto a = t.system.spawn<source>("a", 10);
  a.send(set_next{c});
  t.run_until_idle();
  weir::testing::hold(c);
  a.send(go{});
  t.run_until_idle();
  REQUIRE(a.suspended());
  a.stop();
  t.run_until_idle();
  CHECK(a.stopped());
  CHECK_FALSE(a.suspended());
}

// ---------------------------------------------------------------------------
// Soft penalty: a flooding sender pauses on the clock, never on a thread.

namespace {

struct flood {
  int count;
};

class flooder : public weir::actor<flood, go> {
 public:
  flooder(weir::handle<collector> to, weir::unbounded policy) : out_(weir::connect(to, std::move(policy))) {}
  void on_message(flood& f) override {
    for (int i = 0; i < f.count; ++i) (void)out_.send(item{i});
  }
  void on_message(go&) override { ++goes; }
  int goes = 0;

 private:
  weir::edge<collector> out_;
};

}  // namespace

TEST_CASE("soft penalty: penalty(depth) = min(cap, per_message * (depth - threshold))") {
  weir::soft_penalty p;
  p.threshold = 10;
  p.per_message = 2ms;
  p.cap = 7ms;
  CHECK(p.for_depth(0) == 0ms);
  CHECK(p.for_depth(10) == 0ms);
  CHECK(p.for_depth(11) == 2ms);
  CHECK(p.for_depth(13) == 6ms);
  CHECK(p.for_depth(14) == 7ms);
  CHECK(p.for_depth(std::size_t{1} << 62) == 7ms);  // saturates, no overflow
}

TEST_CASE("soft penalty: the sender's next turn waits out its debt on the clock") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  weir::unbounded policy;
  policy.penalty = weir::soft_penalty{};
  policy.penalty->threshold = 2;
  policy.penalty->per_message = 1ms;
  policy.penalty->cap = 5ms;
  auto f = t.system.spawn<flooder>("f", c, policy);
  t.run_until_idle();
  weir::testing::hold(c);
  t.run_until_idle();
  f.send(flood{5});  // depths 1..5 cost 0+0+1+2+3 = 6 ms
  f.send(go{});
  t.run_until_idle();
  CHECK(f.paused());
  CHECK(f.handled() == 1);  // the go waits
  t.advance(5ms);
  CHECK(f.paused());
  t.advance(1ms);
  CHECK_FALSE(f.paused());
  CHECK(f.handled() == 2);
  weir::testing::release(c);
  t.run_until_idle();
  CHECK(got.size() == 5);  // a penalty slows the sender, it never loses messages
}

// A thread that is not an actor cannot be deferred; it sleeps, but only in
// chunks an OS can sleep, and pays what the clock says it slept.
TEST_CASE("soft penalty: a foreign thread's debt accumulates and is paid in chunks, over-sleep credited") {
  weir::system_config config;
  config.adhoc.penalty = weir::soft_penalty{.threshold = 2, .per_message = 100us, .cap = 1ms};
  weir::testing::manual_system t(config);
  std::vector<int> got;
  auto c = t.system.spawn<collector>("c", got);
  t.run_until_idle();
  t.clock->oversleep_by(250us);
  const auto owes = [&] { return weir::detail::foreign_thread_owes(t.clock); };
  const auto start = t.clock->now();

  for (int i = 1; i <= 5; ++i) CHECK(c.send(item{i}) == weir::send_result::ok);  // depths 1..5: 0+0+100+200+300 us
  CHECK(owes() == 600us);
  CHECK(t.clock->sleeps().empty());  // below one chunk: no sleep at all
  CHECK(t.clock->now() == start);

  CHECK(c.send(item{6}) == weir::send_result::ok);  // +400 us = 1 ms: one sleep pays it
  CHECK(t.clock->sleeps() == std::vector<weir::clock::duration>{1ms});
  CHECK(t.clock->now() - start == 1250us);
  CHECK(owes() == -250us);  // the over-sleep is credited

  CHECK(c.send(item{7}) == weir::send_result::ok);  // +500 us, minus the credit
  CHECK(owes() == 250us);
  CHECK(t.clock->sleeps().size() == 1);

  t.clock->oversleep_by(10ms);  // a thread descheduled for long earns at most one chunk of credit
  for (int i = 8; i <= 9; ++i) CHECK(c.send(item{i}) == weir::send_result::ok);  // +600 +700 us
  CHECK(t.clock->sleeps() == std::vector<weir::clock::duration>{1ms, 1550us});
  CHECK(owes() == -weir::detail::foreign_sleep_chunk);

  t.run_until_idle();
  CHECK(got.size() == 9);  // the penalty slows the sender, it never loses messages
}

TEST_CASE("plain unbounded: no penalty however deep the queue") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto c = t.system.spawn<collector>("c", got);
  auto f = t.system.spawn<flooder>("f", c, weir::unbounded{.penalty = std::nullopt});
  t.run_until_idle();
  weir::testing::hold(c);
  t.run_until_idle();
  f.send(flood{5000});
  f.send(go{});
  t.run_until_idle();
  CHECK_FALSE(f.paused());
  CHECK(f.handled() == 2);
  CHECK(c.queued() == 5000);
}

TEST_CASE("ad-hoc sends use the system's adhoc policy: unbounded with the soft penalty") {
  weir::system_config config;
  CHECK(config.adhoc.penalty.has_value());
  CHECK(config.adhoc.penalty->threshold == 1000);
}

// ---------------------------------------------------------------------------
// Several edges run dry in one handler: each holds what found no credit.

namespace {

struct tick_both {};

class splitter : public weir::actor<tick_both, set_next> {
 public:
  weir::edge<weir::interface<item>> to_a, to_b;
  void on_message(set_next& s) override {
    (to_a ? to_b : to_a) = weir::connect(s.next, weir::bounded{.capacity = 1, .on_full = weir::overflow_reaction::suspend});
  }
  void on_message(tick_both&) override {
    (void)to_a.send(item{n_});
    (void)to_b.send(item{n_++});
    if (n_ < 50) self().send(tick_both{});
  }

 private:
  int n_ = 0;
};

}  // namespace

TEST_CASE("an actor that ran two edges dry is not resumed by the one that drains") {
  std::vector<int> fast_got, slow_got;
  weir::testing::manual_system t;
  auto fast = t.system.spawn<collector>("fast", fast_got);
  auto slow = t.system.spawn<collector>("slow", slow_got);
  auto s = t.system.spawn<splitter>("s");
  s.send(set_next{fast});
  s.send(set_next{slow});
  t.run_until_idle();
  weir::testing::hold(slow);
  s.send(tick_both{});
  t.run_until_idle();
  CHECK(s.suspended());
  CHECK(slow.queued() == 1);  // capacity 1: never more in flight, turn after turn
  CHECK(fast.queued() == 0);
  weir::testing::release(slow);
  t.run_until_idle();
  CHECK(fast_got.size() == 50);
  CHECK(slow_got.size() == 50);
}

// ---------------------------------------------------------------------------
// pause_inbox: work that outlives the handler holds back the next message.

#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace {

namespace asio = boost::asio;

// Each item waits for one byte on a socket (standing for an async write
// completing) before the next item is taken.
class io_bound : public weir::actor<item> {
 public:
  io_bound(asio::local::stream_protocol::socket& socket, std::vector<int>& done) : socket_(socket), done_(done) {}
  void on_message(item& i) override {
    pause_inbox();
    asio::async_read(socket_, asio::buffer(byte_), guard([this, n = i.n](boost::system::error_code ec, std::size_t) {
                       if (!ec) done_.push_back(n);
                       resume_inbox();
                     }));
  }

 private:
  asio::local::stream_protocol::socket& socket_;
  std::vector<int>& done_;
  std::array<char, 1> byte_{};
};

}  // namespace

TEST_CASE("pause_inbox: messages wait while work started by a handler is in flight, and credit with them") {
  std::vector<int> done;
  weir::testing::manual_system t;
  asio::local::stream_protocol::socket ours(t.system.io_context()), theirs(t.system.io_context());
  asio::local::connect_pair(ours, theirs);
  auto w = t.system.spawn<io_bound>("w", theirs, done);
  auto e = weir::connect(w, weir::bounded{.capacity = 2, .on_full = weir::overflow_reaction::fail});
  t.run_until_idle();
  CHECK(e.send(item{1}) == weir::send_result::ok);
  CHECK(e.send(item{2}) == weir::send_result::ok);
  t.run_until_idle();
  CHECK(w.handled() == 1);  // item 1 started; item 2 waits for it
  CHECK(w.queued() == 1);
  CHECK(e.send(item{3}) == weir::send_result::ok);
  CHECK(e.send(item{4}) == weir::send_result::would_block);  // credit tracks the real work
  asio::write(ours, asio::buffer("x", 1));
  t.run_until_idle();
  CHECK(done == std::vector<int>{1});
  CHECK(w.handled() == 2);
  CHECK(e.send(item{4}) == weir::send_result::ok);
  asio::write(ours, asio::buffer("yzw", 3));
  t.run_until_idle();
  CHECK(done == std::vector<int>{1, 2, 3, 4});
}
