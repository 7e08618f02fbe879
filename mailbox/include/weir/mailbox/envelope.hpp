#pragma once
// weir/mailbox/envelope.hpp — the header every queued item starts with.

#include <weir/mailbox/node_pool.hpp>

#include <cstddef>
#include <cstdint>

namespace weir {

/// Index of an inbox within one actor. The first two are the runtime's:
/// control signals (stop, child exits, adoption, credit) and callbacks into
/// user code that are not messages (timer firings, ask replies and failures,
/// down and linked-exit notices), kept apart because callbacks run user code
/// and must wait while the actor is suspended; user inboxes follow, in
/// priority order.
using inbox_index = std::uint8_t;
inline constexpr inbox_index control_inbox = 0;
inline constexpr inbox_index callback_inbox = 1;
inline constexpr inbox_index first_user_inbox = 2;

/// True for inboxes that hold user messages (counted, dead-lettered).
constexpr bool is_user_inbox(inbox_index i) noexcept { return i >= first_user_inbox; }

/// The intrusive header of everything queued in a mailbox.
///
/// Queues link envelopes through `next`, so enqueueing never allocates: the
/// only allocation a message costs is the node that carries it. Derived types
/// add the payload and how to deliver it; the mailbox layer knows neither.
///
/// Thread safety: an envelope belongs to exactly one queue or one owner at a
/// time; the queue that holds it owns `next`.
class envelope {
 public:
  explicit envelope(inbox_index inbox) noexcept : inbox(inbox) {}
  envelope(const envelope&) = delete;
  envelope& operator=(const envelope&) = delete;
  virtual ~envelope() = default;

  // Every envelope, whatever its derived type, comes from the node pool.
  // Deleting through the virtual destructor passes the derived size here.
  static void* operator new(std::size_t size) { return node_pool::allocate(size); }
  static void operator delete(void* block, std::size_t size) noexcept { node_pool::deallocate(block, size); }

  envelope* next = nullptr;
  /// Which of the receiver's inboxes this item belongs to.
  const inbox_index inbox;
};

}  // namespace weir
