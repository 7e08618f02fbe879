#pragma once
// weir/send_result.hpp — what a send did with the message.

#include <cstdint>
#include <string_view>

namespace weir {

/// The outcome of a send. Overload is a return value, never a silent loss:
/// a message is either accepted, or the result says where it went. When the
/// result is `would_block` or `dropped`, the message passed as an rvalue was
/// not moved from: the caller still holds it, intact.
///
/// Which sends must be looked at is decided per send, not by this type: a
/// send that can refuse (edge::send: a bounded edge answers `would_block` or
/// `dropped`) is [[nodiscard]]; a send that can only answer `ok` or `closed`
/// (handle::send, reply_to::send, pulse/latest/keyed edges) is fire-and-forget
/// like Erlang's `!`, since `closed` is already counted as a dead letter.
enum class send_result : std::uint8_t {
  ok,           ///< queued in the receiver's inbox
  closed,       ///< the receiver has stopped; the message was counted as a dead letter
  would_block,  ///< a bounded edge had no credit (reaction `fail`, or a blocking send timed out)
  dropped,      ///< a bounded edge had no credit and its reaction is `drop_newest`
};

constexpr std::string_view to_string(send_result r) noexcept {
  switch (r) {
    case send_result::ok: return "ok";
    case send_result::closed: return "closed";
    case send_result::would_block: return "would_block";
    case send_result::dropped: return "dropped";
  }
  return "?";
}

}  // namespace weir
