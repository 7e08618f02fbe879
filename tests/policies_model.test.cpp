// Model-based randomized tests for the policies not covered by
// edges_model.test.cpp: bounded with suspension (an actor sender), plain
// unbounded, and the three coalescing edges. Each runs random operations
// against a reference model small enough to be obviously right; the seed is
// reported on failure.

#include <weir/coalescing.hpp>  // first: the header must be self-contained
#include <weir/edge.hpp>
#include <weir/testing/manual_system.hpp>

#include "collector.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr std::uint32_t seeds = 100;
constexpr std::size_t operations = 1000;  // 100k random operations per policy

using weir::test::collector;
using weir::test::item;

// ---------------------------------------------------------------------------
// bounded(suspend), sender an actor: one send per handler.

struct send_one {
  int n;
};
struct wire {
  weir::handle<collector> to;
  std::size_t capacity;
};

class pump : public weir::actor<send_one, wire> {
 public:
  void on_message(wire& w) override {
    out_ = weir::connect(w.to, weir::bounded{.capacity = w.capacity});
  }
  void on_message(send_one& s) override { (void)out_.send(item{s.n}); }
  [[nodiscard]] weir::edge_stats stats() const { return out_.stats(); }
  weir::edge<collector> out_;
};

// The model of one settled state (after run_until_idle): what the pump has
// handled, what is in flight, what it holds, whether it is suspended.
struct suspend_model {
  std::size_t capacity = 0;
  std::size_t waiting = 0;  // send_one messages queued at the pump
  std::deque<int> in_flight{};
  std::optional<int> held{};  // one send per handler: at most one held
  std::vector<int> delivered{};
  bool receiver_held = false;
  bool suspended = false;
  int next = 0;

  void settle() {
    if (!receiver_held) {  // everything drains; credit flows back, the held one first
      if (held) in_flight.push_back(*std::exchange(held, std::nullopt));
      while (waiting > 0) {
        in_flight.push_back(next++);
        --waiting;
      }
      delivered.insert(delivered.end(), in_flight.begin(), in_flight.end());
      in_flight.clear();
      suspended = false;
      return;
    }
    // Held receiver: each send finds credit until the capacity is in flight;
    // the next one is held at the pump, which is then suspended.
    while (waiting > 0 && !suspended) {
      --waiting;
      if (in_flight.size() < capacity) {
        in_flight.push_back(next++);
      } else {
        held = next++;
        suspended = true;
      }
    }
  }
};

}  // namespace

TEST_CASE("model: bounded(suspend) with an actor sender matches the reference model") {
  for (std::uint32_t seed = 1; seed <= seeds; ++seed) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    const std::size_t capacity = 1 + rng() % 6;
    CAPTURE(capacity);
    std::vector<int> got;
    weir::testing::manual_system t;
    auto c = t.system.spawn<collector>("c", got);
    auto p = t.system.spawn<pump>("p");
    p.send(wire{c, capacity});
    t.run_until_idle();
    suspend_model model{capacity};
    int sent_to_pump = 0;
    for (std::size_t op = 0; op < operations; ++op) {
      CAPTURE(op);
      const unsigned dice = rng() % 100;
      if (dice < 70) {
        p.send(send_one{sent_to_pump++});
        ++model.waiting;
      } else if (dice < 85 && !model.receiver_held) {
        weir::testing::hold(c);
        model.receiver_held = true;
      } else if (dice < 100 && model.receiver_held) {
        weir::testing::release(c);
        model.receiver_held = false;
      }
      t.run_until_idle();
      model.settle();
      REQUIRE(p.suspended() == model.suspended);
      REQUIRE(c.queued() == static_cast<std::int64_t>(model.in_flight.size()));
      REQUIRE(c.queued() <= static_cast<std::int64_t>(capacity));  // never more than the capacity in flight
      REQUIRE(got == model.delivered);
    }
  }
}

TEST_CASE("model: plain unbounded delivers everything, in order, with exact counts") {
  for (std::uint32_t seed = 1; seed <= seeds; ++seed) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    std::vector<int> got;
    weir::testing::manual_system t;
    auto c = t.system.spawn<collector>("c", got);
    t.run_until_idle();
    auto e = weir::connect(c, weir::unbounded{.penalty = std::nullopt});
    std::deque<int> queued;
    std::vector<int> delivered;
    int next = 0;
    for (std::size_t op = 0; op < operations; ++op) {
      if (rng() % 100 < 65) {
        REQUIRE(e.send(item{next}) == weir::send_result::ok);
        queued.push_back(next++);
      } else {
        t.run_until_idle();
        delivered.insert(delivered.end(), queued.begin(), queued.end());
        queued.clear();
      }
      REQUIRE(e.stats().depth == static_cast<std::int64_t>(queued.size()));
    }
    t.run_until_idle();
    delivered.insert(delivered.end(), queued.begin(), queued.end());
    CHECK(got == delivered);
    const auto s = e.stats();
    CHECK(s.sent == static_cast<std::uint64_t>(next));
    CHECK(s.handled == s.sent);
  }
}

// ---------------------------------------------------------------------------
// Coalescing edges: the receiver is held or released at random; a settled
// state delivers exactly what the model says.

namespace {

struct tick;
struct version {
  int v;
};

class merger : public weir::actor<weir::pulse<tick>, version, weir::key_batch<int>> {
 public:
  merger(std::vector<std::uint64_t>& pulses, std::vector<int>& versions, std::vector<weir::key_batch<int>>& batches)
      : pulses_(pulses), versions_(versions), batches_(batches) {}
  void on_message(weir::pulse<tick>& p) override { pulses_.push_back(p.count); }
  void on_message(version& v) override { versions_.push_back(v.v); }
  void on_message(weir::key_batch<int>& b) override { batches_.push_back(std::move(b)); }

 private:
  std::vector<std::uint64_t>& pulses_;
  std::vector<int>& versions_;
  std::vector<weir::key_batch<int>>& batches_;
};

struct coalescing_model {
  std::size_t key_bound = 0;
  std::uint64_t pulses = 0;
  std::optional<int> latest{};
  std::set<int> keys{};
  bool overflow = false;
  bool keys_pending = false;
  std::vector<std::uint64_t> pulse_deliveries{};
  std::vector<int> version_deliveries{};
  std::vector<std::pair<std::vector<int>, bool>> batch_deliveries{};

  void change(int k) {
    if (!overflow) {
      keys.insert(k);
      if (keys.size() > key_bound) {
        keys.clear();
        overflow = true;
      }
    }
    keys_pending = true;
  }
  void deliver_all() {
    if (pulses > 0) pulse_deliveries.push_back(std::exchange(pulses, 0));
    if (latest) version_deliveries.push_back(*std::exchange(latest, std::nullopt));
    if (keys_pending) {
      batch_deliveries.emplace_back(std::vector<int>(keys.begin(), keys.end()), overflow);
      keys.clear();
      overflow = false;
      keys_pending = false;
    }
  }
};

}  // namespace

TEST_CASE("model: pulse, latest and keyed edges match the reference model") {
  for (std::uint32_t seed = 1; seed <= 3 * seeds; ++seed) {  // ~100k operations on each of the three edges
    CAPTURE(seed);
    std::mt19937 rng(seed);
    const std::size_t key_bound = 1 + rng() % 5;
    CAPTURE(key_bound);
    std::vector<std::uint64_t> pulses;
    std::vector<int> versions;
    std::vector<weir::key_batch<int>> batches;
    weir::testing::manual_system t;
    auto m = t.system.spawn<merger>("m", pulses, versions, batches);
    weir::pulse_edge<tick> bell(m);
    weir::latest_edge<version> cfg(m);
    weir::keyed_edge<int> changes(m, weir::keyed_merge{.key_bound = key_bound});
    t.run_until_idle();
    weir::testing::hold(m);  // held between settles, so sends can merge
    t.run_until_idle();
    coalescing_model model{key_bound};
    for (std::size_t op = 0; op < operations; ++op) {
      CAPTURE(op);
      const unsigned dice = rng() % 100;
      if (dice < 30) {
        bell.fire();
        ++model.pulses;
      } else if (dice < 55) {
        const int v = static_cast<int>(rng() % 1000);
        cfg.send(version{v});
        model.latest = v;
      } else if (dice < 85) {
        const int k = static_cast<int>(rng() % 12);
        changes.changed(k);
        model.change(k);
      } else {
        weir::testing::release(m);
        t.run_until_idle();
        model.deliver_all();
        weir::testing::hold(m);
        t.run_until_idle();
      }
      REQUIRE(pulses == model.pulse_deliveries);
      REQUIRE(versions == model.version_deliveries);
      REQUIRE(batches.size() == model.batch_deliveries.size());
    }
    weir::testing::release(m);
    t.run_until_idle();
    model.deliver_all();
    CHECK(pulses == model.pulse_deliveries);
    CHECK(versions == model.version_deliveries);
    REQUIRE(batches.size() == model.batch_deliveries.size());
    for (std::size_t i = 0; i < batches.size(); ++i) {
      CHECK(batches[i].keys == model.batch_deliveries[i].first);
      CHECK(batches[i].overflow == model.batch_deliveries[i].second);
    }
    for (const auto& s : {bell.stats(), cfg.stats(), changes.stats()}) {
      CHECK(s.sent == s.handled + s.coalesced);
      CHECK(s.depth == 0);
    }
  }
}
