#include <weir/ask.hpp>  // first: the header must be self-contained
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
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
enum class behaviour { answer, ignore, crash };

class accountant : public weir::actor<get_total, add> {
 public:
  explicit accountant(behaviour b) : behaviour_(b) {}
  void on_message(add& a) override { total_ += a.n; }
  void on_message(get_total& q) override {
    if (behaviour_ == behaviour::crash) throw std::runtime_error("ledger corrupt");
    if (behaviour_ == behaviour::answer) {
      CHECK(q.reply.send(total_) == weir::send_result::ok);  // never blocks, even to a suspended asker
      CHECK_FALSE(q.reply);                                  // spent
    }
  }

 private:
  behaviour behaviour_;
  int total_ = 0;
};

struct ask_now {
  weir::handle<accountant> to;
  std::chrono::milliseconds timeout;
};
struct other {};

// Asks, records how the ask ended, and keeps serving other messages meanwhile.
class auditor : public weir::actor<ask_now, other> {
 public:
  std::vector<std::string>& log;
  explicit auditor(std::vector<std::string>& l) : log(l) {}
  void on_message(ask_now& a) override {
    ask(
        a.to, get_total{}, a.timeout, [this](int total) { log.push_back("reply " + std::to_string(total)); },
        [this](weir::ask_error e) { log.push_back(std::string{"error "} + std::string{weir::to_string(e)}); });
  }
  void on_message(other&) override { log.push_back("other"); }
};

}  // namespace

namespace {

// Its continuations throw: a crash there must be named as an ask
// continuation, not as a timer callback (both run from the callback inbox).
class careless_auditor : public weir::actor<ask_now> {
 public:
  void on_message(ask_now& a) override {
    ask(
        a.to, get_total{}, a.timeout, [](int) { throw std::logic_error("bad total"); },
        [](weir::ask_error) { throw std::logic_error("no total"); });
  }
};

}  // namespace

TEST_CASE("ask: a continuation that throws is a crash logged as an ask continuation, not a timer callback") {
  struct variant {
    behaviour replier;
    const char* logged;
  };
  for (const variant v : {variant{behaviour::answer, "crashed in an ask continuation (reply): std::logic_error: bad total"},
                          variant{behaviour::ignore, "crashed in an ask continuation (failed): std::logic_error: no total"}}) {
    CAPTURE(v.logged);
    weir::test::log_capture capture;
    weir::testing::manual_system t(capture.config());
    auto acc = t.system.spawn<accountant>("acc", v.replier);
    auto aud = t.system.spawn<careless_auditor>("aud");
    aud.send(ask_now{acc, 1s});
    t.run_until_idle();  // a dropped request fails at once with no_reply
    CHECK(aud.stopped());
    CHECK(t.system.crashes() == 1);
    CHECK(capture.contains(std::string{"actor /aud "} + v.logged));
    CHECK_FALSE(capture.contains("timer callback"));
  }
}

TEST_CASE("ask: the continuation runs later, while the asker keeps serving other messages") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto acc = t.system.spawn<accountant>("acc", behaviour::answer);
  auto aud = t.system.spawn<auditor>("aud", log);
  acc.send(add{40});
  acc.send(add{2});
  t.run_until_idle();
  weir::testing::hold(acc);  // the receiver is slow
  t.run_until_idle();
  aud.send(ask_now{acc, 1s});
  aud.send(other{});
  t.run_until_idle();
  CHECK(log == std::vector<std::string>{"other"});  // not blocked by the pending ask
  CHECK(aud.pending_asks() == 1);
  const auto waits = aud.waits();  // a pending ask is a recorded wait
  REQUIRE(waits.size() == 1);
  CHECK(waits[0].kind == weir::wait_kind::reply);
  CHECK(waits[0].on == "/acc");
  CHECK(waits[0].target == acc.id());
  weir::testing::release(acc);
  t.run_until_idle();
  CHECK(log == std::vector<std::string>{"other", "reply 42"});
  CHECK(aud.pending_asks() == 0);
  CHECK(aud.waits().empty());
}

TEST_CASE("ask: a timeout fires on the clock, and the late reply is counted, not delivered") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto acc = t.system.spawn<accountant>("acc", behaviour::answer);
  auto aud = t.system.spawn<auditor>("aud", log);
  t.run_until_idle();
  weir::testing::hold(acc);
  t.run_until_idle();
  aud.send(ask_now{acc, 100ms});
  t.run_until_idle();
  t.advance(99ms);
  CHECK(log.empty());
  t.advance(1ms);
  CHECK(log == std::vector<std::string>{"error timeout"});
  weir::testing::release(acc);
  t.run_until_idle();
  CHECK(log == std::vector<std::string>{"error timeout"});  // exactly once
  CHECK(aud.late_replies() == 1);
}

TEST_CASE("ask: a request dropped unanswered fails at once with no_reply, without waiting for the timeout") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto acc = t.system.spawn<accountant>("acc", behaviour::ignore);
  auto aud = t.system.spawn<auditor>("aud", log);
  aud.send(ask_now{acc, 1h});
  t.run_until_idle();
  CHECK(log == std::vector<std::string>{"error no_reply"});
  CHECK(aud.pending_asks() == 0);
  CHECK(t.clock->pending() == 0);  // its timer was cancelled
}

TEST_CASE("ask: a receiver that crashes on the request, or has stopped, yields no_reply") {
  weir::test::log_capture capture;
  weir::system_config config;
  config.logger = capture.logger;
  std::vector<std::string> log;
  weir::testing::manual_system t(config);
  auto crashing = t.system.spawn<accountant>("crashing", behaviour::crash);
  auto stopped = t.system.spawn<accountant>("stopped", behaviour::answer);
  auto aud = t.system.spawn<auditor>("aud", log);
  stopped.stop();
  t.run_until_idle();
  aud.send(ask_now{crashing, 1h});
  aud.send(ask_now{stopped, 1h});
  t.run_until_idle();
  CHECK(log == std::vector<std::string>{"error no_reply", "error no_reply"});
}

TEST_CASE("ask: the continuation waits while the asker is suspended; the replier never waits") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto acc = t.system.spawn<accountant>("acc", behaviour::answer);
  auto aud = t.system.spawn<auditor>("aud", log);
  t.run_until_idle();
  aud.send(ask_now{acc, 1s});
  REQUIRE(t.run_one());      // the auditor's turn: it asks
  weir::testing::hold(aud);  // then it is held (control signals overtake everything else)
  t.run_until_idle();
  CHECK(log.empty());  // the reply arrived, but the continuation waits
  CHECK(acc.handled() == 1);
  weir::testing::release(aud);
  t.run_until_idle();
  CHECK(log == std::vector<std::string>{"reply 0"});
}
