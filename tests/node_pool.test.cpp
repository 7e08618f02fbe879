#include <weir/mailbox/node_pool.hpp>  // first: the header must be self-contained

#include <doctest/doctest.h>

#include <set>
#include <thread>
#include <vector>

TEST_CASE("node_pool: blocks freed by a consumer thread return to a producer thread") {
  if (!weir::node_pool::enabled) return;  // AddressSanitizer build: plain new/delete
  const std::size_t n = 4096;
  std::vector<void*> produced(n);
  std::thread([&] {
    for (auto& p : produced) p = weir::node_pool::allocate(24);
  }).join();
  const std::set<void*> original(produced.begin(), produced.end());
  REQUIRE(original.size() == n);

  // The consumer frees them all: its list overflows into the depot in batches.
  std::thread([&] {
    for (void* p : produced) weir::node_pool::deallocate(p, 24);
  }).join();

  // A producer with an empty list takes whole batches from the depot.
  std::vector<void*> again(1024);
  std::thread([&] {
    for (auto& p : again) p = weir::node_pool::allocate(30);  // same size class (32)
    for (void* p : again) CHECK(original.count(p) == 1);
    for (void* p : again) weir::node_pool::deallocate(p, 30);
  }).join();
}

TEST_CASE("node_pool: a block is reused first on the thread that freed it") {
  void* a = weir::node_pool::allocate(100);
  weir::node_pool::deallocate(a, 100);
  void* b = weir::node_pool::allocate(120);  // same class (128)
  if (weir::node_pool::enabled) CHECK(a == b);
  weir::node_pool::deallocate(b, 120);
}

TEST_CASE("node_pool: large nodes go to operator new and back") {
  void* big = weir::node_pool::allocate(4096);
  REQUIRE(big != nullptr);
  static_cast<char*>(big)[4095] = 1;  // usable in full (ASan would catch an overrun)
  weir::node_pool::deallocate(big, 4096);
}
