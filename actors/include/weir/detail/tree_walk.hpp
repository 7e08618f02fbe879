#pragma once
// weir/detail/tree_walk.hpp — visiting every live actor under a cell.

#include <weir/detail/cell.hpp>

namespace weir::detail {

/// Calls `fn(child, parent)` for every live actor below `root`, parents
/// before children, siblings oldest first. Safe from any thread: each list of
/// children is copied under its parent's lock, and the copies hold references.
template <class Fn>
void walk_tree(const cell& root, Fn&& fn) {
  for (const cell_ptr& child : root.children()) {
    fn(child, root);
    walk_tree(*child, fn);
  }
}

}  // namespace weir::detail
