// Unique names among live siblings, reserved at spawn (see cell::reserve_child_name).
//
// A spawned child is linked into its parent's list only at the parent's next
// turn, so the list alone cannot tell two racing spawns apart. The name is
// therefore reserved synchronously, on the spawning thread, under the
// parent's tree lock, and freed when the child can no longer be the actor at
// its path:
//
//     spawn ---reserve (throws if taken)---> adopt ... run ... stop for good --free
//                                                      \-- released by its supervisor --free
//                                                      \-- cut off after its shutdown timeout --free
//     never launched (constructor threw, parent stopping) ----------------------free

#include <weir/detail/cell.hpp>
#include <weir/detail/child_names.hpp>
#include <weir/detail/tree_guard.hpp>

#include <stdexcept>

namespace weir::detail {

void cell::reserve_child_name(cell& child) {
  bool taken = false;
  {
    tree_guard guard(tree_lock_);
    if (!names_) names_ = std::make_unique<child_names>();
    taken = !names_->holders.emplace(child.name_, &child).second;
    if (!taken) child.named_.store(true, std::memory_order_relaxed);
  }
  if (taken) {
    throw std::invalid_argument("weir::spawn: " + child.path() +
                                " is already taken by a live actor (names are unique among live siblings)");
  }
}

void cell::free_child_name(cell& child) noexcept {
  tree_guard guard(tree_lock_);
  if (!child.named_.load(std::memory_order_relaxed)) return;
  child.named_.store(false, std::memory_order_relaxed);
  auto held = names_->holders.find(child.name_);
  if (held != names_->holders.end() && held->second == &child) names_->holders.erase(held);
}

}  // namespace weir::detail
