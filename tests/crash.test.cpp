#include <weir/system.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct work { int n; };
struct boom {};

class fragile : public weir::actor<work, boom> {
 public:
  explicit fragile(std::vector<int>& done) : done_(done) {}
  void on_message(work& w) override { done_.push_back(w.n); }
  void on_message(boom&) override { throw std::runtime_error("disk full"); }

 private:
  std::vector<int>& done_;
};

class bad_start : public weir::actor<work> {
 public:
  void on_start() override { throw std::invalid_argument("no config"); }
  void on_message(work&) override { FAIL("a crashed start must not handle messages"); }
};

class bad_timer : public weir::actor<work> {
 public:
  void on_start() override {
    (void)start_timer(5ms, [] { throw std::out_of_range("tick"); });
  }
  void on_message(work&) override {}
};

}  // namespace

TEST_CASE("an exception in a handler stops the actor, logs the reason, dead-letters the message") {
  weir::test::log_capture capture;
  std::vector<int> done;
  weir::testing::manual_system t(capture.config());
  auto f = t.system.spawn<fragile>("f", done);
  f.send(work{1});
  f.send(boom{});
  f.send(work{2});  // queued behind the crash: a dead letter too
  t.run_until_idle();
  CHECK(done == std::vector<int>{1});
  CHECK(f.stopped());
  CHECK(t.system.crashes() == 1);
  CHECK(f.dead_letters() == 2);  // the culprit and the one behind it
  CHECK(f.handled() + f.dead_letters() == 3);
  CHECK(capture.contains("actor /f crashed handling"));
  CHECK(capture.contains("boom"));
  CHECK(capture.contains("std::runtime_error: disk full"));
}

TEST_CASE("the system survives a crash and keeps serving other actors") {
  weir::test::log_capture capture;
  std::vector<int> a_done, b_done;
  weir::testing::manual_system t(capture.config());
  auto a = t.system.spawn<fragile>("a", a_done);
  auto b = t.system.spawn<fragile>("b", b_done);
  a.send(boom{});
  b.send(work{7});
  t.run_until_idle();
  CHECK(a.stopped());
  CHECK_FALSE(b.stopped());
  CHECK(b_done == std::vector<int>{7});
}

TEST_CASE("an exception in on_start is a crash; no message is handled and on_stop is not owed") {
  weir::test::log_capture capture;
  weir::testing::manual_system t(capture.config());
  auto s = t.system.spawn<bad_start>("s");
  s.send(work{1});
  t.run_until_idle();
  CHECK(s.stopped());
  CHECK(t.system.crashes() == 1);
  CHECK(s.dead_letters() == 1);
  CHECK(capture.contains("actor /s crashed in on_start: std::invalid_argument: no config"));
}

TEST_CASE("an exception in a timer callback is a crash too") {
  weir::test::log_capture capture;
  weir::testing::manual_system t(capture.config());
  auto s = t.system.spawn<bad_timer>("s");
  t.run_until_idle();
  t.advance(5ms);
  CHECK(s.stopped());
  CHECK(capture.contains("actor /s crashed in a timer callback: std::out_of_range: tick"));
}

TEST_CASE("an exception in the actor's constructor reaches the spawner") {
  struct throws_in_ctor : weir::actor<work> {
    throws_in_ctor() { throw std::runtime_error("ctor"); }
    void on_message(work&) override {}
  };
  weir::testing::manual_system t;
  CHECK_THROWS_WITH_AS(t.system.spawn<throws_in_ctor>("x"), "ctor", std::runtime_error);
  t.run_until_idle();
  CHECK(t.system.live_actors() == 0);
}
