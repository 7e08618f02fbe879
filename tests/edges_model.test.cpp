// Model-based randomized tests of bounded edges: random sends, receiver turns
// and stops, checked after every step against a reference model small enough
// to be obviously right. The seed is reported on failure.

#include <weir/edge.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_system.hpp>

#include "collector.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <random>
#include <vector>

namespace {

using weir::test::collector;
using weir::test::item;

// What a bounded edge with a lossy reaction must do, spelled out plainly.
struct bounded_model {
  std::size_t capacity;
  weir::overflow_reaction reaction;
  std::deque<int> queue;  // accepted and not consumed, oldest first
  bool receiver_stopped = false;
  std::vector<int> delivered;
  std::uint64_t sent = 0, handled = 0, refused = 0, dropped = 0, dead = 0;

  [[nodiscard]] weir::send_result send(int v) {
    ++sent;
    if (receiver_stopped) {
      ++dead;
      return weir::send_result::closed;
    }
    if (queue.size() >= capacity) {
      switch (reaction) {
        case weir::overflow_reaction::fail: ++refused; return weir::send_result::would_block;
        case weir::overflow_reaction::drop_newest: ++dropped; return weir::send_result::dropped;
        case weir::overflow_reaction::drop_oldest:  // the oldest unconsumed goes, at once
          queue.pop_front();
          ++dropped;
          break;
        case weir::overflow_reaction::suspend: break;
      }
    }
    queue.push_back(v);
    return weir::send_result::ok;
  }

  // One receiver turn: up to `batch` messages, oldest first.
  void turn(std::size_t batch) {
    for (std::size_t i = 0; i < batch && !queue.empty(); ++i) {
      delivered.push_back(queue.front());
      queue.pop_front();
      ++handled;
    }
  }

  void stop() {
    dead += queue.size();  // still queued: dead letters
    queue.clear();
    receiver_stopped = true;
  }
};

void run_model(std::uint32_t seed, weir::overflow_reaction reaction, std::size_t operations) {
  CAPTURE(seed);
  CAPTURE(weir::to_string(reaction));
  std::mt19937 rng(seed);
  const std::size_t capacity = 1 + rng() % 8;
  const std::size_t batch = 1 + rng() % 6;
  CAPTURE(capacity);
  CAPTURE(batch);

  weir::system_config config;
  config.batch = batch;
  weir::testing::manual_system t(config);
  std::vector<int> got;
  auto c = t.system.spawn<collector>("c", got);
  t.run_until_idle();
  weir::bounded policy;
  policy.capacity = capacity;
  policy.on_full = reaction;
  auto e = weir::connect(c, policy);
  bounded_model model{capacity, reaction, {}, false, {}, 0, 0, 0, 0, 0};

  int next = 0;
  for (std::size_t op = 0; op < operations; ++op) {
    CAPTURE(op);
    const unsigned dice = rng() % 100;
    if (dice < 60) {
      const int v = next++;
      REQUIRE(e.send(item{v}) == model.send(v));
    } else if (dice < 95) {
      // One step runs one receiver turn, exactly like the model's. (A turn
      // that used its whole budget re-posts itself; that one is the next step.)
      if (!model.queue.empty()) REQUIRE(t.run_one());
      model.turn(batch);
    } else if (dice < 96 && !model.receiver_stopped) {
      c.stop();
      t.run_until_idle();
      model.stop();
    }
    REQUIRE(e.stats().depth == static_cast<std::int64_t>(model.queue.size()));
  }
  t.run_until_idle();
  while (!model.queue.empty()) model.turn(batch);

  CHECK(got == model.delivered);
  const auto s = e.stats();
  CHECK(s.sent == model.sent);
  CHECK(s.handled == model.handled);
  CHECK(s.refused == model.refused);
  CHECK(s.dropped == model.dropped);
  CHECK(s.dead_lettered == model.dead);
  CHECK(s.depth == 0);
  // The conservation law, exactly.
  CHECK(s.sent == s.handled + s.refused + s.dropped + s.coalesced + s.dead_lettered);
}

}  // namespace

TEST_CASE("model: bounded(fail) matches the reference model over random operations") {
  for (std::uint32_t seed = 1; seed <= 100; ++seed) run_model(seed, weir::overflow_reaction::fail, 1000);
}

TEST_CASE("model: bounded(drop_newest) matches the reference model over random operations") {
  for (std::uint32_t seed = 1; seed <= 100; ++seed) run_model(seed, weir::overflow_reaction::drop_newest, 1000);
}

TEST_CASE("model: bounded(drop_oldest) matches the reference model over random operations") {
  for (std::uint32_t seed = 1; seed <= 100; ++seed) run_model(seed, weir::overflow_reaction::drop_oldest, 1000);
}
