#pragma once
// scale.hpp — how much work a real-thread test does.

#include <cstddef>
#include <cstdlib>

namespace weir::test {

/// `n` scaled by WEIR_STRESS_SCALE (default 1): the test command scales the
/// work down under sanitizers, which slow real-thread tests 5-20x. Never 0.
inline std::size_t scaled(std::size_t n) {
  const char* scale = std::getenv("WEIR_STRESS_SCALE");
  const double factor = scale != nullptr ? std::atof(scale) : 1.0;
  const auto out = static_cast<std::size_t>(static_cast<double>(n) * factor);
  return out > 0 ? out : 1;
}

}  // namespace weir::test
