#pragma once
// weir/edge_stats.hpp — what happened on one edge so far.

#include <chrono>
#include <cstdint>

namespace weir {

/// A snapshot of one edge's counters. Every message ever sent on the edge is
/// accounted for exactly once:
///
///     sent = handled + refused + dropped + coalesced + dead_lettered + depth
///
/// so at quiescence (depth 0) the law holds with no remainder.
///
/// Thread safety: a plain value; each counter is read atomically, the set is
/// not one consistent instant (fine for monitoring, exact at quiescence).
struct edge_stats {
  std::uint64_t sent = 0;           ///< send() calls on the edge, whatever became of them
  std::uint64_t handled = 0;        ///< delivered to a handler that returned
  std::uint64_t refused = 0;        ///< answered would_block: the caller kept the message
  std::uint64_t dropped = 0;        ///< discarded by the policy (drop_newest, drop_oldest)
  std::uint64_t coalesced = 0;      ///< merged into a message already waiting
  std::uint64_t dead_lettered = 0;  ///< reached a stopped receiver, or crashed it
  std::int64_t depth = 0;           ///< accepted, not yet consumed (held ones included)
  std::int64_t held = 0;            ///< of depth: held at the sender's end for want of credit (bounded, suspend)
  std::int64_t credits = -1;        ///< bounded: capacity - in flight at the receiver (+ a granted overflow); else -1
  std::chrono::nanoseconds suspended{0};  ///< time senders spent suspended or blocked on this edge
  std::uint64_t suspensions = 0;          ///< how often a sender was suspended or blocked on it

  /// Adds another edge's counters, for totals over several edges (the law
  /// holds for sums too). Credits are left alone: a sum has none.
  edge_stats& operator+=(const edge_stats& other) noexcept {
    sent += other.sent;
    handled += other.handled;
    refused += other.refused;
    dropped += other.dropped;
    coalesced += other.coalesced;
    dead_lettered += other.dead_lettered;
    depth += other.depth;
    held += other.held;
    suspended += other.suspended;
    suspensions += other.suspensions;
    return *this;
  }
};

}  // namespace weir
