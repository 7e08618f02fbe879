#pragma once
// weir/exit_reason.hpp — why an actor stopped.

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace weir {

/// How an actor ended; mirrors OTP's normal / shutdown / {error, Reason}.
enum class exit_kind : std::uint8_t {
  normal,    ///< it called quit(), or finished its work
  shutdown,  ///< its parent or the system stopped it
  crashed,   ///< an exception escaped one of its handlers, on_start or on_stop
  never_started,  ///< it was spawned into a parent that was already stopping
  killed,    ///< stopped without on_stop (brutal shutdown), or cut off after its shutdown timeout
};

constexpr std::string_view to_string(exit_kind k) noexcept {
  switch (k) {
    case exit_kind::normal: return "normal";
    case exit_kind::shutdown: return "shutdown";
    case exit_kind::crashed: return "crashed";
    case exit_kind::never_started: return "never_started";
    case exit_kind::killed: return "killed";
  }
  return "?";
}

/// Why an actor stopped: the kind, plus for crashes the exception's type and
/// message ("std::runtime_error: disk full").
struct exit_reason {
  exit_kind kind = exit_kind::normal;
  std::string detail;

  [[nodiscard]] bool is_crash() const noexcept { return kind == exit_kind::crashed; }
  /// OTP's clean exits, normal and shutdown: a transient child exiting so is
  /// not restarted, and a link does not propagate a normal exit.
  [[nodiscard]] bool is_clean() const noexcept {
    return kind == exit_kind::normal || kind == exit_kind::shutdown || kind == exit_kind::never_started;
  }
  /// "normal", "shutdown", or "crashed: std::runtime_error: disk full".
  [[nodiscard]] std::string to_string() const;

  /// Describes the given exception as "<demangled type>: <what()>".
  static exit_reason from_exception(std::exception_ptr error);
};

}  // namespace weir
