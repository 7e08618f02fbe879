#pragma once
// weir/detail/carrier_state.hpp — edges whose messages wait inside the edge.

#include <weir/detail/cell.hpp>
#include <weir/detail/edge_state.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <typeinfo>
#include <vector>

namespace weir::detail {

class carrier_state;

/// The single node through which a carrier edge reaches its receiver: queued
/// at most once at a time, reused, owned by its edge. While it waits, new
/// sends merge into the edge (or its bounded buffer) instead of the queue.
class carrier_node final : public cell_envelope {
 public:
  carrier_node(carrier_state& owner, inbox_index inbox) noexcept : cell_envelope(inbox), owner_(owner) {}
  void deliver(cell& receiver) override;
  [[nodiscard]] const std::type_info& type() const noexcept override;
  void dispose() noexcept override {}  // stays with its edge, to be queued again
  void on_undelivered() noexcept override;

 private:
  carrier_state& owner_;
};

/// An edge whose pending messages live in the edge itself, so memory per edge
/// is constant (coalescing) or bounded by the edge (drop_oldest), never by
/// how fast the sender goes. Its carrier node tells the receiver there is
/// something to take.
///
/// Accounting: each delivery through the carrier counts one `handled`; every
/// send that merged into a waiting delivery counts one `coalesced` (or, for
/// a buffer, one `dropped` per evicted message), so the edge's conservation
/// law holds as for any edge. Depth is derived from the counters.
///
/// Thread safety: send from one sender at a time; deliveries on the
/// receiver's strand; the pending state is guarded by the subclass.
class carrier_state : public edge_state {
 public:
  /// `kind` names a coalescing edge ("pulse", "latest", "keyed(64)") for
  /// reports; empty for a ring, which reports its bounded policy.
  carrier_state(cell& receiver, edge_policy policy, std::string label, inbox_index inbox, std::string kind = {})
      : edge_state(receiver, std::move(policy), std::move(label), ownership::sender, depth_source::counters,
                   std::move(kind)),
        node_(*this, inbox) {
    node_.edge = this;
  }

  /// The policy a coalescing edge reports: it never refuses, never slows its
  /// sender down (its memory is bounded by merging instead).
  static edge_policy coalescing_policy() { return unbounded{.penalty = std::nullopt}; }

  /// Receiver: takes what is pending and delivers it as one message.
  virtual void deliver_pending(cell& receiver) = 0;
  /// The type of the message deliveries carry (for logs and insight).
  [[nodiscard]] virtual const std::type_info& message_type() const noexcept = 0;
  /// The carrier was discarded (the receiver stopped): forget what was pending.
  virtual void forget_pending() noexcept = 0;

 protected:
  /// Queues the carrier (the caller saw that it was not queued).
  [[nodiscard]] send_result post_carrier() { return receiver.post_carrier(*this, node_); }

  /// Builds the real message node and runs its handler now.
  static void deliver_now(cell& receiver, make_node_fn make, void* payload) {
    envelope_ptr real(make(payload));
    real->deliver(receiver);
  }

 private:
  carrier_node node_;
};

inline void carrier_node::deliver(cell& receiver) { owner_.deliver_pending(receiver); }
inline const std::type_info& carrier_node::type() const noexcept { return owner_.message_type(); }
inline void carrier_node::on_undelivered() noexcept { owner_.forget_pending(); }

}  // namespace weir::detail
