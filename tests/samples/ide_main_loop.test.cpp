// Story S2, "sizing channels": the sample's actors
// (samples/ide_main_loop/ide_main_loop_actors.hpp) on the manual system, one
// step at a time on virtual time. The client types throughout while the
// watcher plays a burst, a flood and a burst; every bound the sample claims
// is checked, and every edge's counters add up.
#include "ide_main_loop/ide_main_loop_actors.hpp"

#include <weir/snapshot.hpp>
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <future>
#include <string>
#include <vector>

using namespace ide_main_loop;

namespace {

struct fixture {
  weir::test::log_capture capture;
  weir::testing::manual_system t{capture.config()};
  settings s;
  counters c;
  weir::handle<client> editor = t.system.spawn<client>("client", s, c);
  weir::handle<indexer> index = t.system.spawn<indexer>("indexer", c);
  weir::handle<main_loop> loop = t.system.spawn<main_loop>("main_loop", editor, index, s, c);
  weir::handle<file_watcher> watcher = t.system.spawn<file_watcher>("file_watcher", loop, s);

  /// One turn if any can run, else virtual time on to the next timer; until `done()`.
  template <class Done>
  void step_until(Done done) {
    for (std::size_t steps = 0; !done(); ++steps) {
      REQUIRE(steps < 10'000'000);
      if (!t.run_one()) t.clock->advance_to_next();
    }
  }

  /// Plays one phase; returns the keyed edge's counters after it, once the
  /// main loop has taken in every batch it posted.
  weir::edge_stats play(std::vector<std::string> burst, std::size_t events) {
    emit_changes changes{std::move(burst), events, {}};
    auto done = changes.done.get_future();
    watcher.send(std::move(changes));
    step_until([&] { return done.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    const weir::edge_stats after = done.get();
    step_until([&] { return c.batches == after.sent - after.coalesced; });
    return after;
  }
};

const std::vector<std::string> saves = {"src/editor/buffer.cpp", "src/editor/buffer.hpp", "src/editor/undo.cpp"};

}  // namespace

TEST_CASE("ide_main_loop: bursts arrive as path sets, a flood as rescans, and requests are served throughout") {
  fixture f;
  f.editor.send(start_stream{f.loop});
  f.step_until([&] { return f.c.answered >= 60; });  // a warm-up: requests only

  const counters before_burst = f.c;
  const weir::edge_stats burst = f.play(saves, 4 * saves.size());
  CHECK(burst.sent == 12);
  CHECK(f.c.overflows == before_burst.overflows);
  CHECK(f.c.path_sets > before_burst.path_sets);
  CHECK(f.c.paths_reindexed - before_burst.paths_reindexed <= 3);  // twelve events, three paths

  const counters before_flood = f.c;
  constexpr std::size_t flood = 20'000;
  const weir::edge_stats after_flood = f.play({}, flood);
  const std::uint64_t flood_batches = (after_flood.sent - after_flood.coalesced) - (burst.sent - burst.coalesced);
  CHECK(after_flood.sent - burst.sent == flood);
  CHECK(flood_batches < flood / f.s.key_bound);  // collapsed: the main loop's work does not grow with the flood
  CHECK(f.c.overflows > before_flood.overflows);
  CHECK(f.c.requests > before_flood.requests);  // requests kept being served during the flood
  CHECK(f.c.largest_path_set <= f.s.key_bound);

  const counters before_last = f.c;
  f.play(saves, 4 * saves.size());
  CHECK(f.c.overflows == before_last.overflows);
  CHECK(f.c.path_sets > before_last.path_sets);

  std::promise<void> drained;
  auto all_answered = drained.get_future();
  f.editor.send(stop_stream{std::move(drained)});
  f.step_until([&] { return all_answered.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
  f.t.run_until_idle();
  const counters& c = f.c;

  // Nothing lost, nothing reordered, everything bounded.
  CHECK(c.sent > 0);
  CHECK(c.answered == c.sent);
  CHECK(c.requests == c.sent);
  CHECK(c.out_of_order == 0);
  CHECK(c.max_in_flight == f.s.max_in_flight);  // the application-level limit binds...
  CHECK(c.forward_ran_dry == 0);                // ...before the forward edge's credits run out
  CHECK(c.max_queued <= f.s.window - f.s.max_in_flight);
  // A request waits behind requests and answers of the client's window, and
  // at most one file batch per two requests: a bound the flood's size does not change.
  CHECK(c.max_waited_behind <= 4 * f.s.window);
  CHECK(c.pulses == c.overflows);  // every rescan asked reached the indexer...
  CHECK(c.rescans >= 1);
  CHECK(c.rescans <= c.overflows);  // ...merged when it was busy

  // Every edge accounts for every message: sent = handled + refused + dropped + coalesced + dead + depth.
  std::size_t edges = 0;
  for (const weir::actor_snapshot& actor : f.t.system.snapshot().actors) {
    for (const weir::edge_snapshot& e : actor.edges) {
      if (e.sent == 0 && e.edge.find("(outside)") != std::string::npos) continue;
      CAPTURE(e.edge);
      CHECK(e.sent == e.handled + e.refused + e.dropped + e.coalesced + e.dead_lettered + std::uint64_t(e.depth));
      CHECK(e.depth == 0);
      CHECK(e.refused + e.dropped + e.dead_lettered == 0);
      edges += e.edge.find("(outside)") == std::string::npos && e.edge.find("ad hoc") == std::string::npos ? 1 : 0;
    }
  }
  CHECK(edges == 6);
  CHECK(f.t.system.crashes() == 0);
  CHECK(f.t.system.dead_letters() == 0);
}
