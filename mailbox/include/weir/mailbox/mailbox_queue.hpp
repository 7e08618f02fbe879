#pragma once
// weir/mailbox/mailbox_queue.hpp — the lock-free multi-producer queue behind every actor.

#include <weir/mailbox/envelope.hpp>

#include <atomic>
#include <cstdint>

namespace weir {

/// What a push did. `queued_and_woke` tells the producer that the consumer was
/// asleep and that the producer must now schedule it (exactly one producer
/// ever sees this per sleep, so an actor is scheduled exactly once per wake-up).
enum class push_result : std::uint8_t {
  queued,           ///< accepted; the consumer is already awake or scheduled
  queued_and_woke,  ///< accepted; the consumer was asleep, the caller must schedule it
  closed,           ///< refused: the consumer has closed the queue for good
};

/// A multi-producer, single-consumer intrusive queue that also carries the
/// consumer's sleep state and its closed state in the same atomic word.
///
/// Producers push with one compare-and-swap on an intrusive LIFO stack; the
/// consumer takes the whole stack with one exchange and reverses it, which
/// yields FIFO order (so order per producer is preserved). Folding "asleep"
/// and "closed" into the head pointer means a push learns in the same atomic
/// operation whether it must wake the consumer or whether it was refused:
/// no second flag, no lost wake-up, no message accepted after close.
/// (Boost.Lockfree's queues copy values and have no notion of a sleeping or
/// closed consumer, which is why this is our own.)
///
/// States of `head_`:
///
///     awake (nullptr or a list) --try_sleep()--> asleep --push()--> awake (caller schedules)
///            \------------------------close()------------------------> closed (terminal)
///
/// A new queue starts awake: the owner decides when the consumer first runs,
/// and pushes before that are queued without scheduling anything.
///
/// Thread safety: push() from any thread. take_all(), try_sleep() and close()
/// only by the single consumer (the actor's own strand).
class mailbox_queue {
 public:
  mailbox_queue() noexcept = default;
  mailbox_queue(const mailbox_queue&) = delete;
  mailbox_queue& operator=(const mailbox_queue&) = delete;

  /// A FIFO chain of envelopes linked through `next`, oldest first.
  struct chain {
    envelope* first = nullptr;
    envelope* last = nullptr;
    [[nodiscard]] bool empty() const noexcept { return first == nullptr; }
  };

  /// Pushes `item`. On `closed` the caller still owns `item`.
  push_result push(envelope* item) noexcept {
    envelope* head = head_.load(std::memory_order_relaxed);
    for (;;) {
      if (head == closed_tag()) {
        // Read once more with acquire: everything the consumer did before
        // closing (its exit reason, say) is then visible to the refused sender.
        (void)head_.load(std::memory_order_acquire);
        return push_result::closed;
      }
      item->next = head == asleep_tag() ? nullptr : head;
      // Release publishes the payload to the consumer; acquire on the asleep
      // tag orders the consumer's last turn before the turn we now schedule.
      if (head_.compare_exchange_weak(head, item, std::memory_order_acq_rel,
                                      std::memory_order_relaxed)) {
        return head == asleep_tag() ? push_result::queued_and_woke : push_result::queued;
      }
    }
  }

  /// Consumer: takes everything pushed so far, oldest first. Empty if the
  /// queue is asleep or closed (only the consumer moves it into those states).
  chain take_all() noexcept {
    envelope* head = head_.load(std::memory_order_relaxed);
    if (head == nullptr || head == asleep_tag() || head == closed_tag()) return {};
    return reverse(head_.exchange(nullptr, std::memory_order_acquire));
  }

  /// Consumer: goes to sleep if nothing is queued, so that the next push wakes
  /// it. Returns false (and stays awake) if items arrived in the meantime.
  bool try_sleep() noexcept {
    envelope* expected = nullptr;
    return head_.compare_exchange_strong(expected, asleep_tag(), std::memory_order_acq_rel,
                                         std::memory_order_relaxed);
  }

  /// Consumer: refuses every later push and returns what was still queued.
  chain close() noexcept {
    envelope* head = head_.exchange(closed_tag(), std::memory_order_acq_rel);
    if (head == asleep_tag() || head == closed_tag()) return {};
    return reverse(head);
  }

  /// True once close() ran. Safe from any thread.
  [[nodiscard]] bool closed() const noexcept {
    return head_.load(std::memory_order_acquire) == closed_tag();
  }

  /// True if the consumer is asleep. A snapshot: only for insight and tests.
  [[nodiscard]] bool asleep() const noexcept {
    return head_.load(std::memory_order_acquire) == asleep_tag();
  }

 private:
  // Envelopes are at least pointer-aligned, so these addresses are never real items.
  static envelope* asleep_tag() noexcept { return reinterpret_cast<envelope*>(std::uintptr_t{1}); }
  static envelope* closed_tag() noexcept { return reinterpret_cast<envelope*>(std::uintptr_t{2}); }

  static chain reverse(envelope* lifo) noexcept {
    chain out;
    out.last = lifo;
    envelope* prev = nullptr;
    while (lifo != nullptr) {
      envelope* next = lifo->next;
      lifo->next = prev;
      prev = lifo;
      lifo = next;
    }
    out.first = prev;
    return out;
  }

  std::atomic<envelope*> head_{nullptr};
};

}  // namespace weir
