#include <weir/detail/ring_state.hpp>

namespace weir::detail {

ring_state::ring_state(cell& receiver, bounded policy, std::string label, inbox_index inbox)
    : carrier_state(receiver, policy, std::move(label), inbox), capacity_(policy.capacity) {
  is_ring_ = true;
}

ring_state::~ring_state() {
  for (cell_envelope* node : ring_) node->dispose();  // only reachable if the receiver never ran
}

send_result ring_state::accept(cell_envelope* node) {
  cell_envelope* evicted = nullptr;
  bool post = false;
  {
    std::lock_guard lock(mutex_);
    if (ring_.size() >= capacity_) {
      evicted = ring_.front();
      ring_.pop_front();
    }
    ring_.push_back(node);
    post = !std::exchange(carrier_queued_, true);
  }
  if (evicted != nullptr) {
    dropped.fetch_add(1, std::memory_order_relaxed);
    evicted->dispose();
  }
  if (post) return post_carrier();
  cell::sender_continues();
  return send_result::ok;
}

void ring_state::deliver_pending(cell& receiver) {
  cell_envelope* next = nullptr;
  bool more = false;
  {
    std::lock_guard lock(mutex_);
    if (!ring_.empty()) {
      next = ring_.front();
      ring_.pop_front();
    }
    more = !ring_.empty();
    carrier_queued_ = more;
  }
  if (more) (void)post_carrier();  // behind whatever else waits: fair to other senders
  if (next != nullptr) {
    envelope_ptr owned(next);
    next->deliver(receiver);
  }
}

void ring_state::forget_pending() noexcept {
  std::deque<cell_envelope*> orphans;
  {
    std::lock_guard lock(mutex_);
    orphans.swap(ring_);
    carrier_queued_ = false;
  }
  // The discarded carrier stood for the first of them: the rest die too.
  if (orphans.size() > 1) {
    dead_lettered.fetch_add(orphans.size() - 1, std::memory_order_relaxed);
    receiver.count_dead_letters(orphans.size() - 1);
  }
  for (cell_envelope* node : orphans) node->dispose();
}

}  // namespace weir::detail
