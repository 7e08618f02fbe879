#pragma once
// report.hpp — prints what the scenario measured and checks what it must show.

#include "scenario.hpp"
#include "settings.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ide_main_loop {

/// Prints the setup, the per-phase table, the in-flight and request
/// figures and every edge's final counters to stdout.
void print_report(const scenario_result& result, const settings& config);

/// What the run must show; one line per failed check, empty if all passed.
std::vector<std::string> failed_checks(const scenario_result& result, const settings& config);

/// The watcher edge's change events and the path batches they became.
struct coalescing_totals {
  std::uint64_t events = 0;
  std::uint64_t deliveries = 0;
};
coalescing_totals totals(const scenario_result& result);

}  // namespace ide_main_loop
