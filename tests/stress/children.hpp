#pragma once
// children.hpp — handles to the workers a supervisor started, for stress tests.

#include <weir/system.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace weir::test {

/// Handles to `<prefix>0` .. `<prefix>n-1` ("/storm/w0"...). Call it once the
/// workers have said they started (their on_start arrives at a countdown):
/// a supervisor starts its children in its own first turn, after spawn returns.
template <class T>
std::vector<weir::handle<T>> started_children(const weir::system& sys, const std::string& prefix, std::size_t n) {
  std::vector<weir::handle<T>> out;
  for (std::size_t i = 0; i < n; ++i) {
    auto h = sys.find<T>(prefix + std::to_string(i));
    REQUIRE_MESSAGE(h.has_value(), prefix << i << " should have started");
    out.push_back(*h);
  }
  return out;
}

}  // namespace weir::test
