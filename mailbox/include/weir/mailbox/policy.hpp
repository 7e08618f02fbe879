#pragma once
// weir/mailbox/policy.hpp — every flow-control choice of an edge, as plain values.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

namespace weir {

/// What a bounded edge does when its sender has no credit left.
enum class overflow_reaction : std::uint8_t {
  /// Accept the message and hold it at the sender's end of the edge; the
  /// sending actor is suspended after its handler (it handles nothing more)
  /// until its held messages have gone on as credit returned. A thread that
  /// is not an actor blocks first.
  suspend,
  /// Refuse: send() answers would_block and leaves the message with the caller.
  fail,
  /// Discard the message being sent; counted as dropped.
  drop_newest,
  /// Accept the message and discard the oldest unconsumed one of this edge;
  /// counted as dropped.
  drop_oldest,
};

constexpr std::string_view to_string(overflow_reaction r) noexcept {
  switch (r) {
    case overflow_reaction::suspend: return "suspend";
    case overflow_reaction::fail: return "fail";
    case overflow_reaction::drop_newest: return "drop_newest";
    case overflow_reaction::drop_oldest: return "drop_oldest";
  }
  return "?";
}

/// Credit-based flow control: the sender may have at most `capacity`
/// unconsumed messages on the edge.
///
/// Credit protocol (receiver -> sender): the receiver hands credits back in
/// batches of `credit_batch()` consumed messages (a quarter of the capacity,
/// at least 1), and always at the end of its turn, so credit never waits on a
/// receiver that went idle:
///
///     sender --msg, msg, msg--> receiver
///     sender <--credit x batch-- receiver   (in_flight -= batch; wake sender if it waits)
///
/// The receiver never has more than `capacity` in flight. An actor's
/// handler cannot be interrupted, so under `suspend` a send that finds no
/// credit (and every later one on the edge in that handler, in order) is
/// held at the sender's end; after the handler the actor is suspended until
/// credit has let every held message go on. A send that finds credit never
/// suspends anyone: bounded(1) with a receiver that keeps up never suspends.
struct bounded {
  std::size_t capacity = 0;
  overflow_reaction on_full = overflow_reaction::suspend;
  /// How long a thread that is not an actor may block for credit under
  /// `suspend` before send() answers would_block. Unset: wait as long as it takes.
  std::optional<std::chrono::nanoseconds> block_timeout{};

  [[nodiscard]] std::size_t credit_batch() const noexcept { return capacity < 4 ? 1 : capacity / 4; }
  /// Equal policies, field by field (a restarted sender takes back an edge
  /// only under the policy it was opened with).
  friend bool operator==(const bounded&, const bounded&) = default;
};

/// Erlang-style soft back pressure for unbounded edges. Each send costs the
/// sending actor a pause that grows with the receiver's inbox depth:
///
///     penalty(depth) = min(cap, per_message * (depth - threshold))  if depth > threshold
///                      0                                            otherwise
///
/// The pause is paid after the current handler: the sender's next turn is
/// deferred by the accumulated penalty with a timer on its clock, never by
/// sleeping a pool thread. A thread that is not an actor sleeps instead.
/// Defaults: the penalty starts past 1,000 queued messages, grows 100 ns per
/// message beyond, and one send costs at most 1 ms.
struct soft_penalty {
  std::size_t threshold = 1000;
  std::chrono::nanoseconds per_message = std::chrono::nanoseconds(100);
  std::chrono::nanoseconds cap = std::chrono::milliseconds(1);

  [[nodiscard]] std::chrono::nanoseconds for_depth(std::size_t depth) const noexcept {
    if (depth <= threshold) return std::chrono::nanoseconds::zero();
    const auto over = static_cast<std::int64_t>(depth - threshold);
    // Saturate before multiplying: a huge queue must not overflow the product.
    if (over > cap.count() / std::max<std::int64_t>(per_message.count(), 1)) return cap;
    return std::min(cap, per_message * over);
  }
  friend bool operator==(const soft_penalty&, const soft_penalty&) = default;
};

/// Never refuses. With a penalty (the default) senders slow down as the
/// receiver's inbox grows; `unbounded{.penalty = std::nullopt}` is plain.
struct unbounded {
  std::optional<soft_penalty> penalty = soft_penalty{};
  friend bool operator==(const unbounded&, const unbounded&) = default;
};

/// The policy of an edge.
using edge_policy = std::variant<bounded, unbounded>;

/// A keyed coalescing edge (see weir/coalescing.hpp): changes to keys merge
/// into one pending set; past `key_bound` distinct keys the set collapses
/// into a single overflow marker ("rescan everything").
struct keyed_merge {
  std::size_t key_bound = 0;
};

namespace detail {

[[noreturn]] inline void invalid_policy(std::string_view where, std::string_view field, std::string_view what) {
  throw std::invalid_argument(std::string{where} + ": " + std::string{field} + " " + std::string{what});
}

}  // namespace detail

/// Throws std::invalid_argument naming the first invalid field. `where`
/// says which edge or inbox the policy belongs to.
inline void validate(const bounded& p, std::string_view where) {
  if (p.capacity == 0) detail::invalid_policy(where, "bounded::capacity", "must be >= 1 (got 0)");
  if (p.block_timeout && p.block_timeout->count() < 0) {
    detail::invalid_policy(where, "bounded::block_timeout", "must not be negative");
  }
}

inline void validate(const soft_penalty& p, std::string_view where) {
  if (p.per_message.count() <= 0) detail::invalid_policy(where, "soft_penalty::per_message", "must be positive");
  if (p.cap.count() <= 0) detail::invalid_policy(where, "soft_penalty::cap", "must be positive");
}

inline void validate(const unbounded& p, std::string_view where) {
  if (p.penalty) validate(*p.penalty, where);
}

inline void validate(const keyed_merge& p, std::string_view where) {
  if (p.key_bound == 0) detail::invalid_policy(where, "keyed_merge::key_bound", "must be >= 1 (got 0)");
}

inline void validate(const edge_policy& p, std::string_view where) {
  std::visit([&](const auto& policy) { validate(policy, where); }, p);
}

}  // namespace weir
