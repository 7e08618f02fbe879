// Real threads, thousands of actors, millions of messages: exact accounting.
// Runs under TSan in CI. Every wait is bounded by a watchdog.

#include <weir/system.hpp>  // first: the header must be self-contained

#include "log_capture.hpp"
#include "scale.hpp"
#include "watchdog.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {


struct item {
  std::uint32_t producer;
  std::uint32_t seq;  // per (producer, sink) pair
};
struct go {};

// Counts items and checks per-producer FIFO; arrives at `done` when it has
// seen everything it was told to expect.
class sink : public weir::actor<item> {
 public:
  sink(std::size_t producers, std::uint64_t expected, weir::test::countdown& done)
      : next_(producers, 0), expected_(expected), done_(done) {
    if (expected_ == 0) done_.arrive();
  }
  void on_message(item& i) override {
    if (i.seq != next_[i.producer]) ++out_of_order;
    next_[i.producer] = i.seq + 1;
    if (++received_ == expected_) done_.arrive();
  }
  static inline std::atomic<std::uint64_t> out_of_order{0};

 private:
  std::vector<std::uint32_t> next_;
  std::uint64_t received_ = 0;
  std::uint64_t expected_;
  weir::test::countdown& done_;
};

// Sends `per_producer` items to sinks chosen by a seeded generator, a slice
// per turn (re-arming itself) so producers interleave on the pool.
class producer : public weir::actor<go> {
 public:
  producer(std::uint32_t id, std::vector<weir::handle<sink>>& sinks, std::vector<std::uint32_t> targets,
           std::atomic<std::uint64_t>& closed)
      : id_(id), sinks_(sinks), targets_(std::move(targets)), seq_(sinks.size(), 0), closed_(closed) {}
  void on_message(go&) override {
    const std::size_t end = std::min(targets_.size(), next_ + 1000);
    for (; next_ < end; ++next_) {
      const std::uint32_t to = targets_[next_];
      if (sinks_[to].send(item{id_, seq_[to]++}) == weir::send_result::closed) closed_.fetch_add(1);
    }
    if (next_ < targets_.size()) {
      self().send(go{});
    } else {
      quit();
    }
  }

 private:
  std::uint32_t id_;
  std::vector<weir::handle<sink>>& sinks_;
  std::vector<std::uint32_t> targets_;
  std::vector<std::uint32_t> seq_;
  std::size_t next_ = 0;
  std::atomic<std::uint64_t>& closed_;
};

}  // namespace

TEST_CASE("stress: every message is delivered exactly once, in per-sender order") {
  const std::size_t sinks_n = 2000;
  const std::size_t producers_n = 16;
  const std::size_t per_producer = weir::test::scaled(125'000);  // 2 M messages at full scale
  weir::test::watchdog dog("delivery", 300s);
  weir::test::log_capture capture;

  // Decide every target up front, so each sink knows what to expect.
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(sinks_n - 1));
  std::vector<std::vector<std::uint32_t>> targets(producers_n);
  std::vector<std::uint64_t> expected(sinks_n, 0);
  for (auto& list : targets) {
    list.resize(per_producer);
    for (auto& t : list) ++expected[t = pick(rng)];
  }

  weir::system_config config;
  config.threads = 4;  // more threads than cores: more preemption, more interleavings
  config.logger = capture.logger;
  weir::system sys(config);
  weir::test::countdown all_received(sinks_n);
  std::atomic<std::uint64_t> closed{0};
  std::vector<weir::handle<sink>> sinks;
  sinks.reserve(sinks_n);
  for (std::size_t s = 0; s < sinks_n; ++s) {
    sinks.push_back(sys.spawn<sink>("sink-" + std::to_string(s), producers_n, expected[s], all_received));
  }
  for (std::uint32_t p = 0; p < producers_n; ++p) {
    auto prod = sys.spawn<producer>("producer-" + std::to_string(p), p, sinks, targets[p], closed);
    prod.send(go{});
  }
  all_received.wait();
  // A sink arrives inside its last handler; handled() counts handlers that
  // returned, so read it once shutdown has let every handler return.
  sys.shutdown();

  std::uint64_t handled = 0;
  for (auto& s : sinks) handled += s.handled();
  CHECK(handled == producers_n * per_producer);
  CHECK(closed == 0);
  CHECK(sink::out_of_order == 0);
  CHECK(sys.dead_letters() == 0);
  CHECK(sys.crashes() == 0);
  CHECK(sys.live_actors() == 0);
}

namespace {

struct payload {
  std::uint32_t value;
};

// Crashes on every value divisible by `crash_every`: the culprit is a dead
// letter, the rest of its mailbox too; later sends answer closed.
class fragile : public weir::actor<payload> {
 public:
  explicit fragile(std::uint32_t crash_every) : crash_every_(crash_every) {}
  void on_message(payload& p) override {
    if (p.value % crash_every_ == 0) throw std::runtime_error("injected");
  }

 private:
  std::uint32_t crash_every_;
};

// Floods its targets from a thread of the pool, counting what was refused.
class flooder : public weir::actor<go> {
 public:
  flooder(std::vector<weir::handle<fragile>>& targets, std::size_t count, std::atomic<std::uint64_t>& refused,
          weir::test::countdown& done)
      : targets_(targets), count_(count), refused_(refused), done_(done) {}
  void on_message(go&) override {
    std::mt19937 rng(static_cast<std::uint32_t>(id()));
    for (std::size_t i = 0; i < count_; ++i) {
      auto& to = targets_[rng() % targets_.size()];
      if (to.send(payload{static_cast<std::uint32_t>(rng())}) == weir::send_result::closed) refused_.fetch_add(1);
    }
    done_.arrive();
  }

 private:
  std::vector<weir::handle<fragile>>& targets_;
  std::size_t count_;
  std::atomic<std::uint64_t>& refused_;
  weir::test::countdown& done_;
};

}  // namespace

TEST_CASE("stress: with crashes injected, sent = handled + dead letters, exactly") {
  const std::size_t targets_n = 500;
  const std::size_t flooders_n = 8;
  const std::size_t per_flooder = weir::test::scaled(100'000);
  weir::test::watchdog dog("crash accounting", 300s);
  weir::test::log_capture capture;  // crashes log at error level: keep them out of the output
  weir::system_config config;
  config.threads = 4;
  config.logger = capture.logger;
  std::atomic<std::uint64_t> refused{0};
  std::vector<weir::handle<fragile>> targets;
  {
    weir::system sys(config);
    for (std::size_t i = 0; i < targets_n; ++i) targets.push_back(sys.spawn<fragile>("fragile-" + std::to_string(i), 5000));
    weir::test::countdown sent(flooders_n);
    for (std::size_t f = 0; f < flooders_n; ++f) {
      sys.spawn<flooder>("flooder-" + std::to_string(f), targets, per_flooder, refused, sent).send(go{});
    }
    sent.wait();
    sys.shutdown();  // whatever is still queued becomes a dead letter
    CHECK(sys.crashes() > 0);
    CHECK(sys.live_actors() == 0);
  }
  std::uint64_t handled = 0;
  std::uint64_t dead = 0;
  for (auto& t : targets) {
    handled += t.handled();
    dead += t.dead_letters();
  }
  // Refused sends were counted as dead letters by the receiver as well.
  CHECK(handled + dead == flooders_n * per_flooder);
  CHECK(refused <= dead);
}

namespace {

struct spawn_wave {
  int depth;
};

// Spawns a small subtree that quits bottom-up, over and over, while the
// system runs on several threads: the tree's bookkeeping under churn.
class churner : public weir::actor<spawn_wave> {
 public:
  explicit churner(weir::test::countdown* done) : done_(done) {}
  void on_message(spawn_wave& w) override {
    if (w.depth == 0) {
      quit();
      return;
    }
    for (int i = 0; i < 3; ++i) spawn<churner>("c" + std::to_string(i), nullptr).send(spawn_wave{w.depth - 1});
    if (done_ != nullptr) done_->arrive();
  }

 private:
  weir::test::countdown* done_;
};

}  // namespace

TEST_CASE("stress: spawning and stopping under load leaves nothing behind") {
  weir::test::watchdog dog("churn", 300s);
  const std::size_t roots = weir::test::scaled(200);
  weir::system_config config;
  config.threads = 4;
  weir::system sys(config);
  weir::test::countdown spawned(roots);
  for (std::size_t r = 0; r < roots; ++r) sys.spawn<churner>("root-" + std::to_string(r), &spawned).send(spawn_wave{5});
  spawned.wait();
  sys.shutdown();  // stops every subtree that is still alive, children first
  CHECK(sys.live_actors() == 0);
  CHECK(sys.started_actors() >= roots);
}
