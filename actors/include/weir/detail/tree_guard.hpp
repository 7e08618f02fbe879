#pragma once
// weir/detail/tree_guard.hpp — the small lock over a cell's children.

#include <atomic>

namespace weir::detail {

/// Holds a cell's tree lock (its child list and the names reserved under it)
/// for a scope. Held for a few pointer writes, one lookup or one copy of the
/// list, so spinning is cheaper than a mutex in every cell.
class tree_guard {
 public:
  explicit tree_guard(std::atomic_flag& lock) noexcept : lock_(lock) {
    while (lock_.test_and_set(std::memory_order_acquire)) lock_.wait(true, std::memory_order_relaxed);
  }
  ~tree_guard() {
    lock_.clear(std::memory_order_release);
    lock_.notify_one();
  }
  tree_guard(const tree_guard&) = delete;
  tree_guard& operator=(const tree_guard&) = delete;

 private:
  std::atomic_flag& lock_;
};

}  // namespace weir::detail
