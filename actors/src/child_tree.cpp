// An actor's children and their names (see child_tree.hpp).
//
//     spawn ---reserve (refused if taken)---> link ... run ... stop for good --free
//                                                    \-- released by its supervisor --free
//                                                    \-- cut off after its shutdown timeout --free
//     never launched (constructor threw, parent stopping) --------------------free

#include <weir/detail/child_tree.hpp>

#include <boost/unordered/unordered_flat_map.hpp>

namespace weir::detail {

// Keys view the child's own name, which lives as long as the child; an
// entry goes before its child does. Open addressing: a parent of 100k
// short-lived children (a server's connection actors, a fork-join) reserves
// and frees a name per child, and a chained std::unordered_map spent a tenth
// of such a run walking its buckets.
struct child_tree::name_table : boost::unordered_flat_map<std::string_view, const tree_node*> {};

child_tree::child_tree() noexcept = default;
child_tree::~child_tree() = default;

bool child_tree::reserve_name(tree_node& child) {
  tree_guard guard(lock_);
  if (!names_) names_ = std::make_unique<name_table>();
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
