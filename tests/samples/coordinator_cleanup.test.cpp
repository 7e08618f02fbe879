// Story S4, "no orphans": a coordinator killed at any moment — before its
// first handler, in the middle of spawning its workers, or once they all
// work; by stop() or by a crash — takes every one of its workers with it.
// The actors are the sample's (samples/coordinator_cleanup/coordinator_cleanup_actors.hpp);
// this is the deterministic version of what the sample shows on real threads.
#include "coordinator_cleanup/coordinator_cleanup_actors.hpp"

#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace coordinator_cleanup;

namespace {

/// How a coordinator is killed.
enum class kill_kind {
  stop,             ///< handle.stop() from outside
  crash_message,    ///< a `boom` from outside: it throws in its next handler
  crash_mid_spawn,  ///< it throws on its own, in the middle of spawning (crash_after)
};

const char* to_string(kill_kind k) {
  switch (k) {
    case kill_kind::stop: return "stop";
    case kill_kind::crash_message: return "crash";
    case kill_kind::crash_mid_spawn: return "crash-mid-spawn";
  }
  return "?";
}

/// Kills `c` from outside (crash_mid_spawn needs nothing: it kills itself).
void kill(const weir::handle<coordinator>& c, kill_kind kind) {
  if (kind == kill_kind::stop) c.stop();
  if (kind == kill_kind::crash_message) c.send(boom{});
}

/// One deterministic step: one turn if any can run; otherwise virtual time
/// moves on to the next timer (a ramp-up tick, a worker's slice).
void step(weir::testing::manual_system& t) {
  if (!t.run_one()) t.clock->advance_to_next();
}

constexpr std::uint64_t seed = 20261122;
constexpr int trials = 1000;

struct fixture {
  weir::test::log_capture capture;  // 600-odd crash reports: kept off stderr
  weir::testing::manual_system t{config()};
  group_settings settings;

  weir::system_config config() {
    capture.logger->set_level(spdlog::level::err);  // crashes only: debug lines would dominate the run time
    weir::system_config c = capture.config();
    return c;
  }

  /// Steps `board`'s group until all its workers work; returns how many it took.
  std::size_t step_until_all_work(const roster& board) {
    std::size_t steps = 0;
    while (board.working.load() < settings.workers) {
      step(t);
      REQUIRE(++steps < 100'000);
    }
    return steps;
  }
};

/// The first worker of `board` that has not stopped, as its path; empty if none.
std::string first_alive(const roster& board) {
  for (const auto& w : board.workers()) {
    if (!w.stopped()) return w.path();
  }
  return {};
}

}  // namespace

TEST_CASE("a coordinator killed after any number of steps, by stop() or a crash, takes every worker with it") {
  fixture f;
  weir::system& sys = f.t.system;
  const std::int64_t baseline = sys.live_actors();

  // How many steps a group needs until all 64 workers work: kills are drawn
  // from 0 up to half as many steps again.
  std::size_t all_working = 0;
  {
    auto board = std::make_shared<roster>();
    const auto c = sys.spawn<coordinator>("calibration", board, f.settings);
    all_working = f.step_until_all_work(*board);
    c.stop();
    REQUIRE(sys.wait_for(c).kind == weir::exit_kind::shutdown);
    REQUIRE(first_alive(*board).empty());
    REQUIRE(sys.live_actors() == baseline);
  }
  const std::size_t max_steps = all_working + all_working / 2;
  CAPTURE(all_working);

  std::mt19937_64 rng(seed);
  std::size_t before_first_handler = 0;
  std::size_t mid_spawn = 0;
  std::size_t all_spawned = 0;
  std::size_t crashes_in_spawning_handler = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const auto kind = static_cast<kill_kind>(std::uniform_int_distribution<int>(0, 2)(rng));
    // One kill in eight at step 0, the others anywhere up to max_steps.
    const std::size_t k = std::uniform_int_distribution<int>(0, 7)(rng) == 0
                              ? 0
                              : std::uniform_int_distribution<std::size_t>(0, max_steps)(rng);
    group_settings settings = f.settings;
    if (kind == kill_kind::crash_mid_spawn) {
      settings.crash_after = std::uniform_int_distribution<std::size_t>(0, settings.workers)(rng);
    }
    CAPTURE(seed);
    CAPTURE(trial);
    const std::string how = to_string(kind);
    CAPTURE(how);
    CAPTURE(k);
    CAPTURE(settings.crash_after.value_or(0));

    auto board = std::make_shared<roster>();
    const std::uint64_t crashes_before = sys.crashes();
    const auto c = sys.spawn<coordinator>("coordinator", board, settings);
    for (std::size_t i = 0; i < k; ++i) step(f.t);
    if (kind == kill_kind::crash_mid_spawn) {
      ++crashes_in_spawning_handler;
    } else if (!board->coordinator_started.load()) {
      ++before_first_handler;
    } else if (board->workers().size() < settings.workers) {
      ++mid_spawn;
    } else {
      ++all_spawned;
    }
    kill(c, kind);
    if (kind == kill_kind::crash_mid_spawn) {  // it kills itself on a ramp-up tick: move time on
      for (std::size_t i = 0; !c.stopped(); ++i) {
        REQUIRE(i < 100'000);
        step(f.t);
      }
    }

    const weir::exit_reason why = sys.wait_for(c);
    CAPTURE(why.to_string());
    REQUIRE(c.stopped());
    REQUIRE(why.kind == (kind == kill_kind::stop ? weir::exit_kind::shutdown : weir::exit_kind::crashed));
    REQUIRE(first_alive(*board) == "");  // every worker handle reports stopped()
    REQUIRE(sys.live_actors() == baseline);
    REQUIRE(board->working.load() == 0);  // and each ran its on_stop
    REQUIRE(sys.crashes() - crashes_before == (kind == kill_kind::stop ? 0U : 1U));
    if (settings.crash_after) REQUIRE(board->workers().size() == *settings.crash_after);
    // Nothing of theirs is left to run or to fire: no worker works on.
    const std::uint64_t slices = board->slices.load();
    f.t.run_until_idle();
    REQUIRE(f.t.clock->pending() == 0);
    f.t.advance(10 * settings.slice);
    REQUIRE(board->slices.load() == slices);
  }
  // The draw covered every kind of moment.
  CHECK(before_first_handler > 0);
  CHECK(mid_spawn > 0);
  CHECK(all_spawned > 0);
  CHECK(crashes_in_spawning_handler > 0);
}

TEST_CASE("a worker's crash takes its coordinator down, and with it every other worker (spawn_linked)") {
  fixture f;
  weir::system& sys = f.t.system;
  const std::int64_t baseline = sys.live_actors();
  auto board = std::make_shared<roster>();
  const auto c = sys.spawn<coordinator>("coordinator", board, f.settings);
  f.step_until_all_work(*board);
  f.t.advance(5 * f.settings.slice);
  CHECK(board->slices.load() >= 5 * f.settings.workers);

  board->workers().at(10).send(boom{});
  const weir::exit_reason why = sys.wait_for(c);
  CHECK(why.is_crash());
  CHECK(why.detail.find("linked to /coordinator/w10, which exited: crashed") != std::string::npos);
  CHECK(first_alive(*board) == "");
  CHECK(board->working.load() == 0);
  CHECK(sys.live_actors() == baseline);
  CHECK(sys.crashes() == 1);
  f.t.run_until_idle();
  CHECK(f.t.clock->pending() == 0);
}
