// supervision_tree — the main demo: a two-level tree of OTP-style supervisors
// (supervision_tree_actors.hpp) crashed on a script: one restart under each
// strategy, a transient worker finishing, and a crash loop that makes
// storage pass its restart intensity and give up, for the root to restart.
// After each step the tree is printed as its supervisors report it
// (which_children). With --root-intensity 0 the root gives up too:
// system.wait_for(root) returns why, and the exit status is 3.
//
// A thread pool in real time by default (about 2.5 s); --manual: turn by turn
// on virtual time, the same run every time. weir logs crashes and restarts to
// stderr. tests/samples/supervision_tree.test.cpp checks each step against OTP's rules.

#include "supervision_tree_actors.hpp"

#include "../common/logger.hpp"
#include "../common/options.hpp"

#include <weir/testing/manual_system.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

using namespace supervision_tree;

namespace {

double seconds(weir::clock::duration d) { return std::chrono::duration<double>(d).count(); }

// "one_for_one, at most 3 restarts in 10 s"
std::string describe(const weir::supervisor_flags& f) {
  char text[96];
  std::snprintf(text, sizeof text, "%s, at most %d restart%s in %g s", std::string(to_string(f.strategy)).c_str(),
                f.intensity, f.intensity == 1 ? "" : "s", seconds(f.period));
  return text;
}

// One line per actor, marked with what changed since `before`; returns the subsystems the root restarted.
std::string print(const std::vector<row>& now, const std::vector<row>& before, const weir::supervisor_flags& root) {
  const auto earlier = [&](const std::string& path) {
    const auto found = std::find_if(before.begin(), before.end(), [&](const row& r) { return r.path == path; });
    return found == before.end() ? nullptr : &*found;
  };
  std::string restarted;  // subsystems: their workers are all new
  for (const row& r : now) {
    if (const row* was = earlier(r.path); r.depth == 1 && was && r.restarts > was->restarts) restarted += r.path + " ";
  }
  for (const row& r : now) {
    const row* was = earlier(r.path);
    const std::string parent = r.path.substr(0, r.path.rfind('/'));
    std::string mark = !was                             ? ""
                       : r.restarts > was->restarts    ? "<- restarted"
                       : was->running && !r.running    ? "<- exited, left down"
                       : r.depth == 2 && restarted.find(parent + " ") != std::string::npos
                           ? "<- started anew by the fresh " + parent.substr(parent.rfind('/') + 1)
                           : "";
    const std::string detail = r.depth == 0   ? describe(root)
                               : r.depth == 1 ? describe(subsystem_flags(r.path.substr(r.path.rfind('/') + 1)))
                               : r.items >= 0 ? "items=" + std::to_string(r.items)
                                              : "";
    const std::string label = std::string(2 * static_cast<std::size_t>(r.depth), ' ') + r.path;
    const std::string restarts = r.depth == 0 ? "" : "restarts=" + std::to_string(r.restarts);
    char line[256];
    std::snprintf(line, sizeof line, "    %-25s  %-7s  %-11s %-41s %s", label.c_str(), r.running ? "running" : "DOWN",
                  restarts.c_str(), detail.c_str(), mark.c_str());
    std::string text = line;
    std::puts(text.erase(text.find_last_not_of(' ') + 1).c_str());
  }
  if (!restarted.empty()) restarted.pop_back();
  return restarted;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned root_intensity = 3;
  samples::positive threads = std::thread::hardware_concurrency() > 0 ? std::thread::hardware_concurrency() : 2;
  samples::po::options_description flags("options");
  flags.add_options()                                                                                  //
      ("manual", "deterministic: the manual executor on virtual time (default: a thread pool, real time)")  //
      ("root-intensity", samples::po::value(&root_intensity)->default_value(root_intensity),
       "restarts the root allows in 10 s (0: it gives up at the first escalation, exit 3)")  //
      ("threads", samples::po::value(&threads)->default_value(threads), "pool threads")       //
      ("quiet", "weir's log at warn: crashes, no restart lines");
  const auto options = samples::parse(argc, argv, "[options]", flags);
  const bool manual = options.count("manual") != 0;

  weir::system_config config;
  config.logger = samples::stderr_logger("      %^%-5l%$ %v", options.count("quiet") != 0);
  config.threads = threads;
  std::unique_ptr<weir::testing::manual_system> virtual_time;
  std::unique_ptr<weir::system> pool;
  if (manual) virtual_time = std::make_unique<weir::testing::manual_system>(std::move(config));
  else pool = std::make_unique<weir::system>(std::move(config));
  weir::system& system = manual ? virtual_time->system : *pool;

  // Manual mode moves virtual time in millisecond steps, finer than every tick; the pool mode just waits.
  const auto run_until = [&](weir::clock::time_point t) {
    if (!manual) return std::this_thread::sleep_until(t);
    virtual_time->run_until_idle();
    while (system.clock().now() < t) virtual_time->advance(1ms);
  };
  const auto get = [&](auto& reply) {
    while (reply.wait_for(manual ? 0s : 1ms) != std::future_status::ready) {
      if (manual) virtual_time->advance(1ms);
    }
    return reply.get();  // a request that fails (timeout) throws weir::ask_failed
  };

  std::printf("supervision_tree: /root -> 3 subsystems -> 10 workers, %s\n",
              manual ? "manual executor on virtual time (deterministic)"
                     : ("a pool of " + std::to_string(system.thread_count()) + " threads, real time").c_str());
  std::printf("(tree rows: supervisors with their flags, workers with the items they made or handled since\n"
              " their last start; stderr: weir's own log of crashes and restarts)\n\n");
  const weir::supervisor_flags flags_of_root = root_flags(static_cast<int>(root_intensity));
  const auto root = system.spawn<weir::supervisor>("root", flags_of_root, subsystems());
  const auto start = system.clock().now();
  run_until(start);
  std::printf("t=0.0 s  the tree has started\n");
  std::vector<row> before = rows_of(system, root, 0, get);
  print(before, {}, flags_of_root);

  const auto steps = script();
  std::size_t escalations = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const step& s = steps[i];
    run_until(start + s.at);
    std::printf("\nt=%.1f s  step %zu/%zu: %s /root/%s%s\n         %s\n", seconds(s.at), i + 1, steps.size(),
                s.crashes == 0 ? "finish" : "crash", s.worker.c_str(),
                s.crashes > 1 ? (" x" + std::to_string(s.crashes)).c_str() : "", s.story);
    std::fflush(stdout);  // before weir's lines about it, on stderr
    if (!play(system, s, i + 1)) std::printf("  (no live actor at /root/%s: nothing sent)\n", s.worker.c_str());
    run_until(system.clock().now() + (manual ? 0ms : 100ms));  // real threads: let the restarts happen
    std::vector<row> now = rows_of(system, root, 0, get);
    if (const std::string restarted = print(now, before, flags_of_root); !restarted.empty()) {
      std::printf("  => escalation handled by the root: /root restarted %s with a fresh supervisor\n", restarted.c_str());
      ++escalations;
    }
    before = std::move(now);
    if (root.stopped()) break;
  }

  std::fflush(stdout);
  if (root.stopped()) {  // the root has no supervisor: its giving up ends the system with an error
    std::printf("\nthe root supervisor gave up: system.wait_for(root) returned\n  %s\n",
                system.wait_for(root).to_string().c_str());
    system.shutdown();
    std::printf("supervision_tree: the root gave up; exit 3\n");
    return 3;
  }
  run_until(start + steps.back().at + 300ms);
  std::printf("\nt=%.1f s  the script is over; the tree keeps working:\n", seconds(steps.back().at + 300ms));
  print(rows_of(system, root, 0, get), before, flags_of_root);
  std::printf("  escalations handled by /root: %zu\n", escalations);

  // Children stop in reverse start order, each subsystem's workers before it: the root's reason is `shutdown`.
  root.stop();
  if (manual) virtual_time->run_until_idle();
  std::printf("  shutdown: /root stopped (%s)\n", system.wait_for(root).to_string().c_str());
  system.shutdown();
  std::printf("  crashes: %llu counted by weir; dead letters: %llu; actors left: %lld\n",
              static_cast<unsigned long long>(system.crashes()), static_cast<unsigned long long>(system.dead_letters()),
              static_cast<long long>(system.live_actors()));
  std::printf("supervision_tree: the tree survived every step; exit 0\n");
  return 0;
}
