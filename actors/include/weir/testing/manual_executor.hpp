#pragma once
// weir/testing/manual_executor.hpp — running a system's turns one at a time.

#include <weir/system.hpp>

#include <cstddef>

namespace weir::testing {

/// Drives a system made with execution_mode::manual on the calling thread.
/// Nothing runs unless the test calls run_one() or run_until_idle(), so a
/// test decides exactly which turn happens when, and repeats identically.
///
/// A step is one ready Asio handler: an actor's turn (up to config.batch
/// messages; use batch = 1 for message-by-message control), a guarded Asio
/// completion, or an internal hop.
///
/// Thread safety: use from one thread, the one that owns the test.
class manual_executor {
 public:
  /// Throws std::invalid_argument unless `sys` runs in manual mode.
  explicit manual_executor(weir::system& sys);

  /// Runs one ready step. Returns false if nothing was ready.
  bool run_one();
  /// Runs steps until none is ready and returns how many ran. Throws
  /// std::runtime_error after `limit` steps: a test that never goes idle has
  /// a livelock, and should fail rather than hang.
  std::size_t run_until_idle(std::size_t limit = 10'000'000);

 private:
  weir::system& system_;
};

}  // namespace weir::testing
