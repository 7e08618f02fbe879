#include "scenario.hpp"

#include "driver.hpp"
#include "../common/logger.hpp"
#include "model.hpp"
#include "printer.hpp"
#include "reporter.hpp"
#include "station.hpp"

#include <weir/supervisor.hpp>
#include <weir/system.hpp>

#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <utility>

namespace supervision_tree {

using namespace std::chrono_literals;

namespace {

// How long the tree may take to reach the predicted state after a step:
// restarts are immediate (no back-off), so this only bounds a failure.
constexpr weir::clock::duration settle_limit = 5s;

double seconds(weir::clock::duration d) { return std::chrono::duration<double>(d).count(); }

snapshot take(driver& run, const weir::handle<reporter>& to) {
  std::promise<snapshot> reply;
  auto future = reply.get_future();
  to.send(take_snapshot{std::move(reply)});
  return run.wait(future, "a snapshot of the tree");
}

// Snapshots the tree until it is what the model predicts, or settle_limit
// has passed; returns the last snapshot and leaves the differences in `diffs`.
snapshot settle(driver& run, const weir::handle<reporter>& to, const snapshot& want,
                std::vector<std::string>& diffs) {
  const auto deadline = run.now() + settle_limit;
  for (;;) {
    snapshot got = take(run, to);
    diffs = differences(want, got);
    if (diffs.empty() || run.now() >= deadline) return got;
    run.run_a_little();
  }
}

// Sends the step's messages to the worker now at its path (after a restart
// of its subsystem that is a new actor, so it is looked up every time).
void inject(weir::system& system, const std::string& path, const step& s, std::size_t number) {
  const auto target = system.find<station>(path);
  if (!target) {
    std::printf("  (no live actor at %s: nothing sent)\n", path.c_str());
    return;
  }
  if (s.what == action::finish) {
    target->send(finish{});
    return;
  }
  for (std::size_t k = 1; k <= s.times; ++k) {
    std::string why = "scripted fault (step " + std::to_string(number);
    if (s.times > 1) why += ", poison message " + std::to_string(k) + " of " + std::to_string(s.times);
    target->send(fault{why + ")"});
  }
}

// Subsystems the root restarted since `before`: an escalation it handled.
void print_escalations(const snapshot& now, const snapshot& before, const std::string& root) {
  std::string restarted;
  for (const row& r : now) {
    if (r.depth != 1) continue;
    for (const row& was : before) {
      if (was.path == r.path && r.restarts > was.restarts) restarted += (restarted.empty() ? "" : ", ") + r.path;
    }
  }
  if (restarted.empty()) return;
  std::printf("  => escalation handled by the root: %s restarted %s with a fresh supervisor\n", root.c_str(),
              restarted.c_str());
}

void print_differences(const std::vector<std::string>& diffs) {
  for (const auto& d : diffs) std::printf("  !! %s\n", d.c_str());
}

}  // namespace

exit_status run_scenario(const options& opts, const std::vector<step>& script) {
  const tree_layout& tree = opts.tree;
  driver run(opts.manual, opts.threads, samples::stderr_logger("      %^%-5l%$ %v", opts.quiet));
  weir::system& system = run.system();
  model predicted(tree);
  std::vector<std::string> failures;

  std::size_t workers = 0;
  for (const auto& s : tree.subsystems) workers += s.workers.size();
  const std::string mode = run.manual() ? "manual executor on virtual time (deterministic)"
                                        : "a pool of " + std::to_string(system.thread_count()) + " threads, real time";
  std::printf("supervision_tree: %s -> %zu subsystems -> %zu workers, %s\n", tree.root_path().c_str(),
              tree.subsystems.size(), workers, mode.c_str());
  std::printf("(tree rows: supervisors with their flags, workers with the items they made or handled since\n"
              " their last start; stderr: weir's own log of crashes and restarts)\n\n");

  const auto root = system.spawn<weir::supervisor>(tree.root_name, tree.root_flags, child_specs(tree));
  const auto watcher = system.spawn<reporter>("reporter", root);
  const auto start = run.now();

  std::vector<std::string> diffs;
  snapshot before = settle(run, watcher, predicted.expected(), diffs);
  std::printf("t=0.0 s  the tree has started\n");
  print_tree(stdout, before, nullptr, tree);
  if (!diffs.empty()) failures.push_back("the tree did not start as laid out");
  print_differences(diffs);

  for (std::size_t i = 0; i < script.size() && failures.empty() && !predicted.root_gave_up(); ++i) {
    const step& s = script[i];
    run.run_until(start + s.at);
    std::printf("\nt=%.1f s  step %zu/%zu: %s\n         %s\n", seconds(s.at), i + 1, script.size(),
                describe(s, tree.root_path()).c_str(), s.story.c_str());
    for (const auto& line : predicted.apply(s)) std::printf("  expect %s\n", line.c_str());
    std::fflush(stdout);  // before weir's lines about it, on stderr

    inject(system, tree.root_path() + "/" + s.subsystem + "/" + s.worker, s, i + 1);
    snapshot now = settle(run, watcher, predicted.expected(), diffs);
    print_tree(stdout, now, &before, tree);
    print_escalations(now, before, tree.root_path());
    print_differences(diffs);
    if (!diffs.empty()) failures.push_back("step " + std::to_string(i + 1) + " did not go as OTP's rules predict");
    before = std::move(now);
  }

  if (predicted.root_gave_up() || root.stopped()) {
    // The root has no supervisor: its giving up ends the system with an
    // error, which the caller sees as the reason wait_for returns.
    std::fflush(stdout);
    if (!root.stopped()) {
      failures.push_back("the root was expected to give up, but it is still running");
    } else {
      const weir::exit_reason why = system.wait_for(root);
      std::printf("\nthe root supervisor gave up: system.wait_for(root) returned\n  %s\n", why.to_string().c_str());
      if (!predicted.root_gave_up()) failures.push_back("the root gave up, which OTP's rules do not predict here");
    }
    system.shutdown();
    const exit_status status = failures.empty() ? root_gave_up : not_as_predicted;
    std::printf("supervision_tree: the root gave up%s; exit %d\n",
                failures.empty() ? ", as predicted for these flags" : "", static_cast<int>(status));
    std::fflush(stdout);
    for (const auto& f : failures) std::fprintf(stderr, "supervision_tree: FAILED: %s\n", f.c_str());
    return status;
  }

  if (failures.empty()) {
    run.run_until(start + script_end(script));
    snapshot last = settle(run, watcher, predicted.expected(), diffs);
    std::printf("\nt=%.1f s  the script is over; the tree keeps working:\n", seconds(script_end(script)));
    print_tree(stdout, last, &before, tree);
    print_differences(diffs);
    if (!diffs.empty()) failures.push_back("the final restart counts are not the predicted ones");
    std::printf("  restart counts as predicted by OTP's rules: %s\n", diffs.empty() ? "yes" : "NO");
    std::printf("  escalations handled by %s: %u\n", tree.root_path().c_str(), predicted.escalations());
  }

  // A clean shutdown: children stop in reverse start order, each subsystem's
  // workers before it; the root's reason is then `shutdown`, not a crash.
  std::fflush(stdout);  // whatever has been printed stays, should the shutdown hang
  root.stop();
  const weir::exit_reason why = system.wait_for(root);
  std::printf("  shutdown: %s stopped (%s)\n", tree.root_path().c_str(), why.to_string().c_str());
  if (why.kind != weir::exit_kind::shutdown) failures.push_back("the root stopped with " + why.to_string());
  system.shutdown();
  std::printf("  crashes: %llu counted by weir, %llu scripted; dead letters: %llu; actors left: %lld\n",
              static_cast<unsigned long long>(system.crashes()),
              static_cast<unsigned long long>(predicted.crashes()),
              static_cast<unsigned long long>(system.dead_letters()),
              static_cast<long long>(system.live_actors()));
  if (failures.empty() && system.crashes() != predicted.crashes()) {
    failures.push_back("weir counted " + std::to_string(system.crashes()) + " crashes, the script caused " +
                       std::to_string(predicted.crashes()));
  }
  if (system.live_actors() != 0) failures.push_back("actors are left after shutdown");

  std::fflush(stdout);
  for (const auto& f : failures) std::fprintf(stderr, "supervision_tree: FAILED: %s\n", f.c_str());
  if (!failures.empty()) return not_as_predicted;
  std::printf("supervision_tree: every step went as OTP's rules predict; exit 0\n");
  return as_predicted;
}

}  // namespace supervision_tree
