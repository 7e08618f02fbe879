#pragma once
// edge_ledger.hpp — keeps every edge after its sender stops, so that its
// counters can be read once the whole system has shut down.

#include <weir/edge_stats.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ide_main_loop {

/// An edge's counters are exact only at quiescence: a receiver hands consumed
/// messages back to the edge at the end of its turn, so a sender reading its
/// own edge while the receiver is mid-turn may see a stale depth. After
/// system::shutdown() every turn has ended, so the ledger's readings are
/// final. Senders hand their edges over in on_stop (an edge is move-only).
///
/// Thread safety: keep() from any actor; entries() after shutdown.
class edge_ledger {
 public:
  struct entry {
    std::string name;
    weir::edge_stats stats;
  };

  /// Takes ownership of `edge` (a weir::edge or a coalescing edge; pass it
  /// with std::move). An empty edge (its owner never opened it) is skipped.
  template <class Edge>
  void keep(std::string name, Edge edge) {
    if (!edge) return;
    auto kept = std::make_shared<Edge>(std::move(edge));
    std::lock_guard lock(mutex_);
    edges_.push_back({std::move(name), [kept] { return kept->stats(); }});
  }

  /// The counters of every edge kept, in the order they were kept.
  [[nodiscard]] std::vector<entry> entries() const {
    std::lock_guard lock(mutex_);
    std::vector<entry> out;
    for (const auto& [name, stats] : edges_) out.push_back({name, stats()});
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::function<weir::edge_stats()>>> edges_;
};

}  // namespace ide_main_loop
