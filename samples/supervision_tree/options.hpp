#pragma once
// options.hpp — the command line of the supervision_tree demo.

#include "tree.hpp"

#include <cstddef>

namespace supervision_tree {

struct options {
  tree_layout tree = default_layout();  ///< with the strategies and intensities of the flags
  bool manual = false;                  ///< deterministic: turn by turn on virtual time
  std::size_t threads = 0;              ///< 0: the system's default (one per core)
  bool quiet = false;                   ///< weir's log at warn: crashes and give-ups, no restart lines
};

/// Parses argv (samples/common/options.hpp): --help prints the usage and
/// exits 0; a bad or unknown flag says what is wrong and exits 2.
options parse_options(int argc, char** argv);

}  // namespace supervision_tree
