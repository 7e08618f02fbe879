#pragma once
// weir/detail/wait_graph.hpp — who waits on whom, system-wide, with cycle detection.

#include <weir/clock.hpp>
#include <weir/deadlock.hpp>
#include <weir/wait_record.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace weir::detail {

class cell;
class edge_state;

/// One wait: `waiter` waits on `target` (for credit on `edge`, or for the
/// reply to ask `key`).
struct wait_arc {
  const cell* waiter = nullptr;
  wait_kind kind = wait_kind::credit;
  std::uintptr_t key = 0;  // the edge's address, or the ask's id
  const cell* target = nullptr;
  edge_state* edge = nullptr;  // credit waits
  clock::time_point since{};
};

/// One arc as insight reports it: who waits, on what, since when.
struct wait_entry {
  actor_id waiter = 0;
  std::string path;
  wait_record record;
};

/// The wait-for graph. Arcs are added when a wait begins and removed when it
/// ends, so the detector works only when someone starts to wait: no polling,
/// nothing at all while nobody waits. A cycle is found by the add that closes
/// it (a search from the new arc's target back to its waiter), so it is
/// reported within the turn that formed it.
///
/// Lifetime: a cell and the edge it waits on stay alive while its arc is in
/// the graph (a cell removes its arcs before it stops; a sender's edge
/// outlives its suspension), so reports read them under the lock.
///
/// Thread safety: all members from any thread (one mutex, taken only when a
/// wait begins or ends).
class wait_graph {
 public:
  /// Adds `arc`. If it closes a cycle, returns the report, and applies
  /// `grant_credit` under the lock when that is the remedy (the edge is
  /// surely alive then).
  std::optional<deadlock_report> add(const wait_arc& arc, deadlock_remedy remedy);
  void remove(const cell* waiter, wait_kind kind, std::uintptr_t key) noexcept;
  void remove_all(const cell* waiter) noexcept;
  [[nodiscard]] std::size_t size() const;
  /// Waits ever added: the detector's whole workload (it runs per wait, never otherwise).
  [[nodiscard]] std::uint64_t added() const noexcept { return added_.load(std::memory_order_relaxed); }
  /// Every wait now, oldest waiter first (for lints and snapshots).
  [[nodiscard]] std::vector<wait_entry> entries() const;
  /// The cycles standing now, each once (for snapshots; cost: one search per
  /// arc, only over actors that wait).
  [[nodiscard]] std::vector<deadlock_report> cycles(deadlock_remedy remedy) const;

 private:
  [[nodiscard]] std::optional<std::vector<const wait_arc*>> path_back(const wait_arc& arc) const;
  static bool waiting(const wait_arc& arc) noexcept;
  mutable std::mutex mutex_;
  std::atomic<std::uint64_t> added_{0};
  std::unordered_map<const cell*, std::vector<wait_arc>> out_;
};

}  // namespace weir::detail
