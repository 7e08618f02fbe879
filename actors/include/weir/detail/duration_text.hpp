#pragma once
// weir/detail/duration_text.hpp — durations in logs and error messages.

#include <chrono>
#include <string>

namespace weir::detail {

/// "250 ms": whole milliseconds, how weir names timeouts, periods and delays.
template <class Rep, class Period>
std::string milliseconds_text(std::chrono::duration<Rep, Period> d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

}  // namespace weir::detail
