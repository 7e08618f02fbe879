#pragma once
// weir/detail/message_node.hpp — a user message in flight.

#include <weir/detail/cell.hpp>
#include <weir/handle.hpp>
#include <weir/message_handler.hpp>

#include <typeinfo>
#include <utility>

namespace weir::detail {

/// The one allocation a message costs: the payload moved into an intrusive
/// node. `Actor` is the receiver's typed base (basic_actor<inboxes>), known
/// at the send site from the handle's interface, so delivery is a static
/// downcast plus one virtual call to the user's on_message.
template <class Actor, class M>
class message_node final : public cell_envelope {
 public:
  template <class... Args>
  explicit message_node(inbox_index inbox, Args&&... args)
      : cell_envelope(inbox), message_(std::forward<Args>(args)...) {}

  void deliver(cell& receiver) override {
    auto& actor = static_cast<Actor&>(*receiver.behavior());
    static_cast<message_handler<M>&>(actor).on_message(message_);
  }

  [[nodiscard]] const std::type_info& type() const noexcept override { return typeid(M); }

 private:
  M message_;
};

template <class Actor, class M>
cell_envelope* make_node(void* payload) {
  return new message_node<Actor, M>(inbox_of<M, typename Actor::inboxes>::value,
                                    std::move(*static_cast<M*>(payload)));
}

}  // namespace weir::detail
