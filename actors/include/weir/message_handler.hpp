#pragma once
// weir/message_handler.hpp — one handler per accepted message type.

namespace weir {

/// An actor accepting `M` overrides `on_message(M&)`. The message lives in the
/// node the sender allocated and was moved into; the handler may move out of
/// it. Forgetting a handler for an accepted type leaves the actor abstract,
/// so spawning it does not compile.
template <class M>
class message_handler {
 public:
  virtual void on_message(M& message) = 0;

 protected:
  message_handler() = default;
  message_handler(const message_handler&) = default;
  message_handler& operator=(const message_handler&) = default;
  ~message_handler() = default;
};

}  // namespace weir
