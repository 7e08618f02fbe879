#pragma once
// options.hpp — the command line of the supervision_tree demo.

#include "tree.hpp"

#include <cstddef>
#include <optional>

namespace supervision_tree {

struct options {
  tree_layout tree = default_layout();  ///< with the strategies and intensities of the flags
  bool manual = false;                  ///< deterministic: turn by turn on virtual time
  std::size_t threads = 0;              ///< 0: the system's default (one per core)
  bool quiet = false;                   ///< weir's log at warn: crashes and give-ups, no restart lines
  bool help = false;                    ///< --help: usage was printed, nothing to run
};

/// Parses argv. --help prints the usage to stdout (and sets `help`); a bad
/// or unknown flag prints it to stderr and returns nothing.
std::optional<options> parse_options(int argc, char** argv);

}  // namespace supervision_tree
