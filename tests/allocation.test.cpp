// Counts heap allocations on the actor-to-actor path. A separate executable:
// it replaces the global operator new.

#include <weir/system.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_system.hpp>
#include <weir/mailbox/node_pool.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> allocations{0};
}

// The replacements below pair malloc with free by construction; once inlined,
// g++ sees "operator new" meet "free" and warns. That pairing is the point.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

struct ball {
  int left;
};
using ball_port = weir::interface<ball>;
struct meet {
  weir::handle<ball_port> peer;
};

class player : public weir::actor<ball, meet> {
 public:
  void on_message(meet& m) override { peer_ = std::move(m.peer); }
  void on_message(ball& b) override {
    if (b.left > 0) peer_.send(ball{b.left - 1});
  }

 private:
  weir::handle<ball_port> peer_;
};

}  // namespace

TEST_CASE("steady state: actor-to-actor messages cost no heap allocation beyond their node") {
  weir::testing::manual_system t;
  auto a = t.system.spawn<player>("a");
  auto b = t.system.spawn<player>("b");
  a.send(meet{b});
  b.send(meet{a});
  t.run_until_idle();

  a.send(ball{1000});  // warm-up: Asio's handler caches and the node pool fill up
  t.run_until_idle();

  const int hops = 10'000;
  const std::size_t before = allocations.load();
  a.send(ball{hops});
  t.run_until_idle();
  const std::size_t during = allocations.load() - before;
  if constexpr (weir::node_pool::enabled) {
    CHECK(during == 0);  // nodes are recycled through the pool
  } else {
    CHECK(during == static_cast<std::size_t>(hops) + 1);  // exactly one node per message
  }
}
