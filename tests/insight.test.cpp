#include <weir/snapshot.hpp>  // first: the header must be self-contained
#include <weir/ask.hpp>
#include <weir/coalescing.hpp>
#include <weir/edge.hpp>
#include <weir/lint.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>
#include <spdlog/sinks/base_sink.h>

#include <csignal>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct job {
  int n;
};
struct tick;  // a pulse kind
struct question {
  weir::reply_to<int> reply;
};

// Handles jobs and pulses; keeps questions unanswered, so their askers wait.
class sink : public weir::actor<job, weir::pulse<tick>, question> {
 public:
  void on_message(job&) override {}
  void on_message(weir::pulse<tick>&) override {}
  void on_message(question& q) override { unanswered_.push_back(std::move(q.reply)); }

 private:
  std::vector<weir::reply_to<int>> unanswered_;
};

struct feed {
  weir::handle<sink> to;
  int count;
};
struct ask_it {
  weir::handle<sink> to;
};

// Sends over a bounded(1) edge (suspending when it runs dry), or asks.
class feeder : public weir::actor<feed, ask_it> {
 public:
  void on_message(feed& f) override {
    edge_ = weir::connect(f.to, weir::bounded{.capacity = 1});
    for (int i = 0; i < f.count; ++i) (void)edge_.send(job{i});
  }
  void on_message(ask_it& a) override {
    ask(a.to, question{}, 10s, [](int) {}, [](weir::ask_error) {});
  }

 private:
  weir::edge<sink> edge_;
};

struct fixture {
  weir::test::log_capture capture;
  std::vector<weir::lint> raised;
  weir::testing::manual_system t;

  explicit fixture(weir::insight_config insight = {}) : t(config(std::move(insight))) {}

  weir::system_config config(weir::insight_config insight) {
    weir::system_config c = capture.config();
    insight.on_lint = [this](const weir::lint& l) { raised.push_back(l); };
    c.insight = std::move(insight);
    return c;
  }
  const weir::actor_snapshot& actor(const weir::system_snapshot& s, const std::string& path) {
    const weir::actor_snapshot* found = s.find(path);
    REQUIRE_MESSAGE(found != nullptr, path << " should be in the snapshot");
    return *found;
  }
  /// "/s", taking no message from now on (testing::hold): queues build up.
  weir::handle<sink> held_sink() {
    auto s = t.system.spawn<sink>("s");
    t.run_until_idle();
    weir::testing::hold(s);
    t.run_until_idle();
    return s;
  }
  std::vector<weir::lint> lints_of(weir::lint_kind kind) {
    std::vector<weir::lint> out;
    for (const weir::lint& l : t.system.lints()) {
      if (l.kind == kind) out.push_back(l);
    }
    return out;
  }
};

class parent : public weir::actor<job> {
 public:
  void on_start() override { (void)spawn<sink>("child"); }
  void on_message(job&) override {}
};

}  // namespace

TEST_CASE("a snapshot lists every actor in tree order, with parent, type, state and counters") {
  fixture f;
  auto p = f.t.system.spawn<parent>("p");
  auto s = f.t.system.spawn<sink>("s");
  f.t.run_until_idle();
  s.send(job{1});
  s.send(job{2});
  f.t.run_until_idle();
  p.send(job{3});  // queued, not run: p is scheduled

  const weir::system_snapshot snap = f.t.system.snapshot();
  REQUIRE(snap.actors.size() == 3);
  CHECK(snap.actors[0].path == "/p");
  CHECK(snap.actors[1].path == "/p/child");
  CHECK(snap.actors[2].path == "/s");
  CHECK(snap.actors[0].parent == 0);
  CHECK(snap.actors[1].parent == snap.actors[0].id);
  CHECK(snap.actors[1].name == "child");
  CHECK(snap.actors[0].type.find("parent") != std::string::npos);
  CHECK(snap.actors[0].state == weir::actor_state::scheduled);
  CHECK(snap.actors[0].queued == 1);
  CHECK(snap.actors[1].state == weir::actor_state::idle);
  CHECK(snap.actors[2].state == weir::actor_state::idle);
  CHECK(snap.actors[2].handled == 2);
  CHECK(snap.live_actors == 3);
  CHECK(snap.started_actors == 3);
  CHECK(snap.cycles.empty());
}

TEST_CASE("each edge into an actor is reported with its policy, depth, capacity, credits, drops and coalescing") {
  fixture f;
  auto s = f.held_sink();

  auto bounded_edge = weir::connect(s, weir::bounded{.capacity = 4, .on_full = weir::overflow_reaction::drop_newest});
  for (int i = 0; i < 6; ++i) (void)bounded_edge.send(job{i});
  weir::pulse_edge<tick> bell(s);
  for (int i = 0; i < 3; ++i) bell.fire();
  s.send(job{9});
  f.t.run_until_idle();

  const weir::system_snapshot snap = f.t.system.snapshot();
  const weir::actor_snapshot& a = f.actor(snap, "/s");
  CHECK(a.state == weir::actor_state::paused);  // asleep with messages it will not take
  CHECK(a.queued == 6);                         // 4 jobs, one pulse carrier, one ad hoc job
  REQUIRE(a.edges.size() == 3);
  std::uint64_t bytes = 0;
  for (const weir::edge_snapshot& in : a.edges) {
    bytes += in.approx_bytes;
    if (in.policy == "bounded(4, drop_newest)") {
      CHECK(in.edge == "(outside) -> /s");
      CHECK(in.carries.find("sink") != std::string::npos);
      CHECK(in.depth == 4);
      CHECK(in.capacity == 4);
      CHECK(in.credits == 0);
      CHECK(in.sent == 6);
      CHECK(in.dropped == 2);
      CHECK(in.approx_bytes >= 4 * sizeof(job));
    } else if (in.policy == "pulse") {
      CHECK(in.depth == 1);
      CHECK(in.coalesced == 2);
      CHECK_FALSE(in.capacity.has_value());
      CHECK_FALSE(in.credits.has_value());
    } else {
      CHECK(in.policy == "unbounded(penalty)");
      CHECK(in.edge == "ad hoc -> /s");
      CHECK(in.depth == 1);
    }
  }
  CHECK(a.approx_bytes_queued == bytes);
  CHECK(bytes > 0);
}

TEST_CASE("a suspended sender and an asker say what they wait on") {
  fixture f;
  auto s = f.held_sink();
  auto suspended = f.t.system.spawn<feeder>("suspended");
  auto asker = f.t.system.spawn<feeder>("asker");
  suspended.send(feed{s, 2});
  asker.send(ask_it{s});
  f.t.run_until_idle();

  const weir::system_snapshot snap = f.t.system.snapshot();
  const weir::actor_snapshot& w = f.actor(snap, "/suspended");
  CHECK(w.state == weir::actor_state::suspended);
  REQUIRE(w.waits.size() == 1);
  CHECK(w.waits[0].kind == weir::wait_kind::credit);
  CHECK(w.waits[0].on == "/suspended -> /s");
  const weir::actor_snapshot& a = f.actor(snap, "/asker");
  CHECK(a.state == weir::actor_state::waiting_reply);
  REQUIRE(a.waits.size() == 1);
  CHECK(a.waits[0].on == "/s");
  CHECK(snap.waits == 2);
}

TEST_CASE("time since last progress is read on the system's clock") {
  fixture f;
  auto s = f.t.system.spawn<sink>("s");
  f.t.run_until_idle();
  s.send(job{1});
  f.t.advance(200ms);          // handled at coarse time 0: nothing has ticked yet
  f.t.system.watchdog_tick();  // the coarse clock reads 200 ms
  s.send(job{2});
  f.t.run_until_idle();  // handled at the coarse time of that tick: 200 ms
  f.t.advance(500ms);
  const weir::system_snapshot snap = f.t.system.snapshot();
  CHECK(snap.uptime == 700ms);
  CHECK(f.actor(snap, "/s").since_progress == 500ms);
  CHECK(f.actor(snap, "/s").longest_handler == 0ms);
}

TEST_CASE("long_wait: an actor suspended past the threshold is reported once, and cleared when it resumes") {
  fixture f{weir::insight_config{.wait_threshold = 1s, .quiescence_threshold = 1h}};
  auto s = f.held_sink();
  auto w = f.t.system.spawn<feeder>("w");
  w.send(feed{s, 2});
  f.t.run_until_idle();
  REQUIRE(w.suspended());

  f.t.advance(999ms);
  f.t.system.watchdog_tick();
  CHECK(f.lints_of(weir::lint_kind::long_wait).empty());
  f.t.advance(1ms);
  f.t.system.watchdog_tick();
  f.t.advance(1ms);
  f.t.system.watchdog_tick();  // still holding: not raised again
  const auto found = f.lints_of(weir::lint_kind::long_wait);
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "/w");
  CHECK(found[0].to_string() == "long_wait: /w has waited 1001 ms for credit on /w -> /s");
  REQUIRE(f.raised.size() == 1);
  CHECK(f.raised[0].to_string() == "long_wait: /w has waited 1000 ms for credit on /w -> /s");
  CHECK(f.capture.contains("weir: lint: long_wait: /w has waited 1000 ms for credit on /w -> /s"));
  CHECK(f.t.system.snapshot().lints.size() == 1);

  weir::testing::release(s);
  f.t.run_until_idle();
  CHECK_FALSE(w.suspended());
  f.t.system.watchdog_tick();
  CHECK(f.t.system.lints().empty());
  CHECK(f.raised.size() == 1);
}

TEST_CASE("quiescent_waiters: nothing runs while an actor waits for a reply nobody will send") {
  fixture f{weir::insight_config{.wait_threshold = 1h, .quiescence_threshold = 1s}};
  auto s = f.t.system.spawn<sink>("s");
  auto a = f.t.system.spawn<feeder>("a");
  f.t.run_until_idle();
  f.t.system.watchdog_tick();
  f.t.advance(2s);
  f.t.system.watchdog_tick();
  CHECK(f.t.system.lints().empty());  // quiet, but nobody waits: nothing wrong

  a.send(ask_it{s});
  f.t.run_until_idle();
  f.t.system.watchdog_tick();  // the ask ran since the last look: the quiet starts now
  f.t.advance(999ms);
  f.t.system.watchdog_tick();
  CHECK(f.t.system.lints().empty());
  f.t.advance(1ms);
  f.t.system.watchdog_tick();
  const auto found = f.lints_of(weir::lint_kind::quiescent_waiters);
  REQUIRE(found.size() == 1);
  CHECK(found[0].to_string() == "quiescent_waiters: nothing ran for 1000 ms while actors wait: /a waits for a reply from /s");

  s.send(job{1});  // anything running ends the quiet spell
  f.t.run_until_idle();
  f.t.system.watchdog_tick();
  CHECK(f.lints_of(weir::lint_kind::quiescent_waiters).empty());
}

TEST_CASE("inbox_growth: a queue that rose at every sample over the window, past the minimum depth") {
  fixture f{weir::insight_config{.growth_window = 1000ms, .growth_samples = 5, .growth_min_depth = 1000}};
  auto s = f.held_sink();
  auto flood = weir::connect(s, weir::unbounded{.penalty = std::nullopt});

  for (int sample = 0; sample < 6; ++sample) {
    if (sample > 0) f.t.advance(200ms);
    CHECK(f.lints_of(weir::lint_kind::inbox_growth).empty());
    for (int i = 0; i < 300; ++i) (void)flood.send(job{i});
    f.t.system.watchdog_tick();  // samples at 0, 200, ... 1000 ms
  }
  const auto found = f.lints_of(weir::lint_kind::inbox_growth);
  REQUIRE(found.size() == 1);
  CHECK(found[0].to_string() ==
        "inbox_growth: /s has a queue that grew at every sample for 1000 ms: 300, 600, 900, 1200, 1500, 1800");
  CHECK(f.raised.size() == 1);

  f.t.advance(100ms);
  f.t.system.watchdog_tick();  // between samples the finding stands
  CHECK(f.lints_of(weir::lint_kind::inbox_growth).size() == 1);

  weir::testing::release(s);
  f.t.run_until_idle();
  f.t.advance(100ms);
  f.t.system.watchdog_tick();
  CHECK(f.lints_of(weir::lint_kind::inbox_growth).empty());
}

TEST_CASE("inbox_growth: a queue that is deep but not rising at every sample is not reported") {
  fixture f{weir::insight_config{.growth_window = 1000ms, .growth_samples = 5, .growth_min_depth = 10}};
  auto s = f.held_sink();
  auto flood = weir::connect(s, weir::unbounded{.penalty = std::nullopt});
  for (int sample = 0; sample < 8; ++sample) {
    const int n = sample == 3 ? 0 : 100;  // one flat sample
    for (int i = 0; i < n; ++i) (void)flood.send(job{i});
    f.t.system.watchdog_tick();
    f.t.advance(200ms);
  }
  CHECK(f.lints_of(weir::lint_kind::inbox_growth).empty());
}

namespace {

struct block_here {
  std::promise<void>* entered;
  std::shared_future<void> leave;
};
struct after {
  std::promise<void>* done;
};

class gate : public weir::actor<block_here, after> {
 public:
  void on_message(block_here& b) override {
    b.entered->set_value();
    b.leave.wait();  // blocks a pool thread: what the watchdog is for
  }
  void on_message(after& a) override { a.done->set_value(); }
};

}  // namespace

TEST_CASE("blocking_handler: reported while the handler still blocks, naming actor and message") {
  weir::test::log_capture capture;
  auto clock = std::make_shared<weir::testing::manual_clock>();
  weir::system sys(weir::system_config{.threads = 1,
                                       .clock = clock,
                                       .logger = capture.logger,
                                       .insight = {.watchdog_thread = false, .blocking_threshold = 100ms}});
  auto g = sys.spawn<gate>("gate");
  std::promise<void> entered;
  std::promise<void> leave;
  g.send(block_here{&entered, leave.get_future().share()});
  entered.get_future().wait();

  sys.watchdog_tick();
  clock->advance(99ms);
  sys.watchdog_tick();
  CHECK(sys.lints().empty());
  clock->advance(51ms);
  sys.watchdog_tick();
  const std::vector<weir::lint> found = sys.lints();
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == weir::lint_kind::blocking_handler);
  CHECK(found[0].path == "/gate");
  CHECK(found[0].lasting == 150ms);
  CHECK(found[0].to_string().find("blocking_handler: /gate has been handling") == 0);
  CHECK(found[0].detail.find("block_here") != std::string::npos);
  CHECK(capture.contains("weir: lint: blocking_handler: /gate"));

  const weir::system_snapshot snap = sys.snapshot();
  REQUIRE(snap.find("/gate") != nullptr);
  CHECK(snap.find("/gate")->state == weir::actor_state::running);
  CHECK(snap.find("/gate")->handling.find("block_here") != std::string::npos);
  CHECK(snap.find("/gate")->handling_for == 150ms);

  leave.set_value();
  std::promise<void> done;
  g.send(after{&done});
  done.get_future().wait();  // the blocking handler has returned
  sys.watchdog_tick();
  CHECK(sys.lints().empty());
  CHECK(sys.snapshot().find("/gate")->longest_handler == 150ms);
}

namespace {

// Hands each formatted line to a callback: lets a test wait for a log line
// without polling.
class callback_sink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit callback_sink(std::function<void(const std::string&)> fn) : fn_(std::move(fn)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override { fn_(std::string(msg.payload.begin(), msg.payload.end())); }
  void flush_() override {}

 private:
  std::function<void(const std::string&)> fn_;
};

}  // namespace

TEST_CASE("SIGUSR1 logs the actor tree when enabled") {
  std::promise<std::string> dumped;
  std::once_flag once;
  auto logger = std::make_shared<spdlog::logger>(
      "insight-test", std::make_shared<callback_sink>([&](const std::string& line) {
        if (line.find("weir: actor tree") == 0) std::call_once(once, [&] { dumped.set_value(line); });
      }));
  weir::system sys(weir::system_config{.threads = 1, .logger = logger, .insight = {.dump_on_sigusr1 = true}});
  auto s = sys.spawn<sink>("s");
  (void)s;
  // The root adopts a new actor in a turn of its own; the signal is handled
  // on the I/O thread, so wait until the tree shows the actor.
  REQUIRE(sys.wait_for_path<sink>("/s", std::chrono::seconds(60)).has_value());
  REQUIRE(std::raise(SIGUSR1) == 0);
  const std::string line = dumped.get_future().get();
  CHECK(line.find("/s  ") != std::string::npos);
}

TEST_CASE("with insight off, snapshots still list actors; there are no stamps and no lints") {
  fixture f{weir::insight_config{.enabled = false, .wait_threshold = 1s}};
  auto s = f.held_sink();
  auto w = f.t.system.spawn<feeder>("w");
  w.send(feed{s, 2});
  f.t.run_until_idle();
  f.t.advance(5s);
  f.t.system.watchdog_tick();
  CHECK(f.t.system.lints().empty());
  const weir::system_snapshot snap = f.t.system.snapshot();
  CHECK(f.actor(snap, "/w").state == weir::actor_state::suspended);
  CHECK(f.actor(snap, "/w").since_progress == 0ms);
}

TEST_CASE("invalid insight settings are rejected, naming the field") {
  auto reject = [](weir::insight_config insight, const std::string& what) {
    weir::system_config c;
    c.execution = weir::execution_mode::manual;
    c.insight = insight;
    try {
      weir::testing::manual_system t(c);
      FAIL("accepted: " << what);
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find(what) != std::string::npos);
    }
  };
  reject({.tick = 0ms}, "weir::insight_config::tick must be > 0 (got 0 ms)");
  reject({.blocking_threshold = -1ms}, "insight_config::blocking_threshold");
  reject({.growth_samples = 0}, "insight_config::growth_samples must be >= 1");
  reject({.growth_min_depth = -5}, "insight_config::growth_min_depth must be >= 0 (got -5)");
}
