#include <weir/detail/cell.hpp>
#include <weir/detail/edge_state.hpp>
#include <weir/detail/runtime.hpp>

namespace weir::detail {

edge_state::edge_state(cell& receiver, edge_policy policy, std::string label, ownership owner, depth_source depth,
                       std::string coalescing_kind)
    : policy(std::move(policy)),
      receiver(receiver),
      label(std::move(label)),
      counted_(owner == ownership::sender),
      depth_from_counters_(depth == depth_source::counters),
      coalescing_kind_(std::move(coalescing_kind)),
      opened_by_(owner == ownership::sender && opening_actor() != nullptr ? opening_actor()->id() : 0),
      runtime_(receiver.rt_shared()) {
  runtime_->edges.add(this);
}

edge_state::~edge_state() { runtime_->edges.retire(*this); }

envelope* edge_state::take_held_if_credit() noexcept {
  if (held_.empty() || !has_credit()) return nullptr;
  envelope* node = held_.pop_front();
  // In flight before it stops being held: depth (in flight + held) never
  // dips below the truth, so the conservation law never reads short.
  add_in_flight();
  held_count_.fetch_sub(1, std::memory_order_release);
  return node;
}

void edge_state::dead_letter_held() noexcept {
  std::uint64_t n = 0;
  while (envelope* item = held_.pop_front()) {
    auto* node = static_cast<cell_envelope*>(item);
    node->on_undelivered();
    node->dispose();
    ++n;
  }
  if (n == 0) return;
  dead_lettered.fetch_add(n, std::memory_order_relaxed);
  held_count_.fetch_sub(static_cast<std::int64_t>(n), std::memory_order_release);
  receiver.count_dead_letters(n);
}

std::string edge_state::describe() const {
  return label.empty() ? "ad hoc -> " + receiver.path() : label;
}

std::string edge_state::policy_text() const {
  if (!coalescing_kind_.empty()) return coalescing_kind_;
  if (const bounded* b = as_bounded()) {
    return "bounded(" + std::to_string(b->capacity) + ", " + std::string(to_string(b->on_full)) + ")";
  }
  return as_unbounded()->penalty ? "unbounded(penalty)" : "unbounded";
}

cell* edge_state::opening_actor() noexcept {
  // An edge opened in an actor's constructor belongs to that actor, even
  // though the constructor runs inside the spawning actor's turn.
  return construction_scope::building() != nullptr ? construction_scope::building() : cell::current();
}

std::string edge_state::label_for(const cell& receiver) {
  const cell* sender = opening_actor();
  return (sender != nullptr ? sender->path() : std::string{"(outside)"}) + " -> " + receiver.path();
}

std::int64_t edge_state::derived_depth() const noexcept {
  // Every message sent is in exactly one of these states (see edge_stats).
  const auto done = handled.load(std::memory_order_relaxed) + refused.load(std::memory_order_relaxed) +
                    dropped.load(std::memory_order_relaxed) + coalesced.load(std::memory_order_relaxed) +
                    dead_lettered.load(std::memory_order_relaxed);
  return static_cast<std::int64_t>(sent.load(std::memory_order_relaxed) - done);
}

void edge_state::release_in_flight(std::int64_t n) noexcept {
  if (!counted_) return;  // lives as long as its receiver: nothing to count, nobody waits for credit
  if (refs_.fetch_sub(n, std::memory_order_seq_cst) == n) {
    delete this;  // the sender let go and nothing is in flight: nobody can reach us
    return;
  }
  wake_waiters();
}

void edge_state::release_owner() noexcept {
  dead_letter_held();  // nobody is left to send them on, nor to wait for credit
  if (cell* waiter = waiter_.exchange(nullptr, std::memory_order_seq_cst)) intrusive_ptr_release(waiter);
  owned_.store(false, std::memory_order_release);
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

// Dekker-style hand-shake with wake_waiters(): the waiter publishes itself,
// then re-reads the credit; the receiver publishes the credit (refs_), then
// reads the waiter. With sequentially consistent operations on both sides at
// least one of them sees the other, so no wake-up is lost.
bool edge_state::wait_for_credit(cell& waiter) noexcept {
  intrusive_ptr_add_ref(&waiter);
  // The edge's one sender renews its own registration at most.
  if (cell* before = waiter_.exchange(&waiter, std::memory_order_seq_cst)) intrusive_ptr_release(before);
  if (!has_credit()) return true;
  cell* expected = &waiter;
  if (waiter_.compare_exchange_strong(expected, nullptr, std::memory_order_seq_cst)) {
    intrusive_ptr_release(&waiter);
    return false;  // credit came back already: no need to wait
  }
  return true;  // the receiver took the registration: its credit signal is on the way
}

void edge_state::cancel_wait(cell& waiter) noexcept {
  cell* expected = &waiter;
  if (waiter_.compare_exchange_strong(expected, nullptr, std::memory_order_seq_cst)) {
    intrusive_ptr_release(&waiter);
  }
}

void edge_state::grant_overflow_credit() noexcept {
  // Enough for everything the sender holds (at least one message), even
  // past the capacity: a sender resumes only once nothing is held, and it
  // must resume to consume what its peers in the cycle wait for.
  const std::int64_t missing = std::max<std::int64_t>(held(), 1) - credits();
  if (missing > 0) overflow_.fetch_add(missing, std::memory_order_seq_cst);
  wake_waiters();
}

void edge_state::wake_waiters() noexcept {
  const bounded* limit = as_bounded();
  if (limit == nullptr) return;  // only bounded edges have waiters
  if (overflow_.load(std::memory_order_relaxed) != 0 && in_flight() < static_cast<std::int64_t>(limit->capacity)) {
    overflow_.store(0, std::memory_order_relaxed);  // back under the capacity: the granted credit has done its job
  }
  if (!has_credit()) return;
  if (cell* waiter = waiter_.exchange(nullptr, std::memory_order_seq_cst)) {
    waiter->signal_credit(*this);
    intrusive_ptr_release(waiter);
  }
  if (foreign_waiters_.load(std::memory_order_seq_cst) > 0) {
    std::lock_guard lock(foreign_mutex_);  // a blocked thread is inside wait(), or sees the credit
    foreign_cv_.notify_all();
  }
}

bool edge_state::block_for_credit(const std::optional<std::chrono::nanoseconds>& timeout) {
  foreign_waiters_.fetch_add(1, std::memory_order_seq_cst);
  suspensions.fetch_add(1, std::memory_order_relaxed);
  const auto start = std::chrono::steady_clock::now();
  bool ok = true;
  {
    std::unique_lock lock(foreign_mutex_);
    auto credit = [this] { return has_credit(); };
    if (timeout) {
      ok = foreign_cv_.wait_for(lock, *timeout, credit);
    } else {
      foreign_cv_.wait(lock, credit);
    }
  }
  foreign_waiters_.fetch_sub(1, std::memory_order_seq_cst);
  suspended_ns.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count(),
                         std::memory_order_relaxed);
  return ok;
}

edge_stats edge_state::stats() const noexcept {
  edge_stats s;
  s.sent = sent.load(std::memory_order_relaxed);
  s.handled = handled.load(std::memory_order_relaxed);
  s.refused = refused.load(std::memory_order_relaxed);
  s.dropped = dropped.load(std::memory_order_relaxed);
  s.coalesced = coalesced.load(std::memory_order_relaxed);
  s.dead_lettered = dead_lettered.load(std::memory_order_relaxed);
  s.held = held();
  s.depth = in_flight() + s.held;
  s.credits = credits();
  s.suspended = std::chrono::nanoseconds(suspended_ns.load(std::memory_order_relaxed));
  s.suspensions = suspensions.load(std::memory_order_relaxed);
  return s;
}

}  // namespace weir::detail
