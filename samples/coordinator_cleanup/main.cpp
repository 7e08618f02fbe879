// coordinator_cleanup — sample S4, "no orphans".
//
// A coordinator spawns 64 workers as its children (spawn_linked, see
// job_group.hpp), a batch of 8 every 200 us, and hands each a job that never
// ends by itself: a slice of work every millisecond, forever. Then the
// coordinator is killed at a random moment — right after its spawn, before
// its first handler has run; in the middle of spawning its workers; or
// once they all work — either by handle.stop() from outside or by a crash
// (an exception) inside it: a `boom` message from outside that it throws
// on, or a throw of its own right in the middle of a spawning handler.
// Whatever the moment, every worker must stop with it: weir links a child
// into its parent's tree before the child runs, so there is no instant at
// which a worker runs and its coordinator's death would miss it.
//
//     coordinator_cleanup [--manual] [--trials N] [--seed S]
//                         [--kill stop|crash|any] [--workers W] [--threads T] [--log]
//
// By default it runs on a thread pool in real time: a first (calibration)
// group measures how long the workers take to be all working, and kill
// moments are drawn from 0 to 1.5 times that, after the spawn. --manual runs
// on weir's manual executor and virtual time: the moment is a number of
// run_one() steps after the spawn (0: before the coordinator's first
// handler), from 0 to 1.5 times the steps the calibration group needed;
// the same seed gives the same run, step for step (the smoke test).
//
// For each trial, the program waits for the coordinator with
// system.wait_for (which returns its exit reason), then checks that every
// worker handle reports stopped(), that system.live_actors() is back to its
// baseline, and that the exit reason and crash count are the kill's. At the
// end it checks that no worker did any work after the last trial.
//
// stdout ends with "coordinator_cleanup weir: <N> workers spawned, 0
// outlived their coordinator" (plus, in real time, the longest time from a
// kill to every worker stopped). Exit status 0 only if every check held;
// 1 if any failed (e.g. a worker outlived its coordinator); 2 on bad usage.

#include "job_group.hpp"

#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace coordinator_cleanup;
using namespace std::chrono_literals;

enum class kill_choice { stop, crash, any };

struct options {
  std::size_t trials = 20;
  std::optional<std::uint64_t> seed;
  bool manual = false;
  bool log = false;
  kill_choice kill = kill_choice::any;
  std::size_t workers = 64;
  std::size_t threads = 0;  // 0: the system's default, one per core
};

constexpr const char* usage =
    "usage: %s [--manual] [--trials N] [--seed S] [--kill stop|crash|any] [--workers W] [--threads T] [--log]\n";

template <class T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size();
}

std::optional<options> parse_options(int argc, char** argv) {
  options parsed;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--manual" || flag == "--log") {
      (flag == "--manual" ? parsed.manual : parsed.log) = true;
      continue;
    }
    if (i + 1 == argc) {
      std::fprintf(stderr, usage, argv[0]);
      return std::nullopt;
    }
    const std::string_view value = argv[++i];
    bool ok = true;
    if (flag == "--trials" || flag == "--workers" || flag == "--threads") {
      std::size_t& target = flag == "--trials" ? parsed.trials : flag == "--workers" ? parsed.workers : parsed.threads;
      ok = parse_number(value, target) && target > 0;
    } else if (flag == "--seed") {
      std::uint64_t seed = 0;
      ok = parse_number(value, seed);
      parsed.seed = seed;
    } else if (flag == "--kill") {
      ok = value == "stop" || value == "crash" || value == "any";
      parsed.kill = value == "stop" ? kill_choice::stop : value == "crash" ? kill_choice::crash : kill_choice::any;
    } else {
      std::fprintf(stderr, usage, argv[0]);
      return std::nullopt;
    }
    if (!ok) {
      std::fprintf(stderr, "%s: bad value for %.*s: '%.*s'\n", argv[0], static_cast<int>(flag.size()), flag.data(),
                   static_cast<int>(value.size()), value.data());
      std::fprintf(stderr, usage, argv[0]);
      return std::nullopt;
    }
  }
  return parsed;
}

/// One trial's kill: how, and when (after the spawn: a delay in real time,
/// a number of steps in manual mode).
struct plan {
  kill_kind kind = kill_kind::stop;
  std::optional<std::size_t> crash_after;  // crash_mid_spawn only
  steady::duration delay{};
  std::size_t steps = 0;
};

/// What a trial saw.
struct outcome {
  bool coordinator_started_at_kill = false;
  std::size_t spawned_at_kill = 0;
  std::size_t working_at_kill = 0;
  weir::exit_reason why;
  std::size_t spawned = 0;
  std::size_t alive_after = 0;        // worker handles not stopped() once the coordinator had stopped
  std::size_t working_after = 0;      // workers whose on_stop had not run by then
  std::int64_t live_over_baseline = 0;
  std::uint64_t crashes = 0;
  std::optional<steady::duration> kill_to_all_stopped;  // real time only
};

/// The part of a trial common to both modes: spawn, wait for the moment,
/// kill, wait for the end, look. `until_moment` runs (manual) or lets pass
/// (real) the time up to the kill; `drive` runs or lets the system run until
/// its argument returns true (a coordinator that kills itself needs its
/// ramp-up ticks, and in manual mode only steps move virtual time on).
template <class UntilMoment, class Drive>
outcome run_trial(weir::system& sys, const std::string& name, const plan& p, group_settings settings,
                  const std::shared_ptr<roster>& board, UntilMoment until_moment, Drive drive) {
  settings.crash_after = p.crash_after;
  const std::int64_t baseline = sys.live_actors();
  const std::uint64_t crashes_before = sys.crashes();
  outcome out;

  const weir::handle<coordinator> c = sys.spawn<coordinator>(name, board, settings);
  until_moment(*board);
  out.coordinator_started_at_kill = board->coordinator_started.load();
  out.spawned_at_kill = board->spawned();
  out.working_at_kill = board->working.load();
  steady::time_point killed_at = steady::now();
  kill(c, p.kind);
  if (p.kind == kill_kind::crash_mid_spawn) drive([&] { return c.stopped(); });

  out.why = sys.wait_for(c);
  const steady::time_point ended_at = steady::now();
  if (p.kind == kill_kind::crash_mid_spawn) killed_at = steady::time_point(steady::duration(board->crashed_at.load()));
  out.kill_to_all_stopped = ended_at - killed_at;

  const std::vector<weir::handle<worker>> workers = board->workers();
  out.spawned = workers.size();
  out.alive_after = static_cast<std::size_t>(
      std::count_if(workers.begin(), workers.end(), [](const auto& w) { return !w.stopped(); }));
  out.working_after = board->working.load();
  out.live_over_baseline = sys.live_actors() - baseline;
  out.crashes = sys.crashes() - crashes_before;
  return out;
}

/// The checks of one trial; each failure as a sentence.
std::vector<std::string> failed_checks(const plan& p, const outcome& o) {
  std::vector<std::string> failures;
  const bool crash = p.kind != kill_kind::stop;
  const weir::exit_kind expected = crash ? weir::exit_kind::crashed : weir::exit_kind::shutdown;
  if (o.alive_after != 0) {
    failures.push_back(std::to_string(o.alive_after) + " of " + std::to_string(o.spawned) +
                       " workers outlived their coordinator");
  }
  if (o.live_over_baseline != 0) {
    failures.push_back("live_actors() is " + std::to_string(o.live_over_baseline) +
                       " over its baseline after the coordinator stopped");
  }
  if (o.working_after != 0) {
    failures.push_back(std::to_string(o.working_after) + " workers never ran on_stop");
  }
  if (o.why.kind != expected) {
    failures.push_back("the coordinator ended with '" + o.why.to_string() + "', expected " +
                       std::string(weir::to_string(expected)));
  }
  if (o.crashes != (crash ? 1U : 0U)) {
    failures.push_back(std::to_string(o.crashes) + " crashes counted, expected " + (crash ? "1" : "0"));
  }
  if (p.crash_after && o.spawned != *p.crash_after) {
    failures.push_back("the coordinator spawned " + std::to_string(o.spawned) + " workers before crashing, expected " +
                       std::to_string(*p.crash_after));
  }
  return failures;
}

double to_ms(steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

class sample {
 public:
  explicit sample(const options& opts)
      : opts_(opts), seed_(opts.seed ? *opts.seed : std::random_device{}()), rng_(seed_) {
    settings_.workers = opts.workers;
    weir::system_config config;
    config.logger = std::make_shared<spdlog::logger>("weir", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    // Crashes are this sample's business: it kills by crashing, and counts
    // each crash (system.crashes()); --log shows the runtime's reports too.
    config.logger->set_level(opts.log ? spdlog::level::info : spdlog::level::critical);
    if (opts.manual) {
      manual_ = std::make_unique<weir::testing::manual_system>(std::move(config));
    } else {
      if (opts.threads > 0) config.threads = opts.threads;
      pool_ = std::make_unique<weir::system>(std::move(config));
    }
  }

  int run() {
    std::printf("coordinator_cleanup: %zu trials, %zu workers per coordinator, %s, seed %" PRIu64
                " (rerun with --seed %" PRIu64 ")\n",
                opts_.trials, settings_.workers,
                manual_ ? "manual executor (virtual time)" : (std::to_string(sys().thread_count()) + " threads").c_str(),
                seed_, seed_);
    const std::int64_t baseline = sys().live_actors();
    calibrate();
    std::size_t spawned = 0;
    std::size_t outlived = 0;
    steady::duration slowest{};
    for (std::size_t trial = 1; trial <= opts_.trials; ++trial) {
      const plan p = draw();
      const outcome o = run_one(p, "coordinator-" + std::to_string(trial));
      report(trial, p, o);
      spawned += o.spawned;
      outlived += o.alive_after;
      if (o.kill_to_all_stopped) slowest = std::max(slowest, *o.kill_to_all_stopped);
    }
    check_nothing_runs_on(baseline);
    std::fflush(stdout);
    if (!failures_.empty()) {
      for (const std::string& why : failures_) std::fprintf(stderr, "coordinator_cleanup: FAILED: %s\n", why.c_str());
      return 1;
    }
    std::printf("  checks     all passed\n");
    std::printf("coordinator_cleanup weir: %zu workers spawned, %zu outlived their coordinator", spawned, outlived);
    if (!manual_) std::printf("; kill to all stopped at most %.3f ms", to_ms(slowest));
    std::printf("\n");
    return 0;
  }

 private:
  weir::system& sys() { return manual_ ? manual_->system : *pool_; }

  /// Runs (manual) or lets the system run (real) until `done()`; returns the
  /// steps it took in manual mode. Throws if that never happens.
  template <class Done>
  std::size_t drive(Done done) {
    std::size_t steps = 0;
    const steady::time_point start = steady::now();
    while (!done()) {
      if (manual_) {
        step(*manual_);
        if (++steps > 1'000'000) throw std::runtime_error("still not done after a million steps");
      } else if (steady::now() - start > 60s) {
        throw std::runtime_error("still not done after 60 s");
      } else {
        std::this_thread::yield();
      }
    }
    return steps;
  }

  outcome run_one(const plan& p, const std::string& name) {
    const auto drive_until = [this](const auto& done) { drive(done); };
    if (manual_) {
      return run_trial(
          sys(), name, p, settings_, new_board(),
          [&](const roster&) {
            for (std::size_t i = 0; i < p.steps; ++i) step(*manual_);
          },
          drive_until);
    }
    return run_trial(
        sys(), name, p, settings_, new_board(),
        [&](const roster&) {
          const steady::time_point moment = steady::now() + p.delay;
          while (steady::now() < moment) {  // spin: sleeping is far coarser than the moments drawn
          }
        },
        drive_until);
  }

  // A first group, killed (stop) once every worker works: how long that
  // takes sets the range kill moments are drawn from.
  void calibrate() {
    plan p;
    std::size_t steps = 0;
    steady::duration took{};
    const outcome o = run_trial(
        sys(), "calibration", p, settings_, new_board(),
        [&](const roster& board) {
          const steady::time_point start = steady::now();
          steps = drive([&] { return board.working.load() == settings_.workers; });
          took = steady::now() - start;
        },
        [this](const auto& done) { drive(done); });
    check("calibration", p, o);
    max_steps_ = steps + steps / 2;
    max_delay_ = took + took / 2;
    if (manual_) {
      std::printf("  calibration: all %zu workers working %zu steps after the spawn; kills at 0..%zu steps\n",
                  settings_.workers, steps, max_steps_);
    } else {
      std::printf("  calibration: all %zu workers working %.3f ms after the spawn; kills at 0..%.3f ms\n",
                  settings_.workers, to_ms(took), to_ms(max_delay_));
    }
  }

  plan draw() {
    plan p;
    const int pick = std::uniform_int_distribution<int>(0, opts_.kill == kill_choice::any ? 2 : 1)(rng_);
    if (opts_.kill == kill_choice::stop) {
      p.kind = kill_kind::stop;
    } else if (opts_.kill == kill_choice::crash) {
      p.kind = pick == 0 ? kill_kind::crash_message : kill_kind::crash_mid_spawn;
    } else {
      p.kind = pick == 0 ? kill_kind::stop : pick == 1 ? kill_kind::crash_message : kill_kind::crash_mid_spawn;
    }
    if (p.kind == kill_kind::crash_mid_spawn) {
      p.crash_after = std::uniform_int_distribution<std::size_t>(0, settings_.workers)(rng_);
      return p;
    }
    // One kill in eight right after the spawn: before the coordinator's first handler.
    if (std::uniform_int_distribution<int>(0, 7)(rng_) == 0) return p;
    p.steps = std::uniform_int_distribution<std::size_t>(0, max_steps_)(rng_);
    p.delay = steady::duration(std::uniform_int_distribution<steady::rep>(0, max_delay_.count())(rng_));
    return p;
  }

  void report(std::size_t trial, const plan& p, const outcome& o) {
    std::string when;
    if (p.kind == kill_kind::crash_mid_spawn) {
      when = "after spawning " + std::to_string(*p.crash_after);
    } else if (manual_) {
      when = "at step " + std::to_string(p.steps);
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "at +%.3f ms", to_ms(p.delay));
      when = buf;
    }
    std::string at_kill;
    if (p.kind != kill_kind::crash_mid_spawn) {
      at_kill = !o.coordinator_started_at_kill ? " (not started yet)"
                                               : " (" + std::to_string(o.spawned_at_kill) + " spawned, " +
                                                     std::to_string(o.working_at_kill) + " working)";
    }
    std::printf("  trial %3zu  %-15s %s%s -> %s; %zu/%zu workers alive after", trial, to_string(p.kind), when.c_str(),
                at_kill.c_str(), o.why.to_string().c_str(), o.alive_after, o.spawned);
    if (!manual_ && o.kill_to_all_stopped) std::printf(", all stopped %.3f ms after the kill", to_ms(*o.kill_to_all_stopped));
    std::printf("\n");
    check("trial " + std::to_string(trial), p, o);
  }

  void check(const std::string& what, const plan& p, const outcome& o) {
    for (const std::string& why : failed_checks(p, o)) failures_.push_back(what + ": " + why);
  }

  // After the last trial nothing may run any more: no worker's timer fires,
  // no slice of work is done, however long we wait.
  void check_nothing_runs_on(std::int64_t baseline) {
    const std::uint64_t slices_before = total_slices();
    if (manual_) {
      manual_->advance(100 * settings_.slice);
      if (manual_->clock->pending() != 0) {
        failures_.push_back(std::to_string(manual_->clock->pending()) + " timers still armed after the last trial");
      }
    } else {
      std::this_thread::sleep_for(20 * settings_.slice);  // not a synchronization: nothing should happen
    }
    if (total_slices() != slices_before) failures_.push_back("workers went on working after their coordinator stopped");
    if (sys().live_actors() != baseline) failures_.push_back("live_actors() did not return to its baseline");
  }

  // Each trial's roster is kept to the end, to see whether its workers work on.
  std::shared_ptr<roster> new_board() { return boards_.emplace_back(std::make_shared<roster>()); }

  std::uint64_t total_slices() const {
    std::uint64_t sum = 0;
    for (const auto& board : boards_) sum += board->slices.load();
    return sum;
  }

  options opts_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
  group_settings settings_;
  std::unique_ptr<weir::testing::manual_system> manual_;
  std::unique_ptr<weir::system> pool_;
  std::size_t max_steps_ = 0;
  steady::duration max_delay_{};
  std::vector<std::string> failures_;
  std::vector<std::shared_ptr<roster>> boards_;
};

}  // namespace

int main(int argc, char** argv) {
  const std::optional<options> opts = parse_options(argc, argv);
  if (!opts) return 2;
  try {
    return sample(*opts).run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coordinator_cleanup: FAILED: %s\n", e.what());
    return 1;
  }
}
