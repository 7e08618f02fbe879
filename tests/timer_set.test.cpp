#include <weir/detail/timer_set.hpp>  // first: the header must be self-contained

#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <vector>

using weir::detail::timer_set;
using weir::detail::timer_state;

namespace {

// Stands in for the clock: keeps what each timer would hand over when it fires.
struct fake_clock {
  struct armed final : weir::armed_timer {
    void cancel() noexcept override { cancelled = true; }
    bool cancelled = false;
  };
  std::vector<std::weak_ptr<timer_state>> firings;
  std::vector<std::shared_ptr<armed>> armed_timers;

  auto arm() {
    return [this](std::weak_ptr<timer_state> weak) {
      firings.push_back(std::move(weak));
      armed_timers.push_back(std::make_shared<armed>());
      return armed_timers.back();
    };
  }
};

}  // namespace

TEST_CASE("timer_set: a one-shot timer runs once, and a firing that arrives after it ran does nothing") {
  timer_set timers;
  fake_clock clock;
  int ran = 0;
  const auto timer = timers.start([&] { ++ran; }, false, clock.arm());
  timers.fire(timer);
  CHECK(ran == 1);
  CHECK(clock.armed_timers[0]->cancelled);  // over: the clock stops too
  CHECK(timers.size() == 0);
  timers.fire(timer);
  CHECK(ran == 1);
}

TEST_CASE("timer_set: a periodic timer runs at every firing until cancelled, then never again") {
  timer_set timers;
  fake_clock clock;
  int ran = 0;
  const auto timer = timers.start([&] { ++ran; }, true, clock.arm());
  timers.fire(timer);
  timers.fire(timer);
  CHECK(ran == 2);
  CHECK(timers.size() == 1);
  timers.cancel(*timer);
  CHECK(clock.armed_timers[0]->cancelled);
  timers.fire(timer);  // a firing already queued when it was cancelled
  CHECK(ran == 2);
  timers.cancel(*timer);  // idempotent
  CHECK(timers.size() == 0);
}

TEST_CASE("timer_set: the set owns its timers; what the clock holds is weak") {
  timer_set timers;
  fake_clock clock;
  auto timer = timers.start([] {}, false, clock.arm());
  timer.reset();
  CHECK_FALSE(clock.firings[0].expired());  // alive in the set
  timers.cancel(*clock.firings[0].lock());
  CHECK(clock.firings[0].expired());  // gone with its cancellation
}

TEST_CASE("timer_set: cancel_all (the actor stops) stops every timer") {
  timer_set timers;
  fake_clock clock;
  int ran = 0;
  const auto once = timers.start([&] { ++ran; }, false, clock.arm());
  const auto every = timers.start([&] { ++ran; }, true, clock.arm());
  timers.cancel_all();
  CHECK(clock.armed_timers[0]->cancelled);
  CHECK(clock.armed_timers[1]->cancelled);
  timers.fire(once);
  timers.fire(every);
  CHECK(ran == 0);
  CHECK(timers.size() == 0);
}

TEST_CASE("timer_set: a one-shot timer whose callback throws is over all the same") {
  timer_set timers;
  fake_clock clock;
  const auto timer = timers.start([] { throw std::runtime_error("tick"); }, false, clock.arm());
  CHECK_THROWS_AS(timers.fire(timer), std::runtime_error);
  CHECK(timer->cancelled);
  CHECK(timers.size() == 0);
}
