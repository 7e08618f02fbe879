#include <weir/coalescing.hpp>  // first: the header must be self-contained
#include <weir/edge.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

struct tick;  // a pulse kind
struct config {
  int version;
};

class watcher : public weir::actor<weir::pulse<tick>, config, weir::key_batch<std::string>> {
 public:
  std::vector<std::uint64_t> pulses;
  std::vector<int> versions;
  std::vector<weir::key_batch<std::string>> batches;
  void on_message(weir::pulse<tick>& p) override { pulses.push_back(p.count); }
  void on_message(config& c) override { versions.push_back(c.version); }
  void on_message(weir::key_batch<std::string>& b) override { batches.push_back(std::move(b)); }
};

// Reads the watcher's state on the test thread (manual mode: one thread).
struct probe {
  std::vector<std::uint64_t>* pulses;
  std::vector<int>* versions;
  std::vector<weir::key_batch<std::string>>* batches;
};

class observed_watcher : public watcher {
 public:
  explicit observed_watcher(probe& p) {
    p.pulses = &pulses;
    p.versions = &versions;
    p.batches = &batches;
  }
};

void check_conservation(const weir::edge_stats& s) {
  CHECK(s.sent == s.handled + s.refused + s.dropped + s.coalesced + s.dead_lettered +
                      static_cast<std::uint64_t>(s.depth));
}

}  // namespace

TEST_CASE("pulse edge: any number of pulses arrive as one, with their count, in constant memory") {
  weir::testing::manual_system t;
  probe seen{};
  auto w = t.system.spawn<observed_watcher>("w", seen);
  weir::pulse_edge<tick> bell(w);
  t.run_until_idle();
  weir::testing::hold(w);
  t.run_until_idle();
  for (int i = 0; i < 100'000; ++i) CHECK(bell.fire() == weir::send_result::ok);
  CHECK(w.queued() == 1);  // one carrier, however many pulses
  weir::testing::release(w);
  t.run_until_idle();
  CHECK(*seen.pulses == std::vector<std::uint64_t>{100'000});
  bell.fire();
  t.run_until_idle();
  CHECK(*seen.pulses == std::vector<std::uint64_t>{100'000, 1});
  const auto s = bell.stats();
  CHECK(s.sent == 100'001);
  CHECK(s.handled == 2);
  CHECK(s.coalesced == 99'999);
  check_conservation(s);
}

TEST_CASE("latest edge: only the newest value waiting is delivered") {
  weir::testing::manual_system t;
  probe seen{};
  auto w = t.system.spawn<observed_watcher>("w", seen);
  weir::latest_edge<config> cfg(w);
  t.run_until_idle();
  weir::testing::hold(w);
  t.run_until_idle();
  for (int v = 1; v <= 50; ++v) cfg.send(config{v});
  weir::testing::release(w);
  t.run_until_idle();
  CHECK(*seen.versions == std::vector<int>{50});
  CHECK(cfg.stats().coalesced == 49);
  check_conservation(cfg.stats());
}

TEST_CASE("keyed edge: changes merge into a set; past the bound they collapse into one overflow") {
  weir::testing::manual_system t;
  probe seen{};
  auto w = t.system.spawn<observed_watcher>("w", seen);
  weir::keyed_edge<std::string> changes(w, weir::keyed_merge{.key_bound = 3});
  t.run_until_idle();

  weir::testing::hold(w);
  t.run_until_idle();
  for (const char* path : {"b.txt", "a.txt", "b.txt", "b.txt"}) changes.changed(path);
  weir::testing::release(w);
  t.run_until_idle();
  REQUIRE(seen.batches->size() == 1);
  CHECK((*seen.batches)[0].keys == std::vector<std::string>{"a.txt", "b.txt"});
  CHECK_FALSE((*seen.batches)[0].overflow);

  weir::testing::hold(w);
  t.run_until_idle();
  for (int i = 0; i < 1000; ++i) changes.changed("file" + std::to_string(i));  // a flood
  CHECK(w.queued() == 1);
  weir::testing::release(w);
  t.run_until_idle();
  REQUIRE(seen.batches->size() == 2);
  CHECK((*seen.batches)[1].overflow);  // "rescan everything"
  CHECK((*seen.batches)[1].keys.empty());
  check_conservation(changes.stats());
}

TEST_CASE("bounded(drop_oldest) keeps at most capacity messages in memory, however fast the sender") {
  struct item {
    int n;
  };
  struct sink : weir::actor<item> {
    std::vector<int>& got;
    explicit sink(std::vector<int>& g) : got(g) {}
    void on_message(item& i) override { got.push_back(i.n); }
  };
  std::vector<int> got;
  weir::testing::manual_system t;
  auto s = t.system.spawn<sink>("s", got);
  auto e = weir::connect(s, weir::bounded{.capacity = 3, .on_full = weir::overflow_reaction::drop_oldest});
  t.run_until_idle();
  weir::testing::hold(s);
  t.run_until_idle();
  for (int i = 1; i <= 10'000; ++i) CHECK(e.send(item{i}) == weir::send_result::ok);
  CHECK(e.stats().depth == 3);
  CHECK(s.queued() == 1);  // the ring lives in the edge; the inbox holds one carrier
  weir::testing::release(s);
  t.run_until_idle();
  CHECK(got == std::vector<int>{9'998, 9'999, 10'000});
  CHECK(e.stats().dropped == 9'997);
  check_conservation(e.stats());
}

TEST_CASE("coalescing edges to a stopped receiver answer closed and count dead letters") {
  weir::testing::manual_system t;
  probe seen{};
  auto w = t.system.spawn<observed_watcher>("w", seen);
  weir::pulse_edge<tick> bell(w);
  weir::latest_edge<config> cfg(w);
  weir::keyed_edge<std::string> changes(w, weir::keyed_merge{.key_bound = 8});
  t.run_until_idle();
  weir::testing::hold(w);
  t.run_until_idle();
  bell.fire();
  bell.fire();
  cfg.send(config{1});
  changes.changed("x");
  CHECK(seen.pulses->empty());  // held: nothing delivered (the watcher's state dies with it below)
  w.stop();
  t.run_until_idle();
  CHECK(bell.fire() == weir::send_result::closed);
  CHECK(cfg.send(config{2}) == weir::send_result::closed);
  CHECK(changes.changed("y") == weir::send_result::closed);
  CHECK(bell.stats().dead_lettered == 2);  // the waiting delivery, then the late pulse
  CHECK(cfg.stats().dead_lettered == 2);
  check_conservation(bell.stats());
  check_conservation(cfg.stats());
  check_conservation(changes.stats());
}

TEST_CASE("coalescing edges keep their receiver: sends after it stopped and its last handle went answer closed") {
  weir::testing::manual_system t;
  weir::pulse_edge<tick> bell;
  weir::latest_edge<config> cfg;
  weir::keyed_edge<std::string> changes;
  {
    auto w = t.system.spawn<watcher>("w");
    bell = weir::pulse_edge<tick>(w);
    cfg = weir::latest_edge<config>(w);
    changes = weir::keyed_edge<std::string>(w, weir::keyed_merge{.key_bound = 8});
    t.run_until_idle();
    w.stop();
    t.run_until_idle();  // stopped, and its parent has let go of it
  }  // the last handle: only the edges still refer to the receiver
  CHECK(bell.fire() == weir::send_result::closed);
  CHECK(cfg.send(config{1}) == weir::send_result::closed);
  CHECK(changes.changed("x") == weir::send_result::closed);
  CHECK(bell.stats().dead_lettered == 1);
  CHECK(cfg.stats().dead_lettered == 1);
  CHECK(changes.stats().dead_lettered == 1);
  check_conservation(bell.stats());
  check_conservation(cfg.stats());
  check_conservation(changes.stats());
}

TEST_CASE("a zero key bound is rejected, naming the field") {
  weir::testing::manual_system t;
  probe seen{};
  auto w = t.system.spawn<observed_watcher>("w", seen);
  CHECK_THROWS_WITH_AS(weir::keyed_edge<std::string>(w, weir::keyed_merge{}),
                       doctest::Contains("keyed_merge::key_bound must be >= 1"), std::invalid_argument);
}
