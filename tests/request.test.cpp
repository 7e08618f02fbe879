// system::request (asking from outside any actor) and system::wait_for_path
// (waiting for an actor to appear), in manual mode: the test drives every
// turn and every tick of the clock.

#include <weir/request.hpp>  // first: the header must be self-contained
#include <weir/supervisor.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "journal.hpp"
#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct get_total {
  weir::reply_to<int> reply;
};
struct add {
  int n;
};
struct flush {};

enum class behaviour {
  answer,  ///< replies at once
  drop,    ///< lets the token go unanswered
  crash,   ///< throws on the request
  keep,    ///< keeps the token; replies on flush (late, if the request timed out)
  hand_out,  ///< hands the token to the test (code outside any actor)
};

class accountant : public weir::actor<get_total, add, flush> {
 public:
  explicit accountant(behaviour b, std::vector<weir::reply_to<int>>* outside = nullptr)
      : behaviour_(b), outside_(outside) {}
  void on_message(add& a) override { total_ += a.n; }
  void on_message(get_total& q) override {
    switch (behaviour_) {
      case behaviour::answer: q.reply.send(total_); break;
      case behaviour::drop: break;  // the token dies with the message
      case behaviour::crash: throw std::runtime_error("ledger corrupt");
      case behaviour::keep: kept_.push_back(std::move(q.reply)); break;
      case behaviour::hand_out: outside_->push_back(std::move(q.reply)); break;
    }
  }
  void on_message(flush&) override {
    for (auto& token : kept_) token.send(total_);
    kept_.clear();
  }

 private:
  behaviour behaviour_;
  std::vector<weir::reply_to<int>>* outside_;
  std::vector<weir::reply_to<int>> kept_;
  int total_ = 0;
};

template <class R>
bool ready(const std::future<R>& f) {
  return f.wait_for(0s) == std::future_status::ready;
}

/// The ask_failed a failed request's future holds.
template <class R>
weir::ask_failed failure_of(std::future<R>& f) {
  REQUIRE(ready(f));
  try {
    (void)f.get();
  } catch (const weir::ask_failed& e) {
    return e;
  }
  FAIL("the request should have failed");
  return weir::ask_failed(weir::ask_error::no_reply, "");
}

struct fixture {
  weir::test::log_capture capture;
  weir::testing::manual_system t{capture.config()};

};

}  // namespace

TEST_CASE("request: outside code gets the reply through a future, once the receiver's turn ran") {
  fixture f;
  auto acc = f.t.system.spawn<accountant>("acc", behaviour::answer);
  acc.send(add{40});
  acc.send(add{2});
  std::future<int> total = f.t.system.request(acc, get_total{}, 1s);
  CHECK_FALSE(ready(total));  // nothing runs until the test says so
  CHECK(f.t.system.pending_requests() == 1);
  f.t.run_until_idle();
  REQUIRE(ready(total));
  CHECK(total.get() == 42);
  CHECK(f.t.system.pending_requests() == 0);
  CHECK(f.t.clock->pending() == 0);  // the timeout was cancelled with the reply
}

TEST_CASE("request: no reply within the timeout (on the system's clock) fails the future; a late reply is counted") {
  fixture f;
  auto acc = f.t.system.spawn<accountant>("slow", behaviour::keep);
  std::future<int> total = f.t.system.request(acc, get_total{}, 100ms);
  f.t.run_until_idle();
  f.t.advance(99ms);
  CHECK_FALSE(ready(total));
  f.t.advance(1ms);
  const weir::ask_failed failed = failure_of(total);
  CHECK(failed.error() == weir::ask_error::timeout);
  CHECK(failed.target() == "/slow");
  CHECK(std::string{failed.what()} == "weir::system::request to /slow: timeout (no reply within the timeout)");
  CHECK(f.t.system.pending_requests() == 0);

  acc.send(flush{});  // the receiver answers at last
  f.t.run_until_idle();
  CHECK(f.t.system.late_request_replies() == 1);  // counted, dropped
  CHECK(f.t.system.dead_letters() == 0);
}

TEST_CASE("request: a request dropped unanswered fails with no_reply at once, never by the timeout") {
  fixture f;
  SUBCASE("the receiver lets the token go") {
    auto acc = f.t.system.spawn<accountant>("acc", behaviour::drop);
    std::future<int> total = f.t.system.request(acc, get_total{}, 1s);
    f.t.run_until_idle();
    const weir::ask_failed failed = failure_of(total);
    CHECK(failed.error() == weir::ask_error::no_reply);
    CHECK(failed.target() == "/acc");
  }
  SUBCASE("the receiver crashes on the request") {
    auto acc = f.t.system.spawn<accountant>("acc", behaviour::crash);
    std::future<int> total = f.t.system.request(acc, get_total{}, 1s);
    f.t.run_until_idle();
    CHECK(failure_of(total).error() == weir::ask_error::no_reply);
    CHECK(f.t.system.crashes() == 1);
    CHECK(f.capture.contains("ledger corrupt"));
  }
  SUBCASE("the receiver has already stopped: the request is a dead letter") {
    auto acc = f.t.system.spawn<accountant>("acc", behaviour::answer);
    acc.stop();
    f.t.run_until_idle();
    std::future<int> total = f.t.system.request(acc, get_total{}, 1s);
    CHECK(failure_of(total).error() == weir::ask_error::no_reply);  // before any turn runs
    CHECK(f.t.system.dead_letters() == 1);
  }
  CHECK(f.t.system.pending_requests() == 0);
  CHECK(f.t.clock->pending() == 0);  // no timeout left armed
}

TEST_CASE("request: tokens held outside any actor end with no_reply at shutdown; using them later is harmless") {
  std::vector<weir::reply_to<int>> outside;
  {
    fixture f;
    auto acc = f.t.system.spawn<accountant>("acc", behaviour::hand_out, &outside);
    std::future<int> first = f.t.system.request(acc, get_total{}, 1s);
    std::future<int> second = f.t.system.request(acc, get_total{}, 1s);
    f.t.run_until_idle();
    REQUIRE(outside.size() == 2);
    CHECK_FALSE(ready(first));
    f.t.system.shutdown();  // no actor is left to answer
    CHECK(failure_of(first).error() == weir::ask_error::no_reply);
    CHECK(failure_of(second).error() == weir::ask_error::no_reply);
    CHECK(f.t.clock->pending() == 0);
    CHECK(outside[0].send(7) == weir::send_result::ok);  // after the end: counted late, dropped
    CHECK(f.t.system.late_request_replies() == 1);
  }
  // The second token outlives its system: its reply and its end reach
  // nobody, and nothing leaks (ASan).
  CHECK(outside[1].send(7) == weir::send_result::ok);
  outside.clear();
}

TEST_CASE("request: a caller that drops its future leaves nothing behind") {
  fixture f;
  auto acc = f.t.system.spawn<accountant>("acc", behaviour::answer);
  (void)f.t.system.request(acc, get_total{}, 1s);
  f.t.run_until_idle();
  CHECK(f.t.system.pending_requests() == 0);
  CHECK(f.t.system.late_request_replies() == 0);
}

namespace {

struct try_request {
  weir::handle<accountant> to;
};

// An actor must ask, never request: request() refuses to run in its turn.
class impatient : public weir::actor<try_request> {
 public:
  explicit impatient(std::string* error) : error_(error) {}
  void on_message(try_request& r) override {
    try {
      (void)system().request(r.to, get_total{}, 1s);
    } catch (const std::logic_error& e) {
      *error_ = e.what();
    }
  }

 private:
  std::string* error_;
};

}  // namespace

TEST_CASE("request: refused inside an actor (it would block its thread) and for bad input; nothing is sent") {
  fixture f;
  auto acc = f.t.system.spawn<accountant>("acc", behaviour::answer);
  std::string error;
  auto asker = f.t.system.spawn<impatient>("impatient", &error);
  asker.send(try_request{acc});
  f.t.run_until_idle();
  CHECK(error == "weir::system::request called from inside an actor or on a pool thread; actors use ask()");

  CHECK_THROWS_WITH_AS((void)f.t.system.request(acc, get_total{}, 0ms),
                       "weir::system::request: timeout must be positive, got 0 ms", std::invalid_argument);
  CHECK_THROWS_WITH_AS((void)f.t.system.request(acc, get_total{}, -5ms),
                       "weir::system::request: timeout must be positive, got -5 ms", std::invalid_argument);
  CHECK_THROWS_WITH_AS((void)f.t.system.request(weir::handle<accountant>{}, get_total{}, 1s),
                       "weir::system::request: the target handle is empty", std::invalid_argument);
  f.t.run_until_idle();
  CHECK(acc.handled() == 0);
  CHECK(f.t.system.pending_requests() == 0);
}

// ---------------------------------------------------------------------------
// wait_for_path

TEST_CASE("wait_for_path: returns a supervisor's child as soon as its parent linked it, running turns meanwhile") {
  weir::test::journal j;  // outlives the system: its actors journal until they stop
  fixture f;
  auto root = f.t.system.spawn<weir::supervisor>(
      "root", weir::supervisor_flags{},
      std::vector<weir::child_spec>{weir::supervisor_child(
          "sub", {}, {weir::worker<weir::test::probe>("w", std::string{"w"}, &j)})});
  CHECK_FALSE(f.t.system.find<weir::test::probe>("/root/sub/w").has_value());  // nothing ran yet
  auto w = f.t.system.wait_for_path<weir::test::probe>("/root/sub/w", 1s);
  REQUIRE(w.has_value());
  CHECK(w->path() == "/root/sub/w");
  w->send(weir::test::work{7});
  f.t.run_until_idle();
  CHECK(j.events == std::vector<std::string>{"start w", "w 7"});
  CHECK(f.t.clock->pending() == 0);  // its timeout is gone
}

TEST_CASE("wait_for_path: a child started later (start_child) is found; an actor already there at once") {
  weir::test::journal j;  // outlives the system: its actors journal until they stop
  fixture f;
  auto sup = f.t.system.spawn<weir::supervisor>("sup", weir::supervisor_flags{}, std::vector<weir::child_spec>{});
  f.t.run_until_idle();
  CHECK(f.t.system.wait_for_path<weir::supervisor>("/sup", 1s).has_value());  // already live
  sup.send(weir::start_child{weir::worker<weir::test::probe>("late", std::string{"late"}, &j), {}});
  auto late = f.t.system.wait_for_path<weir::test::probe>("/sup/late", 1s);
  REQUIRE(late.has_value());
  CHECK(*late == *f.t.system.find<weir::test::probe>("/sup/late"));
}

namespace {

struct spawn_later {
  std::chrono::milliseconds after;
};

// Spawns its child "kid" only when its timer fires.
class slow_parent : public weir::actor<spawn_later> {
 public:
  explicit slow_parent(weir::test::journal* j) : j_(j) {}
  void on_message(spawn_later& s) override {
    (void)start_timer(s.after, [this] { (void)spawn<weir::test::probe>("kid", std::string{"kid"}, j_); });
  }

 private:
  weir::test::journal* j_;
};

}  // namespace

TEST_CASE("wait_for_path (manual mode): nothing left to run while the actor is missing is an error, not a hang") {
  weir::test::journal j;  // outlives the system: its actors journal until they stop
  fixture f;
  auto parent = f.t.system.spawn<slow_parent>("parent", &j);
  parent.send(spawn_later{5s});
  CHECK_THROWS_WITH_AS((void)f.t.system.wait_for_path<weir::test::probe>("/parent/kid", 10s),
                       "weir::system::wait_for_path: no actor at /parent/kid and nothing left to run "
                       "(manual mode: advance the clock?)",
                       std::logic_error);
  f.t.clock->advance(5s);  // the parent's timer is due: its turn spawns the child
  auto kid = f.t.system.wait_for_path<weir::test::probe>("/parent/kid", 10s);
  REQUIRE(kid.has_value());
  CHECK(kid->path() == "/parent/kid");
}

TEST_CASE("wait_for_path: bad input and the wrong type are rejected") {
  fixture f;
  (void)f.t.system.spawn<weir::supervisor>("sup", weir::supervisor_flags{}, std::vector<weir::child_spec>{});
  for (const char* bad : {"", "/", "sup", "/sup/", "//sup", "/sup//x"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS((void)f.t.system.wait_for_path<weir::supervisor>(bad, 1s), std::invalid_argument);
  }
  CHECK_THROWS_WITH_AS((void)f.t.system.wait_for_path<weir::supervisor>("/sup", 0s),
                       "weir::system::wait_for_path: timeout must be positive, got 0 ms", std::invalid_argument);
  CHECK_THROWS_AS((void)f.t.system.wait_for_path<weir::test::probe>("/sup", 1s), std::invalid_argument);
}
