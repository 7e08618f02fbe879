#pragma once
// weir/detail/ring_state.hpp — a bounded drop_oldest edge: a ring inside the edge.

#include <weir/detail/carrier_state.hpp>

#include <deque>
#include <mutex>

namespace weir::detail {

/// bounded{capacity, drop_oldest}: the edge keeps at most `capacity`
/// unconsumed messages in its own ring; a send into a full ring evicts the
/// oldest there and then (counted as dropped), so memory is bounded by the
/// capacity however fast the sender is. One carrier node hands the receiver
/// one message per delivery and requeues itself behind other traffic while
/// the ring is not empty.
///
/// Deliveries go to the inbox of the edge's first message type.
///
/// Thread safety: as carrier_state; the ring is guarded by a mutex (held for
/// a push or a pop, never while user code runs).
class ring_state final : public carrier_state {
 public:
  ring_state(cell& receiver, bounded policy, std::string label, inbox_index inbox);
  ~ring_state() override;

  /// Sender: takes `node` (made for this edge's receiver) into the ring.
  [[nodiscard]] send_result accept(cell_envelope* node);

  void deliver_pending(cell& receiver) override;
  [[nodiscard]] const std::type_info& message_type() const noexcept override { return typeid(ring_state); }
  void forget_pending() noexcept override;

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::deque<cell_envelope*> ring_;
  bool carrier_queued_ = false;
};

}  // namespace weir::detail
