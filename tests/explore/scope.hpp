#pragma once
// scope.hpp — how far the explorer looks: CI's reduced bound or the full one.

#include <weir/testing/explorer.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace weir::test {

/// WEIR_EXPLORE=full runs every scenario at its full bound (minutes); the
/// default is the reduced bound the suite runs (seconds).
inline bool full_exploration() {
  const char* mode = std::getenv("WEIR_EXPLORE");
  return mode != nullptr && std::strcmp(mode, "full") == 0;
}

/// Exhaustive within `reduced` deviations from the default order (or `full`
/// with WEIR_EXPLORE=full).
inline testing::explore_bounds deviations(std::size_t reduced, std::size_t full) {
  testing::explore_bounds b;
  b.max_deviations = full_exploration() ? full : reduced;
  return b;
}

/// A random search of `reduced` (or `full`) schedules from a fixed seed.
inline testing::explore_bounds random_schedules(std::size_t reduced, std::size_t full, std::uint64_t seed = 1) {
  testing::explore_bounds b;
  b.random_schedules = full_exploration() ? full : reduced;
  b.seed = seed;
  return b;
}

/// Runs the search, prints how many schedules it explored (the figures the
/// issue note quotes), and fails the test with the schedule that broke a check.
inline testing::exploration explore_and_report(const std::string& name, const testing::scenario& s,
                                               const testing::explore_bounds& bounds) {
  testing::exploration result = testing::explore(s, bounds);
  MESSAGE("explore " << name << " [" << (bounds.random_schedules > 0 ? "random" : "deviations<=" + std::to_string(*bounds.max_deviations)) << "]: " << result.schedules << " schedules, " << result.steps << " steps" << std::string(result.exhausted ? ", exhaustive" : ""));
  if (result.failure) FAIL_CHECK(name << ": " << *result.failure);
  return result;
}

}  // namespace weir::test
