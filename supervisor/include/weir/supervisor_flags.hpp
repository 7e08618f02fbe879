#pragma once
// weir/supervisor_flags.hpp — how a supervisor restarts: strategy, intensity, back-off.

#include <weir/clock.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace weir {

/// Which children restart when one of them has to (OTP's strategies).
enum class restart_strategy : std::uint8_t {
  one_for_one,   ///< only the child that exited
  one_for_all,   ///< all children: the others are stopped (reverse start order), then all restart in order
  rest_for_one,  ///< the child and those started after it (which may depend on it)
};

constexpr std::string_view to_string(restart_strategy s) noexcept {
  switch (s) {
    case restart_strategy::one_for_one: return "one_for_one";
    case restart_strategy::one_for_all: return "one_for_all";
    case restart_strategy::rest_for_one: return "rest_for_one";
  }
  return "?";
}

/// Waiting before a restart, growing with consecutive restarts of a child:
/// delay(n) = min(max, initial * multiplier^n), then scaled by a random
/// factor in [1 - jitter, 1 + jitter]. A child that ran `reset_after` without
/// exiting starts again from n = 0. While a child waits, its mailbox keeps
/// what is sent to it.
struct backoff {
  clock::duration initial = std::chrono::milliseconds(10);
  clock::duration max = std::chrono::seconds(5);
  double multiplier = 2.0;
  double jitter = 0.1;
  clock::duration reset_after = std::chrono::seconds(30);
};

/// A supervisor's restart policy. OTP's defaults: one_for_one, at most 1
/// restart in 5 s.
///
/// Restart intensity: more than `intensity` restarts within any sliding
/// window of `period` (on the system's clock) means the supervisor gives up:
/// it stops its children in reverse start order and exits, crashed, with a
/// reason naming the child and its last exit; its own supervisor decides
/// next. `intensity` restarts are fine; one more escalates.
struct supervisor_flags {
  restart_strategy strategy = restart_strategy::one_for_one;
  int intensity = 1;
  clock::duration period = std::chrono::seconds(5);
  std::optional<weir::backoff> backoff{};  ///< none: restart at once, as OTP
};

/// Throws std::invalid_argument naming `where` and the field: intensity < 0,
/// period <= 0, or a back-off with initial <= 0, max < initial,
/// multiplier < 1, jitter outside [0, 1], reset_after <= 0.
void validate(const supervisor_flags& flags, std::string_view where);

}  // namespace weir
