// An actor's children and their names (see child_tree.hpp).
//
//     spawn ---reserve (refused if taken)---> link ... run ... stop for good --free
//                                                    \-- released by its supervisor --free
//                                                    \-- cut off after its shutdown timeout --free
//     never launched (constructor threw, parent stopping) --------------------free

#include <weir/detail/child_tree.hpp>

namespace weir::detail {

bool child_tree::reserve_name(tree_node& child) {
  tree_guard guard(lock_);
  if (!names_) names_ = std::make_unique<std::unordered_map<std::string_view, const tree_node*>>();
  if (!names_->emplace(child.name_, &child).second) return false;
  child.named_.store(true, std::memory_order_relaxed);
  return true;
}

void child_tree::free_name(tree_node& child) noexcept {
  tree_guard guard(lock_);
  if (!child.named_.load(std::memory_order_relaxed)) return;
  child.named_.store(false, std::memory_order_relaxed);
  auto held = names_->find(child.name_);
  if (held != names_->end() && held->second == &child) names_->erase(held);
}

void child_tree::link(tree_node& child) noexcept {
  tree_guard guard(lock_);
  child.prev_ = last_;
  child.next_ = nullptr;
  (last_ != nullptr ? last_->next_ : first_) = &child;
  last_ = &child;
}

void child_tree::unlink(tree_node& child) noexcept {
  tree_guard guard(lock_);
  (child.prev_ != nullptr ? child.prev_->next_ : first_) = child.next_;
  (child.next_ != nullptr ? child.next_->prev_ : last_) = child.prev_;
  child.prev_ = child.next_ = nullptr;
}

}  // namespace weir::detail
