// Story S5, "insight into a running system": the sample's shop
// (samples/stuck_actor/stuck_actor_actors.hpp). The blocking handler needs a
// real thread to block, so it runs on a pool with a manual clock and the
// watchdog driven by hand; the suspended checkout and the flood run on the
// manual system, turn by turn. Each situation is named by its lint and by
// the snapshot, and once released every message is accounted for.
#include "stuck_actor/stuck_actor_actors.hpp"

#include <weir/lint.hpp>
#include <weir/snapshot.hpp>
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace stuck_actor;

namespace {

bool holds(const std::vector<weir::lint>& lints, weir::lint_kind kind, const std::string& path) {
  return std::any_of(lints.begin(), lints.end(), [&](const weir::lint& l) { return l.kind == kind && l.path == path; });
}

const weir::edge_snapshot* edge_into(const weir::actor_snapshot& a, const std::string& label) {
  for (const weir::edge_snapshot& e : a.edges) {
    if (e.edge == label) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("stuck_actor (a): the db blocked on a lock outside the system is named by blocking_handler and the snapshot") {
  weir::test::log_capture capture;
  auto clock = std::make_shared<weir::testing::manual_clock>();
  weir::system sys(weir::system_config{.threads = 2, .clock = clock, .logger = capture.logger,
                                       .insight = {.watchdog_thread = false, .blocking_threshold = 100ms}});
  auto lock = std::make_shared<gate>();
  auto book = std::make_shared<ledger>();
  spawn_shop(sys, lock, book);
  lock->until_waited_on();  // the db's handler holds a pool thread now
  sys.watchdog_tick();
  clock->advance(150ms);
  sys.watchdog_tick();
  const std::vector<weir::lint> lints = sys.lints();
  REQUIRE(holds(lints, weir::lint_kind::blocking_handler, "/shop/orders/db"));
  const weir::system_snapshot snap = sys.snapshot();
  const weir::actor_snapshot* db_now = snap.find("/shop/orders/db");
  REQUIRE(db_now != nullptr);
  CHECK(db_now->state == weir::actor_state::running);
  CHECK(db_now->handling.find("write_order") != std::string::npos);
  CHECK(db_now->handling_for == 150ms);

  lock->open();
  CHECK(book->wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(60),
                         [](const ledger& l) { return l.orders_written == 6; }));
  sys.shutdown();
  CHECK(sys.crashes() == 0);
  CHECK(sys.live_actors() == 0);
}

TEST_CASE("stuck_actor (b, c): the suspended checkout and the flooded indexer are named, then everything drains") {
  weir::test::log_capture capture;
  weir::system_config config = capture.config();
  config.insight.wait_threshold = 300ms;
  config.insight.growth_window = 1s;
  config.insight.growth_samples = 5;
  config.insight.growth_min_depth = 1000;
  weir::testing::manual_system t(std::move(config));
  auto lock = std::make_shared<gate>();
  lock->open();  // the db is stalled below instead: a handler that blocked would block this test's only thread
  auto book = std::make_shared<ledger>();
  spawn_shop(t.system, lock, book);
  std::optional<weir::handle<db>> db;
  for (int steps = 0; !db; ++steps) {
    REQUIRE(t.run_one());
    db = t.system.find<stuck_actor::db>("/shop/orders/db");
  }
  weir::testing::stall(*db);  // as if its first write blocked its thread
  t.run_until_idle();
  for (int sample = 0; sample < 7; ++sample) {  // the watchdog samples every 200 ms
    t.advance(200ms);
    t.system.watchdog_tick();
  }
  const weir::system_snapshot snap = t.system.snapshot();
  CHECK(holds(snap.lints, weir::lint_kind::long_wait, "/shop/orders/checkout"));
  CHECK(holds(snap.lints, weir::lint_kind::inbox_growth, "/shop/telemetry/indexer"));

  const weir::actor_snapshot* checkout_now = snap.find("/shop/orders/checkout");
  REQUIRE(checkout_now != nullptr);
  CHECK(checkout_now->state == weir::actor_state::suspended);
  REQUIRE(checkout_now->waits.size() == 1);
  CHECK(checkout_now->waits.front().kind == weir::wait_kind::credit);
  CHECK(checkout_now->waits.front().on == "/shop/orders/checkout -> /shop/orders/db");
  const weir::edge_snapshot* orders = edge_into(*snap.find("/shop/orders/db"), "/shop/orders/checkout -> /shop/orders/db");
  REQUIRE(orders != nullptr);
  CHECK(orders->capacity == 4);
  CHECK(orders->depth == 6);  // two past the capacity: suspended whatever the db has taken

  const weir::actor_snapshot* indexer_now = snap.find("/shop/telemetry/indexer");
  REQUIRE(indexer_now != nullptr);
  const weir::edge_snapshot* flood = edge_into(*indexer_now, "/shop/telemetry/collector -> /shop/telemetry/indexer");
  REQUIRE(flood != nullptr);
  CHECK(flood->policy == "unbounded");
  CHECK(indexer_now->queued >= 1000);

  // Released: the db writes, the flood stops, the indexer catches up.
  t.system.find<indexer>("/shop/telemetry/indexer")->send(catch_up{});
  t.system.find<collector>("/shop/telemetry/collector")->send(stop_flood{});
  weir::testing::unstall(*db);
  for (int round = 0; !book->flood_drained || book->orders_written < book->orders_sent; ++round) {
    REQUIRE(round < 100'000);
    t.advance(1ms);  // an indexer still pausing over its last metric resumes on a timer
  }
  CHECK(book->orders_sent == 6);
  CHECK(book->orders_written == 6);
  CHECK(book->metrics_indexed == book->metrics_sent);
  CHECK(db->handled() == 6);
  CHECK(t.system.find<indexer>("/shop/telemetry/indexer")->handled() == book->metrics_sent + 2);  // and flood_end, catch_up
  CHECK(t.system.dead_letters() == 0);
  CHECK(t.system.crashes() == 0);
  t.system.shutdown();
  CHECK(t.system.live_actors() == 0);
}
