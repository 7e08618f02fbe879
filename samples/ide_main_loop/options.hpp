#pragma once
// options.hpp — the command line of the ide_main_loop sample.

#include "settings.hpp"

#include <cstddef>
#include <optional>

namespace ide_main_loop {

struct options {
  settings scenario;
  bool manual = false;      ///< deterministic: turn by turn on virtual time
  std::size_t threads = 0;  ///< 0: the system's default (one per core)
};

/// Parses argv; on a bad or unknown flag prints usage to stderr and returns nothing.
std::optional<options> parse_options(int argc, char** argv);

}  // namespace ide_main_loop
