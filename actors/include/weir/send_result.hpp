#pragma once
// weir/send_result.hpp — what a send did with the message.

#include <cstdint>
#include <string_view>

namespace weir {

/// The outcome of a send. Overload is a return value, never a silent loss:
/// a message is either accepted, or the result says where it went.
enum class [[nodiscard]] send_result : std::uint8_t {
  ok,      ///< queued in the receiver's inbox
  closed,  ///< the receiver has stopped; the message was counted as a dead letter
};

constexpr std::string_view to_string(send_result r) noexcept {
  switch (r) {
    case send_result::ok: return "ok";
    case send_result::closed: return "closed";
  }
  return "?";
}

}  // namespace weir
