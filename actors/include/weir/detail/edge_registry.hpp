#pragma once
// weir/detail/edge_registry.hpp — every live edge of a system, for snapshots.

#include <mutex>
#include <unordered_set>

namespace weir::detail {

class edge_state;

/// Senders own edges, so a receiver cannot list the edges leading into it;
/// snapshots find them here. An edge enters when it is made and leaves in
/// its destructor, so one read under the lock never meets a freed edge.
/// The lock is taken when an edge is made or dies and by snapshots, never
/// per message.
class edge_registry {
 public:
  void add(const edge_state* edge) {
    std::lock_guard lock(mutex_);
    edges_.insert(edge);
  }
  void remove(const edge_state* edge) noexcept {
    std::lock_guard lock(mutex_);
    edges_.erase(edge);
  }
  template <class Fn>
  void for_each(Fn&& fn) const {
    std::lock_guard lock(mutex_);
    for (const edge_state* edge : edges_) fn(*edge);
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_set<const edge_state*> edges_;
};

}  // namespace weir::detail
