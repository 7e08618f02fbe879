#include <weir/log_repeats_config.hpp>  // first: the header must be self-contained
#include <weir/deadlock.hpp>
#include <weir/detail/log_limiter.hpp>
#include <weir/edge.hpp>
#include <weir/exit_reason.hpp>
#include <weir/lint.hpp>
#include <weir/supervisor.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_clock.hpp>
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// Lines of `text` that contain `needle`.
std::size_t lines_with(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

/// The counts of every summary of `key` in `text`, in order.
std::vector<std::uint64_t> summaries(const std::string& text, const std::string& key) {
  const std::string head = "weir: " + key + " repeated ";
  std::vector<std::uint64_t> counts;
  for (std::size_t at = text.find(head); at != std::string::npos; at = text.find(head, at + 1)) {
    counts.push_back(std::stoull(text.substr(at + head.size())));
  }
  return counts;
}

std::uint64_t sum(const std::vector<std::uint64_t>& counts) {
  std::uint64_t total = 0;
  for (std::uint64_t c : counts) total += c;
  return total;
}

// --- the limiter alone, on a manual clock ------------------------------------

struct limiter_fixture {
  explicit limiter_fixture(weir::log_repeats_config config = {})
      : limiter(config, clock, capture.logger) {}
  weir::test::log_capture capture;
  std::shared_ptr<weir::testing::manual_clock> clock = std::make_shared<weir::testing::manual_clock>();
  weir::detail::log_limiter limiter;
};

// --- actors for the system tests ----------------------------------------------

struct token {};
struct kick {};
using peer_interface = weir::interface<token>;
struct wire {
  weir::handle<peer_interface> peer;
};

// Sends one token to its peer over a bounded(1) edge when kicked: two of them
// kicked at once suspend on each other, a wait-for cycle.
class node : public weir::actor<wire, kick, token> {
 public:
  void on_message(wire& w) override { to_ = weir::connect(w.peer, weir::bounded{.capacity = 1}); }
  // Two: the second finds no credit, is held, and suspends the sender.
  void on_message(kick&) override {
    for (int i = 0; i < 2; ++i) (void)to_.send(token{});
  }
  void on_message(token&) override {}

 private:
  weir::edge<peer_interface> to_;
};

struct job {
  int n;
  bool logic = false;  // throw std::logic_error instead of std::runtime_error
};

// Throws on every job, with a message that differs each time (the key must
// not depend on it).
class crasher : public weir::actor<job> {
 public:
  void on_message(job& j) override {
    if (j.logic) throw std::logic_error("bad job " + std::to_string(j.n));
    throw std::runtime_error("bad job " + std::to_string(j.n));
  }
};

struct system_fixture {
  explicit system_fixture(weir::deadlock_remedy remedy = weir::deadlock_remedy::report) : t(config(remedy)) {}
  weir::test::log_capture capture;
  std::uint64_t deadlock_calls = 0;
  weir::testing::manual_system t;

  weir::system_config config(weir::deadlock_remedy remedy) {
    capture.logger->set_level(spdlog::level::info);  // what a service logs by default
    weir::system_config c = capture.config();
    c.deadlock = remedy;
    c.on_deadlock = [this](const weir::deadlock_report&) { ++deadlock_calls; };
    return c;
  }
  weir::handle<weir::supervisor> supervise(std::vector<weir::child_spec> children) {
    auto sup = t.system.spawn<weir::supervisor>("sup", weir::supervisor_flags{.intensity = 5000, .period = 1h},
                                                std::move(children));
    t.run_until_idle();
    return sup;
  }
  /// /sup/a and /sup/b, wired to each other, kicked at once: a wait-for
  /// cycle. fail_one breaks it by crashing the one whose wait closed it;
  /// the supervisor restarts it. `times` rounds, `between` apart.
  void deadlock_pair_forms_and_breaks(int times, weir::clock::duration between) {
    supervise({weir::worker<node>("a"), weir::worker<node>("b")});
    auto a = *t.system.find<node>("/sup/a");
    auto b = *t.system.find<node>("/sup/b");
    for (int i = 0; i < times; ++i) {
      a.send(wire{b});  // a restarted actor has forgotten its edge
      b.send(wire{a});
      a.send(kick{});
      b.send(kick{});
      t.run_until_idle();
      REQUIRE(t.system.waits() == 0);  // broken: the next round forms it anew
      t.advance(between);
    }
  }
};

}  // namespace

TEST_CASE("limiter: the first line of a key is logged, repeats in its window are counted, and the count comes "
          "with the next line after it") {
  limiter_fixture f;
  f.limiter.error("k", "line {}", 0);
  for (int i = 1; i <= 4; ++i) {
    f.clock->advance(2s);  // 2 .. 8 s: inside the 10 s window
    f.limiter.error("k", "line {}", i);
  }
  CHECK(f.capture.text() == "error line 0\n");
  CHECK(f.limiter.suppressed() == 4);
  f.clock->advance(2s);  // 10 s: the window has ended
  f.limiter.error("k", "line {}", 5);
  CHECK(f.capture.text() ==
        "error line 0\n"
        "error weir: k repeated 4 more times within 10000 ms (suppressed)\n"
        "error line 5\n");
  f.limiter.error("k", "line {}", 6);  // a new window opened with line 5
  f.limiter.flush_all();
  CHECK(summaries(f.capture.text(), "k") == std::vector<std::uint64_t>{4, 1});
}

TEST_CASE("limiter: flush() summarises and forgets only the keys whose window has ended") {
  limiter_fixture f;
  f.limiter.warn("old", "old line");
  f.limiter.warn("old", "old line");
  f.limiter.warn("quiet", "quiet line");  // no repeat: nothing to summarise
  f.clock->advance(6s);
  f.limiter.warn("new", "new line");
  f.limiter.warn("new", "new line");
  f.limiter.flush();
  CHECK(f.limiter.keys() == 3);  // nothing ended yet
  f.clock->advance(4s);          // old and quiet end; new has 6 s left
  f.limiter.flush();
  CHECK(f.limiter.keys() == 1);
  CHECK(summaries(f.capture.text(), "old") == std::vector<std::uint64_t>{1});
  CHECK(lines_with(f.capture.text(), "quiet repeated") == 0);
  CHECK(summaries(f.capture.text(), "new").empty());
  f.limiter.warn("old", "old line");  // forgotten: logged in full again
  CHECK(lines_with(f.capture.text(), "warning old line") == 2);
  f.clock->advance(6s);  // 16 s: new ends; old's new window runs to 20 s
  f.limiter.flush();
  CHECK(summaries(f.capture.text(), "new") == std::vector<std::uint64_t>{1});
  CHECK(f.limiter.keys() == 1);
  f.clock->advance(4s);
  f.limiter.flush();
  CHECK(f.limiter.keys() == 0);
  CHECK(summaries(f.capture.text(), "old") == std::vector<std::uint64_t>{1});  // no repeat since: no summary
}

TEST_CASE("limiter: different keys are never merged") {
  limiter_fixture f;
  for (int i = 0; i < 3; ++i) f.limiter.error("a", "a line");
  for (int i = 0; i < 5; ++i) f.limiter.error("b", "b line");
  CHECK(lines_with(f.capture.text(), "a line") == 1);
  CHECK(lines_with(f.capture.text(), "b line") == 1);
  f.limiter.flush_all();
  CHECK(summaries(f.capture.text(), "a") == std::vector<std::uint64_t>{2});
  CHECK(summaries(f.capture.text(), "b") == std::vector<std::uint64_t>{4});
}

TEST_CASE("limiter: the key table stays bounded; the oldest key goes with its count, and the overflow is counted") {
  limiter_fixture f{weir::log_repeats_config{.max_keys = 3}};
  for (int k = 0; k < 10; ++k) {
    f.limiter.error("k" + std::to_string(k), "line of k{}", k);
    f.limiter.error("k" + std::to_string(k), "line of k{}", k);  // suppressed
    CHECK(f.limiter.keys() <= 3);
  }
  CHECK(f.limiter.keys() == 3);
  CHECK(f.limiter.evicted() == 7);
  const std::string text = f.capture.text();
  // An evicted key's count is logged when it goes: the log stays exact.
  for (int k = 0; k < 7; ++k) CHECK(summaries(text, "k" + std::to_string(k)) == std::vector<std::uint64_t>{1});
  CHECK(lines_with(text, "more than 3 different lines repeat at once (log_repeats.max_keys); forgetting the "
                         "oldest: k0") == 1);
  CHECK(lines_with(text, "forgetting the oldest") == 1);  // the overflow notice is itself limited...
  f.limiter.error("k0", "line of k{}", 0);               // ...and a forgotten key is new again
  CHECK(lines_with(f.capture.text(), "line of k0") == 2);
  f.limiter.flush_all();
  CHECK(summaries(f.capture.text(), "log_repeats:overflow") == std::vector<std::uint64_t>{7});  // ...and counted
  CHECK(f.limiter.suppressed() == 10 + 7);
  CHECK(f.limiter.keys() == 0);
}

TEST_CASE("limiter: lines below the logger's level are neither logged nor counted; disabled, all are logged") {
  limiter_fixture quiet;
  quiet.capture.logger->set_level(spdlog::level::warn);
  quiet.limiter.debug("d", "debug line");
  quiet.limiter.debug("d", "debug line");
  CHECK(quiet.limiter.keys() == 0);
  CHECK(quiet.limiter.suppressed() == 0);
  CHECK(quiet.capture.text().empty());

  limiter_fixture off{weir::log_repeats_config{.enabled = false}};
  for (int i = 0; i < 3; ++i) off.limiter.error("k", "line {}", i);
  off.limiter.flush_all();
  CHECK(off.capture.text() == "error line 0\nerror line 1\nerror line 2\n");
  CHECK(off.limiter.keys() == 0);
}

TEST_CASE("log keys are short and stable: sorted cycle paths, the exception's type without its message") {
  weir::deadlock_report cycle;
  cycle.cycle.resize(3);
  cycle.cycle[0].path = "/sup/c";
  cycle.cycle[1].path = "/sup/a";
  cycle.cycle[2].path = "/sup/b";
  CHECK(weir::detail::log_keys::deadlock(cycle) == "deadlock:/sup/a /sup/b /sup/c");
  CHECK(weir::detail::log_keys::crash("crash", "/w", {weir::exit_kind::crashed, "std::runtime_error: job 7: bad"}) ==
        "crash:/w:std::runtime_error");
  CHECK(weir::detail::log_keys::crash("on_stop", "/w", {weir::exit_kind::crashed, "int (not a std::exception)"}) ==
        "on_stop:/w:int");
  CHECK(weir::detail::log_keys::of("restart", "/sup/w") == "restart:/sup/w");
  CHECK(weir::detail::log_keys::of("lint", "long_wait", "/w") == "lint:long_wait:/w");
}

TEST_CASE("a deadlock that forms 1,000 times is logged once plus its exact count; every counter and report is exact") {
  system_fixture f(weir::deadlock_remedy::fail_one);
  f.deadlock_pair_forms_and_breaks(1000, 0ms);
  CHECK(f.t.system.deadlocks() == 1000);
  CHECK(f.deadlock_calls == 1000);    // on_deadlock hears of every one
  CHECK(f.t.system.crashes() == 1000);  // each remedy crashes b once
  std::string text = f.capture.text();
  CHECK(lines_with(text, "error weir: deadlock: ") == 1);
  CHECK(lines_with(text, "error weir: deadlock: /sup/b waits for credit on /sup/b -> /sup/a") == 1);
  CHECK(summaries(text, "deadlock:/sup/a /sup/b").empty());  // its window is still open
  // The remedy crashes whichever wait closed the cycle: one restart line each.
  const std::size_t restart_lines = lines_with(text, "info weir: /sup restarts ");
  CHECK(restart_lines == lines_with(text, "info weir: /sup restarts a") + lines_with(text, "info weir: /sup restarts b"));
  CHECK(restart_lines <= 2);

  f.t.advance(10s);
  f.t.system.watchdog_tick();  // a flush point: the window has ended
  text = f.capture.text();
  CHECK(lines_with(text, "error weir: deadlock:/sup/a /sup/b repeated 999 more times within 10000 ms (suppressed)") ==
        1);
  CHECK(restart_lines + sum(summaries(text, "restart:/sup/a")) + sum(summaries(text, "restart:/sup/b")) == 1000);
  CHECK(lines_with(text, "\n") == 4);  // instead of 2,000: two lines, two counts
}

TEST_CASE("a deadlock that keeps forming over 25 s is logged once per 10 s window, with each window's count") {
  system_fixture f(weir::deadlock_remedy::fail_one);
  f.deadlock_pair_forms_and_breaks(1000, 25ms);  // at 0, 25 ms, ... 24.975 s
  f.t.system.shutdown();                          // a flush point too
  const std::string text = f.capture.text();
  const std::size_t logged = lines_with(text, "error weir: deadlock: ");
  CHECK(logged == 3);  // windows opened at 0, 10 and 20 s
  const std::vector<std::uint64_t> counts = summaries(text, "deadlock:/sup/a /sup/b");
  CHECK(counts == std::vector<std::uint64_t>{399, 399, 199});
  CHECK(logged + sum(counts) == 1000);
  CHECK(f.t.system.deadlocks() == 1000);
  CHECK(f.deadlock_calls == 1000);
}

TEST_CASE("a crash loop of a supervised worker logs a bounded number of lines; crashes and dead letters stay exact") {
  system_fixture f;
  f.supervise({weir::worker<crasher>("w")});
  auto w = *f.t.system.find<crasher>("/sup/w");
  for (int i = 0; i < 500; ++i) w.send(job{i});  // each one crashes an incarnation; the mailbox survives
  f.t.run_until_idle();
  CHECK(f.t.system.crashes() == 500);
  CHECK(f.t.system.dead_letters() == 500);
  CHECK(f.t.system.snapshot().find("/sup/w")->restarts == 500);
  f.t.system.shutdown();
  const std::string text = f.capture.text();
  CHECK(lines_with(text, "weir: actor /sup/w crashed handling") == 1);
  CHECK(lines_with(text, "error weir: actor /sup/w crashed handling (anonymous namespace)::job: std::runtime_error: "
                         "bad job 0\n") == 1);
  CHECK(summaries(text, "crash:/sup/w:std::runtime_error") == std::vector<std::uint64_t>{499});
  CHECK(summaries(text, "restart:/sup/w") == std::vector<std::uint64_t>{499});
  CHECK(lines_with(text, "\n") == 4);  // instead of 1,000
}

TEST_CASE("crash keys are not merged: two actors, and two exception types of one actor, each count apart") {
  system_fixture f;
  f.supervise({weir::worker<crasher>("x"), weir::worker<crasher>("y")});
  auto x = *f.t.system.find<crasher>("/sup/x");
  auto y = *f.t.system.find<crasher>("/sup/y");
  for (int i = 0; i < 6; ++i) x.send(job{i, i % 2 == 1});  // 3 runtime_error, 3 logic_error
  for (int i = 0; i < 4; ++i) y.send(job{i});
  f.t.run_until_idle();
  CHECK(f.t.system.crashes() == 10);
  f.t.system.shutdown();
  const std::string text = f.capture.text();
  CHECK(lines_with(text, "weir: actor /sup/x crashed handling") == 2);
  CHECK(lines_with(text, "weir: actor /sup/y crashed handling") == 1);
  CHECK(summaries(text, "crash:/sup/x:std::runtime_error") == std::vector<std::uint64_t>{2});
  CHECK(summaries(text, "crash:/sup/x:std::logic_error") == std::vector<std::uint64_t>{2});
  CHECK(summaries(text, "crash:/sup/y:std::runtime_error") == std::vector<std::uint64_t>{3});
  CHECK(summaries(text, "restart:/sup/x") == std::vector<std::uint64_t>{5});
  CHECK(summaries(text, "restart:/sup/y") == std::vector<std::uint64_t>{3});
}

TEST_CASE("dead letters to a stopped actor are logged (at debug) once per actor and type, then counted") {
  weir::test::log_capture capture;  // at debug
  weir::system_config c = capture.config();
  weir::testing::manual_system t(c);
  auto d = t.system.spawn<node>("d");
  t.run_until_idle();
  weir::testing::stall(d);
  for (int i = 0; i < 100; ++i) d.send(token{});
  d.stop();  // acts before the queued tokens, which become dead letters
  weir::testing::unstall(d);
  t.run_until_idle();
  REQUIRE(d.stopped());
  CHECK(t.system.dead_letters() == 100);
  t.system.shutdown();
  const std::string text = capture.text();
  CHECK(lines_with(text, "debug weir: dead letter") == 1);
  const std::vector<std::uint64_t> counts = summaries(text, "dead-letter:/d:(anonymous namespace)::token");
  CHECK(counts == std::vector<std::uint64_t>{99});
}

namespace {

struct feed {
  weir::handle<node> to;
};

// Sends two tokens over a fresh bounded(1) edge: suspends until they drain.
class feeder : public weir::actor<feed> {
 public:
  void on_message(feed& f) override {
    edge_ = weir::connect(f.to, weir::bounded{.capacity = 1});
    (void)edge_.send(token{});
    (void)edge_.send(token{});
  }

 private:
  weir::edge<node> edge_;
};

}  // namespace

TEST_CASE("a lint that clears and comes back is logged once, then counted; on_lint hears of every raise") {
  weir::test::log_capture capture;
  std::vector<weir::lint> raised;
  weir::system_config c = capture.config();
  c.insight.wait_threshold = 1s;
  c.insight.quiescence_threshold = 1h;
  c.insight.on_lint = [&](const weir::lint& l) { raised.push_back(l); };
  c.log_repeats.window = 1h;
  weir::testing::manual_system t(c);
  auto sink = t.system.spawn<node>("s");
  auto w = t.system.spawn<feeder>("w");
  t.run_until_idle();
  for (int i = 0; i < 5; ++i) {
    weir::testing::hold(sink);
    w.send(feed{sink});
    t.run_until_idle();
    REQUIRE(w.suspended());
    t.advance(1s);
    t.system.watchdog_tick();  // raised
    weir::testing::release(sink);
    t.run_until_idle();
    REQUIRE_FALSE(w.suspended());
    t.system.watchdog_tick();  // cleared
  }
  CHECK(raised.size() == 5);
  CHECK(lines_with(capture.text(), "weir: lint: long_wait: /w") == 1);
  t.advance(1h);
  t.system.watchdog_tick();
  CHECK(summaries(capture.text(), "lint:long_wait:/w") == std::vector<std::uint64_t>{4});
}

TEST_CASE("invalid log_repeats settings are rejected, naming the field") {
  auto reject = [](weir::log_repeats_config repeats, const std::string& what) {
    weir::system_config c;
    c.log_repeats = repeats;
    try {
      weir::testing::manual_system t(c);
      FAIL("accepted: " << what);
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find(what) != std::string::npos);
    }
  };
  reject({.window = 0ms}, "weir::log_repeats_config::window must be > 0 (got 0 ms)");
  reject({.window = -1s}, "log_repeats_config::window");
  reject({.max_keys = 0}, "weir::log_repeats_config::max_keys must be >= 1 (got 0)");
}
