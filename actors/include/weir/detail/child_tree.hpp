#pragma once
// weir/detail/child_tree.hpp — an actor's children: oldest first, unique names, readable from any thread.

#include <weir/detail/tree_guard.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace weir::detail {

/// What a child carries to sit in its parent's child_tree: its name and
/// intrusive links, so adopting a child never allocates. Only the parent's
/// child_tree touches the links and the name flag.
class tree_node {
 public:
  explicit tree_node(std::string name) noexcept : name_(std::move(name)) {}
  tree_node(const tree_node&) = delete;
  tree_node& operator=(const tree_node&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// True while it holds its name among its siblings (reserved, not freed).
  [[nodiscard]] bool holds_name() const noexcept { return named_.load(std::memory_order_relaxed); }

 protected:
  ~tree_node() = default;

 private:
  friend class child_tree;
  const std::string name_;
  tree_node* prev_ = nullptr;
  tree_node* next_ = nullptr;
  std::atomic<bool> named_{false};  // written under the parent's tree lock
};

/// The children of one actor, oldest first, and the names they hold.
///
/// A child is linked only at its parent's next turn after the spawn, so the
/// list alone cannot tell two racing spawns of one name apart: names are
/// reserved on the spawning thread, at once, and freed when the child can no
/// longer be the actor at its path (stopped, released, cut off, or never
/// launched). Two live siblings never share a name.
///
/// Thread safety: link(), unlink() and newest() only on the owning actor's
/// strand; reserve_name(), free_name() and for_each() from any thread. Both
/// sides take a small spin lock, held for a few pointer writes, one lookup
/// or one walk of the list, never on the message path.
class child_tree {
 public:
  child_tree() noexcept;
  ~child_tree();
  child_tree(const child_tree&) = delete;
  child_tree& operator=(const child_tree&) = delete;

  /// Reserves `child`'s name; false (reserving nothing) if a live sibling
  /// already holds it.
  [[nodiscard]] bool reserve_name(tree_node& child);
  /// Frees `child`'s name for a successor. Idempotent.
  void free_name(tree_node& child) noexcept;

  /// Appends `child` as the newest.
  void link(tree_node& child) noexcept;
  void unlink(tree_node& child) noexcept;
  /// The youngest child (the next to stop: OTP stops newest first), or null.
  [[nodiscard]] tree_node* newest() const noexcept { return last_; }
  [[nodiscard]] bool empty() const noexcept { return first_ == nullptr; }

  /// Calls `visit(node)` for each child, oldest first, under the lock:
  /// `visit` must only look and copy (e.g. take a reference), never block.
  template <class Visit>
  void for_each(Visit&& visit) const {
    tree_guard guard(lock_);
    for (tree_node* n = first_; n != nullptr; n = n->next_) visit(*n);
  }

 private:
  tree_node* first_ = nullptr;
  tree_node* last_ = nullptr;
  // Name -> the child holding it (see child_tree.cpp). Made on the first
  // spawn: most actors have no children.
  struct name_table;
  std::unique_ptr<name_table> names_;
  mutable std::atomic_flag lock_ = ATOMIC_FLAG_INIT;
};

}  // namespace weir::detail
