#include <weir/detail/wait_registry.hpp>  // first: the header must be self-contained

#include <doctest/doctest.h>

#include <vector>

using weir::wait_kind;
using weir::wait_record;
using weir::detail::wait_registry;

namespace {

std::vector<std::string> targets(const wait_registry& waits) {
  std::vector<std::string> out;
  for (const wait_record& w : waits.snapshot()) out.push_back(w.on);
  return out;
}

}  // namespace

TEST_CASE("wait_registry: an actor that never waited reports no waits") {
  const wait_registry waits;
  CHECK(waits.snapshot().empty());
}

TEST_CASE("wait_registry: waits are reported in the order they began, until each ends") {
  wait_registry waits;
  waits.record(1, wait_record{wait_kind::reply, "/asked", 7, {}});
  waits.record(0xbeef, wait_record{wait_kind::credit, "/a -> /b", 8, {}});
  CHECK(targets(waits) == std::vector<std::string>{"/asked", "/a -> /b"});
  waits.end(wait_kind::reply, 1);
  CHECK(targets(waits) == std::vector<std::string>{"/a -> /b"});
}

TEST_CASE("wait_registry: a key names a wait only within its kind") {
  wait_registry waits;
  waits.record(5, wait_record{wait_kind::reply, "ask 5", 1, {}});
  waits.record(5, wait_record{wait_kind::credit, "edge at 5", 2, {}});
  waits.end(wait_kind::credit, 5);
  CHECK(targets(waits) == std::vector<std::string>{"ask 5"});
  waits.end(wait_kind::credit, 5);  // ended already: nothing
  CHECK(waits.snapshot().size() == 1);
}

TEST_CASE("wait_registry: a stopping actor ends all its waits") {
  wait_registry waits;
  waits.record(1, wait_record{wait_kind::reply, "/x", 1, {}});
  waits.record(2, wait_record{wait_kind::reply, "/y", 2, {}});
  waits.end_all();
  CHECK(waits.snapshot().empty());
}
