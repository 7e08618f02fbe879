#pragma once
// weir/detail/edge_registry.hpp — every edge of a system, live or closed, for snapshots.

#include <weir/edge_stats.hpp>

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace weir::detail {

class edge_state;

/// Edges alike for accounting: same label, message interface and policy.
struct closed_edge_key {
  std::string edge;     ///< edge_state::describe()
  std::string carries;  ///< the interface's name; empty for the ad-hoc edge and coalescing edges
  std::string policy;   ///< edge_state::policy_text()
  auto operator<=>(const closed_edge_key&) const = default;
};

/// The counters of closed edges with one key, summed.
struct closed_edge_sum {
  std::uint64_t edges = 0;  ///< how many edges were summed
  edge_stats totals;        ///< credits stays -1: a sum has none
};

using closed_edge_totals = std::map<closed_edge_key, closed_edge_sum>;

/// Adds `edge`'s counters now to its key's sum in `into`.
void add_closed(closed_edge_totals& into, const edge_state& edge);

/// Senders own edges, so a receiver cannot list the edges leading into it;
/// snapshots find them here. An edge enters when it is made and retires in
/// its destructor, so one read under the lock never meets a freed edge.
///
/// A retired edge that carried anything leaves its final counts behind,
/// summed per key (label, interface, policy), so that the accounting law
/// (see edge_stats) can be checked over a whole run from a snapshot: every
/// edge is either live or in the closed sums, never both, never neither.
/// Memory stays bounded: past `max_closed_keys` distinct keys, further
/// edges are summed under `overflow_key()` ("(other closed edges)").
///
/// The lock is taken when an edge is made or dies and by snapshots, never
/// per message.
///
/// Thread safety: every member from any thread.
class edge_registry {
 public:
  static constexpr std::size_t max_closed_keys = 1024;
  static const closed_edge_key& overflow_key();

  edge_registry();
  ~edge_registry();
  edge_registry(const edge_registry&) = delete;
  edge_registry& operator=(const edge_registry&) = delete;

  void add(const edge_state* edge);
  /// `edge` is being destroyed: it leaves the live set, its counts join the
  /// closed sums. Must run while its counters and receiver are still valid.
  void retire(const edge_state& edge) noexcept;

  /// Calls `live(edge)` for every live edge and returns the closed sums,
  /// under one lock: no edge is seen twice or missed while it retires.
  closed_edge_totals visit(const std::function<void(const edge_state&)>& live) const;

 private:
  mutable std::mutex mutex_;
  struct live_set;  // see edge_registry.cpp
  std::unique_ptr<live_set> edges_;
  closed_edge_totals closed_;
};

}  // namespace weir::detail
