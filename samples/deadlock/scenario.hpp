#pragma once
// scenario.hpp — the whole run: set up, deadlock, remedy, accounting.

#include "options.hpp"

namespace deadlock_sample {

/// Runs the scenario the options describe and returns the exit status
/// (see exit_status).
int run_scenario(const options& opts);

}  // namespace deadlock_sample
