#include <weir/detail/links_monitors.hpp>  // first: the header must be self-contained

#include <doctest/doctest.h>

#include <vector>

using weir::detail::links_monitors;

TEST_CASE("links_monitors: each monitor gets its own ref, and its down notice is due once") {
  links_monitors state;
  const std::uint64_t first = state.open_monitor();
  const std::uint64_t second = state.open_monitor();
  CHECK(first != second);
  CHECK(state.take_monitor(second));
  CHECK_FALSE(state.take_monitor(second));  // a second notice for the same monitor
  CHECK(state.take_monitor(first));
}

TEST_CASE("links_monitors: a demonitored ref's down notice is dropped, even one already on its way") {
  links_monitors state;
  const std::uint64_t ref = state.open_monitor();
  const std::uint64_t other = state.open_monitor();
  state.demonitor(ref);
  CHECK_FALSE(state.take_monitor(ref));
  CHECK(state.take_monitor(other));  // the others stay live
}

TEST_CASE("links_monitors: trapping exits is off until asked") {
  links_monitors state;
  CHECK_FALSE(state.trap_exit());
  state.set_trap_exit(true);
  CHECK(state.trap_exit());
}

TEST_CASE("links_monitors: watchers are handed over once, when the actor stops for good") {
  links_monitors state;
  state.add_watcher(weir::detail::watcher{1, {}});
  state.add_watcher(weir::detail::watcher{2, {}});
  const std::vector<weir::detail::watcher> told = state.take_watchers();
  REQUIRE(told.size() == 2);
  CHECK(told[0].ref == 1);  // in the order they were set
  CHECK(told[1].ref == 2);
  CHECK(state.take_watchers().empty());
  CHECK(state.take_links().empty());
}
