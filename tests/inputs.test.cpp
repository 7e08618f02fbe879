// Bad input at the public entry points is refused where it is made, with a
// std::invalid_argument that names the call and what is wrong, and nothing
// happens: no message sent, no timer armed, no monitor set.

#include <weir/actor.hpp>  // first: the header must be self-contained
#include <weir/supervisor.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "journal.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using weir::test::journal;
using weir::test::probe;

namespace {

struct question {
  weir::reply_to<int> reply;
};

class answerer : public weir::actor<question> {
 public:
  void on_message(question& q) override { q.reply.send(1); }
};

class tester;
/// Runs `body` inside a turn of a tester, where the protected API is at hand.
struct run {
  std::function<void(tester&)> body;
};

/// Records what each body threw, or "ok".
class tester : public weir::actor<run> {
 public:
  explicit tester(std::vector<std::string>* outcomes) : outcomes_(outcomes) {}
  using actor_base::ask;
  using actor_base::guard;
  using actor_base::link;
  using actor_base::monitor;
  using actor_base::start_periodic;
  using actor_base::start_timer;
  using actor_base::unlink;

  void on_message(run& r) override {
    try {
      r.body(*this);
      outcomes_->push_back("ok");
    } catch (const std::invalid_argument& e) {
      outcomes_->push_back(e.what());
    }
  }

 private:
  std::vector<std::string>* outcomes_;
};

struct fixture {
  std::vector<std::string> outcomes;
  weir::testing::manual_system t;
  weir::handle<tester> actor = t.system.spawn<tester>("tester", &outcomes);

  /// Runs `body` in the tester's turn and returns what it threw ("ok" if nothing).
  std::string outcome_of(std::function<void(tester&)> body) {
    outcomes.clear();
    actor.send(run{std::move(body)});
    t.run_until_idle();
    REQUIRE(outcomes.size() == 1);
    return outcomes.front();
  }
};

void ignore_reply(int) {}
void ignore_error(weir::ask_error) {}

}  // namespace

TEST_CASE("ask: a timeout that is not positive, an empty target or an empty callback is refused; nothing is sent") {
  fixture f;
  auto to = f.t.system.spawn<answerer>("answerer");
  const auto ask_with = [&](std::chrono::milliseconds timeout) {
    return f.outcome_of([&, timeout](tester& self) {
      self.ask(to, question{}, timeout, [](int) {}, [](weir::ask_error) {});
    });
  };
  CHECK(ask_with(0ms) == "weir::ask: timeout must be positive, got 0 ms");
  CHECK(ask_with(-1ms) == "weir::ask: timeout must be positive, got -1 ms");
  CHECK(f.outcome_of([](tester& self) {
    self.ask(weir::handle<answerer>{}, question{}, 1s, [](int) {}, [](weir::ask_error) {});
  }) == "weir::ask: the target handle is empty");
  CHECK(f.outcome_of([&](tester& self) {
    self.ask(to, question{}, 1s, std::function<void(int)>{}, [](weir::ask_error) {});
  }) == "weir::ask: on_reply is empty");
  CHECK(f.outcome_of([&](tester& self) {
    void (*none)(weir::ask_error) = nullptr;
    self.ask(to, question{}, 1s, [](int) {}, none);
  }) == "weir::ask: on_error is empty");
  CHECK(to.handled() == 0);
  CHECK(f.actor.pending_asks() == 0);
  CHECK(f.t.clock->pending() == 0);  // no timeout armed either

  CHECK(f.outcome_of([&](tester& self) { self.ask(to, question{}, 1ms, &ignore_reply, &ignore_error); }) == "ok");
  CHECK(to.handled() == 1);  // a valid ask still goes through
}

TEST_CASE("timers and guard: a negative delay, a period that is not positive or an empty callback is refused") {
  fixture f;
  CHECK(f.outcome_of([](tester& self) { (void)self.start_timer(-1ms, [] {}); }) ==
        "weir::actor_base::start_timer: delay must not be negative, got -1 ms");
  CHECK(f.outcome_of([](tester& self) { (void)self.start_timer(1s, std::function<void()>{}); }) ==
        "weir::actor_base::start_timer: on_fire is empty");
  CHECK(f.outcome_of([](tester& self) { (void)self.start_periodic(0ms, [] {}); }) ==
        "weir::actor_base::start_periodic: period must be positive, got 0 ms");
  CHECK(f.outcome_of([](tester& self) { (void)self.start_periodic(1s, std::function<void()>{}); }) ==
        "weir::actor_base::start_periodic: on_tick is empty");
  CHECK(f.outcome_of([](tester& self) { (void)self.guard(std::function<void()>{}); }) ==
        "weir::actor_base::guard: handler is empty");
  CHECK(f.t.clock->pending() == 0);
  CHECK(f.outcome_of([](tester& self) { (void)self.start_timer(0ms, [] {}); }) == "ok");  // "as soon as possible"
}

TEST_CASE("monitor, link, unlink and wait_for refuse an empty handle") {
  fixture f;
  const weir::handle<answerer> empty;
  CHECK(f.outcome_of([&](tester& self) { (void)self.monitor(empty); }) ==
        "weir::actor_base::monitor: the target handle is empty");
  CHECK(f.outcome_of([&](tester& self) { self.link(empty); }) == "weir::actor_base::link: the target handle is empty");
  CHECK(f.outcome_of([&](tester& self) { self.unlink(empty); }) ==
        "weir::actor_base::unlink: the target handle is empty");
  CHECK_THROWS_WITH_AS((void)f.t.system.wait_for(empty), "weir::system::wait_for: the target handle is empty",
                       std::invalid_argument);
}

TEST_CASE("find refuses a path that cannot name an actor, and answers nullopt for one nobody holds") {
  fixture f;
  for (const char* bad : {"", "/", "tester", "/tester/", "//tester", "/a//b"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS((void)f.t.system.find<tester>(bad), std::invalid_argument);
  }
  CHECK_THROWS_WITH_AS((void)f.t.system.find<tester>("tester"),
                       "weir::system::find: 'tester' is not an actor path (\"/name\" or \"/name/child/...\")",
                       std::invalid_argument);
  CHECK_FALSE(f.t.system.find<tester>("/nobody").has_value());
  CHECK_FALSE(f.t.system.find<tester>("/tester/nobody").has_value());
  f.t.run_until_idle();
  CHECK(f.t.system.find<tester>("/tester").has_value());
}

TEST_CASE("child_template refuses a prefix that would make every child's name invalid") {
  CHECK_THROWS_WITH_AS(weir::child_template<probe>(""),
                       "weir::child_template: prefix '' must be non-empty, without '/'", std::invalid_argument);
  CHECK_THROWS_AS(weir::child_template<probe>("a/b"), std::invalid_argument);
  journal j;
  CHECK(weir::child_template<probe>("conn")("1", std::string{"c"}, &j).name == "conn-1");
}
