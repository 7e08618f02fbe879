// coordinator_cleanup — story S4, "no orphans".
//
// A coordinator spawns 64 workers as its children, a batch of 8 every 200 us,
// and hands each a job that never ends by itself. Then we kill the
// coordinator at a random moment: before its first handler ran, in the
// middle of spawning, or once every worker works; by stop() from outside, by
// a crash (a `boom` it throws on), or by a throw of its own while spawning.
// Whatever the moment, every worker stops with it: weir puts a child in its
// parent's tree before the child runs, so no instant exists at which a
// worker runs and its coordinator's death would miss it.
//
//     coordinator_cleanup [--trials N] [--seed S] [--kill stop|crash|any] [--workers W] [--threads T] [--log]
//
// Exit status 1 if any worker outlived its coordinator. The deterministic
// version (1,000 kill points replayed step by step on the manual system)
// is tests/samples/coordinator_cleanup.test.cpp.

#include "coordinator_cleanup_actors.hpp"

#include "../common/options.hpp"

#include <weir/system.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>

using namespace coordinator_cleanup;
using steady = std::chrono::steady_clock;

int main(int argc, char** argv) {
  samples::positive trials = 20, workers = 64, threads = 2;
  unsigned seed = std::random_device{}();
  std::string kill_choice = "any";
  samples::po::options_description flags("options");
  flags.add_options()                                                                                  //
      ("trials", samples::po::value(&trials)->default_value(trials), "coordinators to kill")            //
      ("seed", samples::po::value(&seed), "random seed (default: a fresh one, printed)")                 //
      ("kill", samples::po::value(&kill_choice)->default_value(kill_choice), "stop|crash|any")          //
      ("workers", samples::po::value(&workers)->default_value(workers), "workers per coordinator")      //
      ("threads", samples::po::value(&threads)->default_value(threads), "threads in the system's pool")  //
      ("log", "show the runtime's crash reports on stderr");
  const auto options = samples::parse(argc, argv, "[options]", flags);
  samples::require_one_of(options, "kill", {"stop", "crash", "any"});

  weir::system_config config;
  config.threads = threads;
  config.logger = std::make_shared<spdlog::logger>("weir", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  config.logger->set_level(options.count("log") != 0 ? spdlog::level::info : spdlog::level::critical);
  weir::system sys(std::move(config));
  const std::int64_t baseline = sys.live_actors();

  // A first group, stopped once all its workers work, sets the range of kill
  // moments: from 0 to half as long again.
  group_settings settings;
  settings.workers = workers;
  steady::duration ramp_up{};
  {
    auto board = std::make_shared<roster>();
    const auto start = steady::now();
    const auto c = sys.spawn<coordinator>("calibration", board, settings);
    while (board->working.load() < workers) std::this_thread::yield();
    ramp_up = steady::now() - start;
    c.stop();
    sys.wait_for(c);
  }
  std::printf("coordinator_cleanup: %zu trials, %zu workers each (all working after %.3f ms), %zu threads, "
              "seed %u (rerun with --seed %u)\n", trials.value, workers.value,
              std::chrono::duration<double, std::milli>(ramp_up).count(), threads.value, seed, seed);
  std::mt19937 rng(seed);
  const auto draw = [&rng](auto low, auto high) { return std::uniform_int_distribution<decltype(high)>(low, high)(rng); };

  std::size_t spawned = 0, outlived = 0;
  steady::duration slowest{};
  for (std::size_t trial = 1; trial <= trials; ++trial) {
    const int how = kill_choice == "stop" ? 0 : kill_choice == "crash" ? draw(1, 2) : draw(0, 2);
    const auto delay = draw(0, 7) == 0 ? steady::duration{} : steady::duration(draw(0L, (ramp_up * 3 / 2).count()));
    group_settings these = settings;
    if (how == 2) these.crash_after = draw(std::size_t{0}, std::size_t{workers});

    auto board = std::make_shared<roster>();
    const auto c = sys.spawn<coordinator>("coordinator-" + std::to_string(trial), board, these);
    for (const auto moment = steady::now() + delay; steady::now() < moment;) {
    }  // spin: sleeping is far coarser than the moments drawn
    const bool started = board->coordinator_started.load();
    const std::size_t working = board->working.load();
    const auto killed_at = steady::now();
    if (how == 0) c.stop();
    if (how == 1) c.send(boom{});
    const weir::exit_reason why = sys.wait_for(c);  // the coordinator and, before it, all its children
    const auto took = steady::now() - killed_at;

    const auto all = board->workers();
    const auto alive = static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [](const auto& w) { return !w.stopped(); }));
    spawned += all.size();
    outlived += alive;
    const char* kind = how == 0 ? "stop" : how == 1 ? "crash" : "crash-mid-spawn";
    if (how == 2) {
      std::printf("  trial %3zu  %-15s after spawning %zu", trial, kind, *these.crash_after);
    } else {
      slowest = std::max(slowest, took);
      std::printf("  trial %3zu  %-15s at +%.3f ms (%s%zu working)", trial, kind,
                  std::chrono::duration<double, std::milli>(delay).count(), started ? "" : "not started, ", working);
    }
    std::printf(" -> %s; %zu/%zu workers alive after\n", why.to_string().c_str(), alive, all.size());
  }
  const bool clean = outlived == 0 && sys.live_actors() == baseline;
  std::printf("coordinator_cleanup weir: %zu workers spawned, %zu outlived their coordinator; "
              "kill to all stopped at most %.3f ms\n",
              spawned, outlived, std::chrono::duration<double, std::milli>(slowest).count());
  return clean ? 0 : 1;
}
