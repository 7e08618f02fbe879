#pragma once
// options.hpp — the command line of the deadlock sample.

#include <weir/deadlock.hpp>

#include <cstddef>
#include <optional>

namespace deadlock_sample {

/// Exit statuses (also in --help).
enum exit_status : int {
  as_expected = 0,       ///< the remedy let the run finish, every check held
  check_failed = 1,      ///< something did not happen as it should (printed)
  bad_usage = 2,         ///< a bad command line
  cycle_left_stuck = 3,  ///< --remedy report: the cycle was reported and left in place, as asked
};

struct options {
  weir::deadlock_remedy remedy = weir::deadlock_remedy::grant_credit;
  bool manual = false;        ///< deterministic: weir's manual executor, one turn per step
  std::size_t requests = 10;  ///< N, at least 2 x capacity + 2 (or there is no deadlock)
  std::size_t capacity = 4;   ///< of both bounded edges
  std::size_t threads = 0;    ///< 0: the system's default (one per core)
  bool quiet = false;         ///< weir's log at warn (no restart lines)
  bool help = false;          ///< --help: usage was printed, nothing to run
};

/// Parses argv. --help prints the usage to stdout (and sets `help`); a bad
/// or unknown flag prints why to stderr and returns nothing.
std::optional<options> parse_options(int argc, char** argv);

}  // namespace deadlock_sample
