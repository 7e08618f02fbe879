#include "scenario.hpp"

#include "driver.hpp"
#include "file_watcher.hpp"

#include <utility>

namespace ide_main_loop {

namespace {

// An editor saving three files, four events per save (modify, attributes,
// close-after-write, move-into-place): twelve events, three paths.
change_script save_burst(std::vector<std::string> paths) {
  const std::size_t events = 4 * paths.size();
  return change_script{.burst = std::move(paths), .events = events};
}

file_counters operator-(const file_counters& a, const file_counters& b) {
  return file_counters{.deliveries = a.deliveries - b.deliveries,
                       .path_sets = a.path_sets - b.path_sets,
                       .overflows = a.overflows - b.overflows,
                       .paths_reindexed = a.paths_reindexed - b.paths_reindexed,
                       .largest_path_set = a.largest_path_set};  // a maximum so far, not a count
}

// Asks `to` for its counters once its progress reaches `target`, and waits for them.
template <class Counters, class Handle>
Counters sync(driver& run, const Handle& to, std::uint64_t target, const std::string& what) {
  std::promise<Counters> reply;
  auto future = reply.get_future();
  to.send(when_reached<Counters>{target, std::move(reply)});
  return run.wait(future, what);
}

}  // namespace

scenario_result run_scenario(const settings& config, bool manual, std::size_t threads) {
  // Declared before the system: actors write here until they stop, and the
  // ledger's edges are read after shutdown.
  scenario_result result;
  edge_ledger ledger;
  driver run(manual, threads);
  weir::system& system = run.system();
  result.manual = run.manual();
  result.threads = system.thread_count();

  const auto client_actor = system.spawn<client>("client", config, result.client, ledger);
  const auto index = system.spawn<indexer>("indexer", config.flood_paths, config.slice_files, result.index);
  const auto loop = system.spawn<main_loop>("main_loop", client_actor, index, config, result.loop, ledger);
  const auto watcher = system.spawn<file_watcher>("file_watcher", loop, config, ledger);

  // Phase 0: requests only, a baseline for the waits.
  auto started = system.clock().now();
  std::promise<void> warmed_up;
  auto warm = warmed_up.get_future();
  client_actor.send(start_stream{loop, std::move(warmed_up)});
  run.wait(warm, "warm-up");
  result.phases.push_back(
      {.name = "warm-up", .events = 0, .deliveries = 0, .handled = {}, .rescans = 0, .took = system.clock().now() - started});

  const std::vector<std::pair<std::string, change_script>> script = {
      {"burst (a)", save_burst({"src/editor/buffer.cpp", "src/editor/buffer.hpp", "src/editor/undo.cpp"})},
      {"flood (b)", change_script{.burst = {}, .events = config.flood_paths}},
      {"burst (c)", save_burst({"src/main.cpp", "src/editor/buffer.cpp", "CMakeLists.txt"})},
  };
  phase_emitted emitted_before{};
  file_counters handled_before{};
  index_counters indexed_before{};
  for (const auto& [name, changes] : script) {
    started = system.clock().now();
    client_actor.send(enter_phase{static_cast<std::uint32_t>(result.phases.size())});

    std::promise<phase_emitted> emitted;
    auto emitted_future = emitted.get_future();
    watcher.send(emit_changes{changes, std::move(emitted)});
    const phase_emitted now = run.wait(emitted_future, name + ": the watcher");

    // Each phase is credited with exactly its own work: wait until the main
    // loop has taken in every batch the phase posted, then until the indexer
    // has done every rescan those batches asked for.
    const file_counters handled = sync<file_counters>(run, loop, now.deliveries_so_far, name + ": the main loop");
    const index_counters indexed = sync<index_counters>(run, index, handled.overflows, name + ": the indexer");

    result.phases.push_back({.name = name,
                             .events = now.events,
                             .deliveries = now.deliveries_so_far - emitted_before.deliveries_so_far,
                             .handled = handled - handled_before,
                             .rescans = indexed.rescans - indexed_before.rescans,
                             .took = system.clock().now() - started});
    emitted_before = now;
    handled_before = handled;
    indexed_before = indexed;
  }

  std::promise<void> drained;
  auto drained_future = drained.get_future();
  client_actor.send(stop_stream{std::move(drained)});
  run.wait(drained_future, "draining the client's requests");

  system.shutdown();
  result.edges = ledger.entries();
  result.crashes = system.crashes();
  result.dead_letters = system.dead_letters();
  return result;
}

}  // namespace ide_main_loop
