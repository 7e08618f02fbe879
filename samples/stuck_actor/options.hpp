#pragma once
// options.hpp — the command line of the stuck_actor sample.

#include <cstddef>
#include <optional>

namespace stuck_actor_sample {

/// Exit statuses (also in --help).
enum exit_status : int {
  as_expected = 0,   ///< every situation was named by its lint and in the snapshot; nothing lost
  check_failed = 1,  ///< a lint did not come, or a check failed (printed)
  bad_usage = 2,     ///< a bad command line
};

struct options {
  std::size_t threads = 2;    ///< pool threads; the blocked handler takes one of them
  std::size_t timeout = 30;   ///< seconds to wait for the lints, and again for the drain, before failing
  std::size_t serve_seconds = 0;  ///< > 0: serve the insight page and stay stuck this long
  bool quiet = false;         ///< weir's log at error (no lint warnings on stderr)
  bool help = false;          ///< --help: usage was printed, nothing to run
};

/// Parses argv. --help prints the usage to stdout (and sets `help`); a bad
/// or unknown flag prints why to stderr and returns nothing.
std::optional<options> parse_options(int argc, char** argv);

}  // namespace stuck_actor_sample
