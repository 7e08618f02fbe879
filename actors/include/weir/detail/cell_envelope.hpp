#pragma once
// weir/detail/cell_envelope.hpp — what travels through a cell's mailbox.

#include <weir/mailbox/envelope.hpp>

#include <memory>
#include <typeinfo>

namespace weir::detail {

class cell;
class edge_state;

/// An envelope the runtime can deliver: user messages and runtime signals.
class cell_envelope : public envelope {
 public:
  using envelope::envelope;
  /// Runs on the receiver's strand, inside its turn. May throw (user code).
  virtual void deliver(cell& receiver) = 0;
  /// The payload's type, for logs and insight.
  [[nodiscard]] virtual const std::type_info& type() const noexcept = 0;
  /// For an envelope of the callback inbox, the user code delivering it runs
  /// ("a timer callback", "an ask continuation (reply)"...), so that a crash
  /// log names what threw; null for messages and control signals.
  [[nodiscard]] virtual const char* callback() const noexcept { return nullptr; }

  /// Called when the runtime is done with the envelope (handled or
  /// discarded). Most envelopes are deleted; a coalescing edge's node is
  /// reused and stays with its edge.
  virtual void dispose() noexcept { delete this; }
  /// Called when the envelope is discarded without delivery (the receiver
  /// stopped), before dispose().
  virtual void on_undelivered() noexcept {}

  /// The edge a user message travels on (its counters, its credit); null for
  /// runtime signals.
  edge_state* edge = nullptr;
};

/// Owns an envelope until the runtime is done with it, then disposes of it.
struct envelope_done {
  void operator()(cell_envelope* item) const noexcept { item->dispose(); }
};
using envelope_ptr = std::unique_ptr<cell_envelope, envelope_done>;

/// Moves the message at `payload` into a new node for one receiver type.
using make_node_fn = cell_envelope* (*)(void* payload);

}  // namespace weir::detail
