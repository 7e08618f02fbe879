#pragma once
// scenario.hpp — the scripted run: a client streaming requests while the file
// watcher bursts, floods, and bursts again.

#include "client.hpp"
#include "edge_ledger.hpp"
#include "indexer.hpp"
#include "main_loop.hpp"
#include "settings.hpp"

#include <weir/clock.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ide_main_loop {

/// One phase as the watcher, the main loop and the indexer saw it.
struct phase_result {
  std::string name;
  std::uint64_t events = 0;      ///< change events the watcher sent
  std::uint64_t deliveries = 0;  ///< path batches they became
  file_counters handled;         ///< what the main loop did with them
  std::uint64_t rescans = 0;     ///< full rescans the indexer did for them
  weir::clock::duration took{};  ///< on the system's clock (virtual with --manual)
};

struct scenario_result {
  bool manual = false;
  std::size_t threads = 0;
  std::vector<phase_result> phases;  ///< index = phase tag of the requests sent meanwhile
  client_report client;
  main_loop_report loop;
  index_counters index;
  std::vector<edge_ledger::entry> edges;  ///< final counters, read after shutdown
  std::uint64_t crashes = 0;
  std::uint64_t dead_letters = 0;
};

/// Spawns client, indexer, main loop (with its worker) and file watcher,
/// plays warm-up, burst, flood, burst, drains, shuts down and reports.
/// Throws std::runtime_error if a phase stalls or hangs.
scenario_result run_scenario(const settings& config, bool manual, std::size_t threads);

}  // namespace ide_main_loop
