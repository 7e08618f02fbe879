#pragma once
// weir/detail/edge_state.hpp — the runtime state of one edge, shared by both ends.

#include <weir/edge_stats.hpp>
#include <weir/mailbox/envelope_fifo.hpp>
#include <weir/mailbox/policy.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <typeinfo>

namespace weir::detail {

class cell;
struct runtime;

/// One sender -> receiver edge. The sender's end (weir::edge) owns it; every
/// message sent on it points to it, so the receiver can count, hand credit
/// back, and apply drop_oldest.
///
/// Lifetime: `refs_` counts messages in flight plus one while the sender's
/// end holds it; whoever brings it to zero deletes it. So it lives exactly as
/// long as someone can still touch it, with no extra count per message.
/// While a supervised sender restarts, its cell holds the sender's end in
/// its place (see edge_book). When it dies its final counts join the
/// registry's closed edges (see edge_registry).
///
/// A bounded(suspend) edge whose sending actor finds no credit holds the
/// message at the sender's end (see hold): the receiver never has more than
/// the capacity in flight, and held messages move on as credit returns.
///
/// Thread safety: the atomics from any thread; fields marked "receiver" only
/// on the receiver's strand, the held messages only on the sender's.
class edge_state {
 public:
  /// How the edge's lifetime is kept. An edge end owned by a sender counts
  /// its messages in flight (see above). The ad-hoc edge belongs to its
  /// receiver and dies with it, so it skips that count: one fewer atomic
  /// operation on every ad-hoc send, the hottest path there is.
  enum class ownership : std::uint8_t { sender, receiver };
  /// Where depth comes from: the in-flight count (plain edges, whose credit
  /// it is), or the counters (edges that keep messages inside: carriers).
  enum class depth_source : std::uint8_t { in_flight_count, counters };

  edge_state(cell& receiver, edge_policy policy, std::string label, ownership owner = ownership::sender,
             depth_source depth = depth_source::in_flight_count, std::string coalescing_kind = {});
  edge_state(const edge_state&) = delete;
  edge_state& operator=(const edge_state&) = delete;
  virtual ~edge_state();  // coalescing edges add state (see coalescing.hpp)

  const edge_policy policy;
  cell& receiver;
  const std::string label;  ///< "sender -> receiver"; empty for the ad-hoc edge (see describe)
  /// The interface the sender's end was opened with (for reports); null for the ad-hoc edge.
  const std::type_info* carries = nullptr;

  /// The label, or for the ad-hoc edge "ad hoc -> <receiver path>", made
  /// only when asked: every actor that receives an ad-hoc send has one.
  [[nodiscard]] std::string describe() const;
  /// "<sending actor's path> -> <receiver's path>"; "(outside)" when the
  /// edge is opened by a thread that is not an actor.
  static std::string label_for(const cell& receiver);
  /// The actor opening an edge on this thread: the one whose behaviour is
  /// being built here (its constructor runs inside its spawner's turn), else
  /// the one whose turn runs here; null on a thread that is not an actor.
  static cell* opening_actor() noexcept;
  /// The id of the actor that opened the edge; 0 for a thread that is not
  /// an actor, and for the ad-hoc edge.
  [[nodiscard]] std::uint64_t opened_by() const noexcept { return opened_by_; }
  /// A coalescing edge's kind ("pulse", "latest", "keyed(64)"); empty for
  /// plain and ring edges.
  [[nodiscard]] const std::string& kind() const noexcept { return coalescing_kind_; }

  /// "bounded(16, suspend)", "unbounded", "unbounded(penalty)", or a
  /// coalescing edge's kind ("pulse", "latest", "keyed(64)").
  [[nodiscard]] std::string policy_text() const;

  [[nodiscard]] const bounded* as_bounded() const noexcept { return std::get_if<bounded>(&policy); }
  [[nodiscard]] const unbounded* as_unbounded() const noexcept { return std::get_if<unbounded>(&policy); }

  /// Messages queued at the receiver and not yet consumed (handled, dropped
  /// or dead-lettered); held messages are not in flight.
  [[nodiscard]] std::int64_t in_flight() const noexcept {
    if (!counted_ || depth_from_counters_) return derived_depth();
    return refs_.load(std::memory_order_acquire) - (owned_.load(std::memory_order_acquire) ? 1 : 0);
  }
  /// Credits left on a bounded edge: capacity (+ granted overflow) minus
  /// what is in flight at the receiver.
  [[nodiscard]] std::int64_t credits() const noexcept {
    const bounded* b = as_bounded();
    return b != nullptr ? static_cast<std::int64_t>(b->capacity) + overflow_.load(std::memory_order_acquire) - in_flight()
                        : -1;
  }
  /// Breaks a wait-for cycle (deadlock_remedy::grant_credit): credit beyond
  /// the capacity for every message the sender holds (at least one), until
  /// the receiver is back under the capacity.
  /// Wakes a sender suspended on the edge.
  void grant_overflow_credit() noexcept;
  [[nodiscard]] bool has_credit() const noexcept { return credits() > 0; }

  /// Messages held at the sender's end for want of credit.
  [[nodiscard]] std::int64_t held() const noexcept { return held_count_.load(std::memory_order_acquire); }
  /// Sending actor: keeps `node` (already counted as sent) at the sender's
  /// end, after any held before it, until credit returns.
  void hold(envelope* node) noexcept {
    held_.push_back(node);
    held_count_.fetch_add(1, std::memory_order_release);
  }
  /// Sending actor: the oldest held message if there is credit for it (the
  /// caller queues it at the receiver), else null.
  [[nodiscard]] envelope* take_held_if_credit() noexcept;
  /// Sender's end: the held messages die with it (dead letters, counted).
  void dead_letter_held() noexcept;

  /// Sender: one more message in flight.
  void add_in_flight() noexcept {
    if (counted_) refs_.fetch_add(1, std::memory_order_acq_rel);
  }
  /// Either end: `n` messages left flight. Wakes whoever waits for credit.
  /// May delete *this.
  void release_in_flight(std::int64_t n) noexcept;
  /// The sender's end lets go. May delete *this.
  void release_owner() noexcept;

  /// Actor sender: registers `waiter` to be sent a credit signal once credit
  /// returns. Returns false (registering nothing) if credit is already back.
  bool wait_for_credit(cell& waiter) noexcept;
  /// Withdraws a registration (the waiter stops). Idempotent.
  void cancel_wait(cell& waiter) noexcept;
  /// Foreign thread: blocks until there is credit or `timeout` passes.
  bool block_for_credit(const std::optional<std::chrono::nanoseconds>& timeout);

  [[nodiscard]] edge_stats stats() const noexcept;
  /// Sender: remembers the largest message node sent, for the bytes-queued
  /// estimate of snapshots (a relaxed load, a store only when it grows).
  void note_message_bytes(std::size_t bytes) noexcept {
    const auto n = static_cast<std::uint32_t>(bytes);
    if (n > largest_message_.load(std::memory_order_relaxed)) largest_message_.store(n, std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint32_t largest_message() const noexcept {
    return largest_message_.load(std::memory_order_relaxed);
  }
  /// True for a bounded drop_oldest edge, which keeps its messages in a ring.
  [[nodiscard]] bool is_ring() const noexcept { return is_ring_; }

  // Counters (relaxed; see edge_stats for their meaning), grouped by who
  // writes them on every message, a cache line apart: a sender bumping
  // `sent` must not invalidate the line the receiver bumps `handled` in.
  alignas(64) std::atomic<std::uint64_t> sent{0};  // senders
  std::atomic<std::uint64_t> refused{0};
  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> coalesced{0};
  std::atomic<std::int64_t> suspended_ns{0};
  std::atomic<std::uint64_t> suspensions{0};
  alignas(64) std::atomic<std::uint64_t> handled{0};  // the receiver
  std::atomic<std::uint64_t> dead_lettered{0};

  // Receiver: consumption not yet handed back as credit (see bounded).
  std::int64_t unpublished = 0;
  edge_state* next_dirty = nullptr;
  bool dirty = false;

 private:
  void wake_waiters() noexcept;
  [[nodiscard]] std::int64_t derived_depth() const noexcept;

  const bool counted_;
  const bool depth_from_counters_;
  const std::string coalescing_kind_;  // for policy_text(); empty for plain edges
  const std::uint64_t opened_by_;      // an actor id, or 0 (see opened_by)
  const std::shared_ptr<runtime> runtime_;  // whose edge registry lists this edge
  std::atomic<std::uint32_t> largest_message_{0};

 protected:
  bool is_ring_ = false;
  alignas(64) std::atomic<std::int64_t> refs_{1};  // both ends, once per message or batch
  std::atomic<bool> owned_{true};
  std::atomic<cell*> waiter_{nullptr};  // holds a reference on the waiting cell
  std::mutex foreign_mutex_;
  std::condition_variable foreign_cv_;
  std::atomic<int> foreign_waiters_{0};
  std::atomic<std::int64_t> overflow_{0};  // credits granted beyond the capacity
  envelope_fifo held_;                        // the sender's strand only
  std::atomic<std::int64_t> held_count_{0};   // its length, for stats on any thread
};

}  // namespace weir::detail
