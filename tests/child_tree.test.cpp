#include <weir/detail/child_tree.hpp>  // first: the header must be self-contained

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using weir::detail::child_tree;
using weir::detail::tree_node;

namespace {

struct child final : tree_node {
  explicit child(std::string name) : tree_node(std::move(name)) {}
};

std::vector<std::string> names_in(const child_tree& tree) {
  std::vector<std::string> out;
  tree.for_each([&](const tree_node& n) { out.push_back(n.name()); });
  return out;
}

}  // namespace

TEST_CASE("child_tree: children are kept oldest first, and the newest is the next to stop") {
  child_tree tree;
  child a{"a"}, b{"b"}, c{"c"};
  CHECK(tree.empty());
  CHECK(tree.newest() == nullptr);
  tree.link(a);
  tree.link(b);
  tree.link(c);
  CHECK(names_in(tree) == std::vector<std::string>{"a", "b", "c"});
  CHECK(tree.newest() == &c);

  SUBCASE("unlinking the middle one keeps the others in order") {
    tree.unlink(b);
    CHECK(names_in(tree) == std::vector<std::string>{"a", "c"});
    CHECK(tree.newest() == &c);
  }
  SUBCASE("stopping newest first empties the tree") {
    std::vector<std::string> stopped;
    while (tree_node* n = tree.newest()) {
      stopped.push_back(n->name());
      tree.unlink(*n);
    }
    CHECK(stopped == std::vector<std::string>{"c", "b", "a"});
    CHECK(tree.empty());
  }
  SUBCASE("the oldest can go first, and a relinked child becomes the newest") {
    tree.unlink(a);
    tree.link(a);
    CHECK(names_in(tree) == std::vector<std::string>{"b", "c", "a"});
    CHECK(tree.newest() == &a);
  }
}

TEST_CASE("child_tree: two live siblings never share a name; a freed name can be taken again") {
  child_tree tree;
  child first{"worker"}, second{"worker"}, other{"other"};
  REQUIRE(tree.reserve_name(first));
  CHECK(first.holds_name());
  CHECK_FALSE(tree.reserve_name(second));
  CHECK_FALSE(second.holds_name());
  CHECK(tree.reserve_name(other));

  tree.free_name(second);  // never held it: frees nothing of first's
  CHECK_FALSE(tree.reserve_name(second));

  tree.free_name(first);
  CHECK_FALSE(first.holds_name());
  tree.free_name(first);  // idempotent
  CHECK(tree.reserve_name(second));
  CHECK(second.holds_name());
}

TEST_CASE("child_tree: of many threads reserving one name at once, exactly one gets it") {
  child_tree tree;
  std::vector<std::unique_ptr<child>> racers;
  for (int i = 0; i < 8; ++i) racers.push_back(std::make_unique<child>("same"));
  std::vector<std::thread> threads;
  std::atomic<int> winners{0};
  for (auto& r : racers) {
    threads.emplace_back([&tree, &winners, &r] {
      if (tree.reserve_name(*r)) winners.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  CHECK(winners.load() == 1);
}
