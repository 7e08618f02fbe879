#pragma once
// accounting.hpp — what the run must have done for the chosen remedy, checked
// and printed.

#include "cycle_watch.hpp"
#include "ledger.hpp"
#include "run.hpp"

#include <weir/deadlock.hpp>
#include <weir/system.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace deadlock_sample {

/// Everything the checks look at, read once the run is over.
struct final_state {
  weir::deadlock_remedy remedy{};
  outcome how;
  std::vector<sighting> reports;
  std::uint64_t deadlocks = 0;     ///< system::deadlocks()
  std::uint64_t crashes = 0;       ///< system::crashes()
  std::uint64_t dead_letters = 0;  ///< system::dead_letters()
  std::size_t waits_left = 0;      ///< system::waits()
  bool coordinator_suspended = false;
  bool worker_suspended = false;
};

/// Prints the accounting: requests sent, handled, results received, reports,
/// crashes and restarts, what is left waiting.
void print_accounting(const ledger& book, const final_state& s);

/// Each failed check as a sentence; empty if the run went as the remedy
/// promises (for `report`: the cycle reported once and left in place).
std::vector<std::string> failed_checks(const ledger& book, const final_state& s, const std::string& coordinator_path,
                                       const std::string& worker_path);

}  // namespace deadlock_sample
