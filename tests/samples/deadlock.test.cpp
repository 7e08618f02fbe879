// Story S3, "deadlock is a cycle in the wait-for graph": the sample's pair
// (samples/deadlock/deadlock_actors.hpp) on the manual system, one turn per
// step. The cycle is reported in the very step it forms, naming both actors
// and both full edges, and each remedy ends with exact accounting.
#include "deadlock/deadlock_actors.hpp"

#include <weir/deadlock.hpp>
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace deadlock;

namespace {

struct sighting {
  weir::deadlock_report report;
  std::size_t step = 0;
  bool both_suspended = false;
};

void check_remedy(weir::deadlock_remedy remedy) {
  constexpr std::size_t requests = 10, capacity = 4;  // each side fills its edge and holds one more
  const auto book = std::make_shared<ledger>(requests, capacity);
  std::optional<weir::handle<coordinator>> c;
  std::optional<weir::handle<worker>> w;
  std::vector<sighting> sightings;
  std::size_t step = 0;

  weir::test::log_capture capture;
  weir::system_config config = capture.config();
  config.deadlock = remedy;
  config.on_deadlock = [&](const weir::deadlock_report& r) {
    sightings.push_back({r, step, c && w && c->suspended() && w->suspended()});
  };
  weir::testing::manual_system t(std::move(config));
  spawn_pair(t.system, book);
  const auto step_once = [&] { return ++step, t.run_one(); };
  while (!c || !w) {
    REQUIRE(step_once());
    c = t.system.find<coordinator>("/pipeline/coordinator");
    w = t.system.find<worker>("/pipeline/worker");
  }
  // The step after which both are suspended with both edges full: the one in which the cycle formed.
  std::optional<std::size_t> formed;
  while (book->received.load() < requests && step_once()) {
    const std::size_t h = book->handled.load();
    // Both edges full, and one more message held at each sender (see weir::bounded).
    const bool both_full = book->sent.load() - h > capacity && h - book->received.load() > capacity;
    if (!formed && c->suspended() && w->suspended() && both_full) formed = step;
  }
  t.run_until_idle();  // the last credit going back

  REQUIRE(!sightings.empty());
  CHECK(sightings.size() == t.system.deadlocks());
  for (const sighting& s : sightings) {
    CAPTURE(s.report.to_string());
    REQUIRE(s.report.cycle.size() == 2);
    CHECK(std::set<std::string>{s.report.cycle[0].path, s.report.cycle[1].path} ==
          std::set<std::string>{c->path(), w->path()});
    for (const auto& m : s.report.cycle) {
      CHECK(m.kind == weir::wait_kind::credit);
      CHECK(m.capacity == static_cast<std::int64_t>(capacity));
      CHECK(m.depth >= static_cast<std::int64_t>(capacity));
      CHECK(!m.message_type.empty());
    }
    CHECK(s.both_suspended);
  }
  if (remedy == weir::deadlock_remedy::report) {
    REQUIRE(formed);
    CHECK(sightings.front().step == *formed);  // reported inside the turn that closed the cycle
  } else {
    CHECK(!formed);  // the remedy acted inside that same turn: no step ended with the cycle standing
  }
  CHECK(t.system.dead_letters() == 0);
  CHECK(book->duplicates.load() == 0);
  CHECK(book->wrong.load() == 0);
  const std::size_t restarts = book->coordinator_starts.load() + book->worker_starts.load() - 2;

  if (remedy == weir::deadlock_remedy::report) {
    // Reported once and left in place: nothing moves, however long we wait.
    const std::size_t progress = book->sent.load() + book->handled.load() + book->received.load();
    t.advance(std::chrono::seconds(10));
    CHECK(book->sent.load() + book->handled.load() + book->received.load() == progress);
    CHECK(book->received.load() == 0);
    CHECK(t.system.deadlocks() == 1);
    CHECK(t.system.waits() == 2);
    CHECK(c->suspended());
    CHECK(w->suspended());
    CHECK(t.system.crashes() == 0);
    CHECK(restarts == 0);
    return;
  }
  CHECK(book->sent.load() == requests);
  CHECK(book->handled.load() == requests);
  CHECK(book->received.load() == requests);
  CHECK(t.system.waits() == 0);
  const std::uint64_t expected = remedy == weir::deadlock_remedy::fail_one ? t.system.deadlocks() : 0;
  CHECK(t.system.crashes() == expected);
  CHECK(restarts == expected);
}

}  // namespace

TEST_CASE("deadlock: remedy grant_credit lets the run finish with exact accounting, nothing crashed") {
  check_remedy(weir::deadlock_remedy::grant_credit);
}

TEST_CASE("deadlock: remedy fail_one crashes the closer, its supervisor restarts it, and the run finishes") {
  check_remedy(weir::deadlock_remedy::fail_one);
}

TEST_CASE("deadlock: remedy report reports the cycle once and leaves both actors suspended on each other") {
  check_remedy(weir::deadlock_remedy::report);
}
