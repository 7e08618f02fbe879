#include <weir/timer_handle.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_system.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct arm_once { std::chrono::milliseconds after; std::string tag; };
struct arm_every { std::chrono::milliseconds period; std::string tag; };
struct cancel_all {};

class timed : public weir::actor<arm_once, arm_every, cancel_all> {
 public:
  explicit timed(std::vector<std::string>& fired) : fired_(fired) {}
  void on_message(arm_once& m) override {
    timers_.push_back(start_timer(m.after, [this, tag = m.tag] { fired_.push_back(tag); }));
  }
  void on_message(arm_every& m) override {
    timers_.push_back(start_periodic(m.period, [this, tag = m.tag] { fired_.push_back(tag); }));
  }
  void on_message(cancel_all&) override {
    for (auto& timer : timers_) timer.cancel();
  }

 private:
  std::vector<std::string>& fired_;
  std::vector<weir::timer_handle> timers_;
};

}  // namespace

TEST_CASE("once-timers fire in deadline order, on the actor, only when time advances") {
  std::vector<std::string> fired;
  weir::testing::manual_system t;
  auto a = t.system.spawn<timed>("a", fired);
  a.send(arm_once{30ms, "late"});
  a.send(arm_once{10ms, "early"});
  a.send(arm_once{20ms, "middle"});
  t.run_until_idle();
  CHECK(fired.empty());
  t.advance(15ms);
  CHECK(fired == std::vector<std::string>{"early"});
  t.advance(1s);
  CHECK(fired == std::vector<std::string>{"early", "middle", "late"});
  CHECK(t.clock->pending() == 0);
}

TEST_CASE("periodic timers fire once per period elapsed, until cancelled") {
  std::vector<std::string> fired;
  weir::testing::manual_system t;
  auto a = t.system.spawn<timed>("a", fired);
  a.send(arm_every{10ms, "tick"});
  t.run_until_idle();
  t.advance(35ms);
  CHECK(fired.size() == 3);
  a.send(cancel_all{});
  t.run_until_idle();
  t.advance(100ms);
  CHECK(fired.size() == 3);
  CHECK(t.clock->pending() == 0);
}

TEST_CASE("a timer cancelled after it fired but before it ran does not run") {
  // Both fall due in the same advance, so both signals are queued before
  // either runs; the first one's callback cancels the second.
  struct pair_actor : weir::actor<arm_once> {
    std::vector<std::string>& fired;
    weir::timer_handle second;
    explicit pair_actor(std::vector<std::string>& f) : fired(f) {}
    void on_message(arm_once&) override {
      (void)start_timer(10ms, [this] {
        fired.push_back("first");
        second.cancel();
      });
      second = start_timer(10ms, [this] { fired.push_back("second"); });
    }
  };
  std::vector<std::string> fired;
  weir::testing::manual_system t;
  auto a = t.system.spawn<pair_actor>("a", fired);
  a.send(arm_once{});
  t.run_until_idle();
  CHECK(t.clock->advance(10ms) == 2);  // both fired...
  t.run_until_idle();
  CHECK(fired == std::vector<std::string>{"first"});  // ...only the first ran
}

TEST_CASE("a timer that fires after a stop was requested does not run") {
  std::vector<std::string> fired;
  weir::testing::manual_system t;
  auto a = t.system.spawn<timed>("a", fired);
  a.send(arm_once{10ms, "x"});
  t.run_until_idle();
  a.stop();                // queued first...
  t.clock->advance(10ms);  // ...then the timer's signal, behind it
  t.run_until_idle();
  CHECK(fired.empty());
}

TEST_CASE("stopping an actor cancels its timers") {
  std::vector<std::string> fired;
  weir::testing::manual_system t;
  auto a = t.system.spawn<timed>("a", fired);
  a.send(arm_every{5ms, "tick"});
  a.send(arm_once{50ms, "once"});
  t.run_until_idle();
  CHECK(t.clock->pending() == 2);
  a.stop();
  t.run_until_idle();
  CHECK(t.clock->pending() == 0);
  t.advance(1s);
  CHECK(fired.empty());
}

TEST_CASE("manual_clock::advance_to_next steps from deadline to deadline") {
  std::vector<std::string> fired;
  weir::testing::manual_system t;
  auto a = t.system.spawn<timed>("a", fired);
  a.send(arm_once{30ms, "late"});
  a.send(arm_once{10ms, "early"});
  t.run_until_idle();
  const auto start = t.clock->now();
  REQUIRE(t.clock->advance_to_next());
  t.run_until_idle();
  CHECK(t.clock->now() - start == 10ms);
  CHECK(fired == std::vector<std::string>{"early"});
  REQUIRE(t.clock->advance_to_next());
  t.run_until_idle();
  CHECK(t.clock->now() - start == 30ms);
  CHECK(fired == std::vector<std::string>{"early", "late"});
  CHECK_FALSE(t.clock->advance_to_next());
}
