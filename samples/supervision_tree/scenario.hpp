#pragma once
// scenario.hpp — the demo's run: start the tree, play the script step by
// step, print and check the tree after each, shut down.

#include "options.hpp"
#include "script.hpp"

#include <vector>

namespace supervision_tree {

/// Exit statuses of the demo (see --help).
enum exit_status : int {
  as_predicted = 0,     ///< the tree behaved as OTP's rules predict, and shut down cleanly
  not_as_predicted = 1, ///< a difference, a hang, or an unclean shutdown: explained on stderr
  bad_usage = 2,
  root_gave_up = 3,     ///< the root supervisor gave up: the system ended with an error
};

/// Spawns the tree and a reporter, plays `script` on the driver's clock and
/// prints to stdout; returns the exit status. Throws std::runtime_error on a
/// hang (a reply that never comes).
exit_status run_scenario(const options& opts, const std::vector<step>& script);

}  // namespace supervision_tree
