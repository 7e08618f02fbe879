#include "insight_scene.hpp"

#include <weir/ask.hpp>
#include <weir/edge.hpp>
#include <weir/supervisor.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace weir::test {
namespace {

struct item {
  int n;
};

class consumer : public weir::actor<item> {
 public:
  void on_message(item&) override {}
};

struct start_burst {
  weir::handle<weir::interface<item>> to;
  int count;
};

class producer : public weir::actor<start_burst> {
 public:
  void on_message(start_burst& b) override {
    to_ = weir::connect(b.to, weir::bounded{.capacity = 2});
    for (int i = 0; i < b.count; ++i) (void)to_.send(item{i});
  }

 private:
  weir::edge<weir::interface<item>> to_;
};

struct question {
  weir::reply_to<int> reply;
};

// Keeps every question unanswered: its asker waits.
class mute : public weir::actor<question> {
 public:
  void on_message(question& q) override { kept_.push_back(std::move(q.reply)); }

 private:
  std::vector<weir::reply_to<int>> kept_;
};

struct ask_it {
  weir::handle<mute> whom;
};

class asker : public weir::actor<ask_it> {
 public:
  void on_message(ask_it& a) override {
    ask(a.whom, question{}, 1min, [](int) {}, [](weir::ask_error) {});
  }
};

struct token {
  int n;
};
struct kick {};
struct wire {
  weir::handle<weir::interface<token>> peer;
};

// Sends two tokens to its peer over a bounded(1) edge when kicked: two
// kicked at once each spend their only credit and hold the second token
// (see weir::bounded), so each is suspended before the other consumes.
class node : public weir::actor<wire, kick, token> {
 public:
  void on_message(wire& w) override { to_ = weir::connect(w.peer, weir::bounded{.capacity = 1}); }
  void on_message(kick&) override {
    (void)to_.send(token{1});  // suspend edge: never refused
    (void)to_.send(token{2});
  }
  void on_message(token&) override {}

 private:
  weir::edge<weir::interface<token>> to_;
};

weir::system_config config_with(std::shared_ptr<spdlog::logger> logger) {
  weir::system_config c;
  c.logger = std::move(logger);
  // Within the two quiet seconds the scene lets pass, whatever the defaults.
  c.insight.wait_threshold = 1s;
  c.insight.quiescence_threshold = 1s;
  return c;
}

}  // namespace

insight_scene::insight_scene(std::shared_ptr<spdlog::logger> logger)
    : t(config_with(std::move(logger))) {
  (void)t.system.spawn<weir::supervisor>(
      "sup", weir::supervisor_flags{.strategy = weir::restart_strategy::one_for_one, .intensity = 3},
      std::vector{weir::worker<probe>("a", "a", &j), weir::worker<probe>("b", "b", &j)});
  t.run_until_idle();
  auto a = t.system.find<probe>("/sup/a");
  if (!a) throw std::logic_error("insight_scene: /sup/a did not start");
  a->send(crash{});
  t.run_until_idle();

  auto prod = t.system.spawn<producer>("producer");
  auto cons = t.system.spawn<consumer>("consumer");
  t.run_until_idle();
  weir::testing::hold(cons);
  prod.send(start_burst{cons, 3});

  auto m = t.system.spawn<mute>("mute");
  auto ask = t.system.spawn<asker>("asker");
  ask.send(ask_it{m});

  auto left = t.system.spawn<node>("left");
  auto right = t.system.spawn<node>("right");
  left.send(wire{right});
  right.send(wire{left});
  t.run_until_idle();
  left.send(kick{});
  right.send(kick{});
  t.run_until_idle();

  {
    // Two edges that close for good, leaving their counts behind.
    auto gone = t.system.spawn<consumer>("gone");
    auto outside = weir::connect(gone, weir::bounded{.capacity = 2});
    (void)outside.send(item{1});
    gone.send(item{2});
    t.run_until_idle();
    gone.stop();
    t.run_until_idle();
  }

  t.system.watchdog_tick();  // the quiet period starts here...
  t.advance(2s);
  t.system.watchdog_tick();  // ...and lasts past quiescence_threshold
}

}  // namespace weir::test
