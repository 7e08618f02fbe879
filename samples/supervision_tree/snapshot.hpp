#pragma once
// snapshot.hpp — a supervision tree as rows, depth first in start order: what
// the reporter observes, what the model predicts, and what gets printed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace supervision_tree {

struct row {
  std::string path;
  int depth = 0;              ///< 0 the root, 1 a subsystem, 2 a worker
  bool running = false;       ///< false: exited and not restarted (or not yet)
  std::uint32_t restarts = 0; ///< times its supervisor restarted it (the root has none: 0)
  std::optional<std::uint64_t> items;  ///< observed workers: items made or handled since their last start
  bool known = true;          ///< false: the reporter could not learn this row (an ask failed meanwhile)
};

using snapshot = std::vector<row>;

/// The differences that matter between a prediction and an observation
/// (paths, running, restarts; not items), one sentence each; empty if none.
std::vector<std::string> differences(const snapshot& expected, const snapshot& observed);

}  // namespace supervision_tree
