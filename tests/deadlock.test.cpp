#include <weir/deadlock.hpp>  // first: the header must be self-contained
#include <weir/ask.hpp>
#include <weir/edge.hpp>
#include <weir/supervisor.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct token {
  int n;
};
struct kick {
  int sends;
};
struct question {
  weir::reply_to<int> reply;
};
struct ask_peer {};
struct answer_now {};
struct echo_on {};
using peer_interface = weir::interface<token, question>;
struct wire {
  weir::handle<peer_interface> peer;
};

// Sends `sends` tokens to its peer over a bounded(1) edge when kicked. Two or
// three nodes kicked with 2 sends at once suspend on each other: each one's
// only credit is spent and its second token held before anyone consumes. It can also ask its peer, and answers a
// question only when told to (so an ask can stay pending).
class node : public weir::actor<wire, kick, token, question, ask_peer, answer_now, echo_on> {
 public:
  explicit node(std::vector<std::string>* log) : log_(log) {}
  void on_message(wire& w) override {
    peer_ = w.peer;
    to_ = weir::connect(peer_, weir::bounded{.capacity = 1});
  }
  void on_message(kick& k) override {
    for (int i = 0; i < k.sends; ++i) (void)to_.send(token{i});
  }
  void on_message(token& t) override {
    log_->push_back(name() + " got " + std::to_string(t.n));
    if (echo_) (void)to_.send(token{t.n + 100});
  }
  void on_message(echo_on&) override { echo_ = true; }
  void on_message(question& q) override { pending_ = std::move(q.reply); }
  void on_message(answer_now&) override { pending_.send(42); }
  void on_message(ask_peer&) override {
    ask(peer_, question{}, 10s, [this](int v) { log_->push_back(name() + " answered " + std::to_string(v)); },
        [](weir::ask_error) {});
  }

 private:
  std::vector<std::string>* log_;
  weir::handle<peer_interface> peer_;
  weir::edge<peer_interface> to_;
  weir::reply_to<int> pending_;
  bool echo_ = false;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : ", ") + line;
  return out;
}

struct fixture {
  explicit fixture(weir::deadlock_remedy remedy = weir::deadlock_remedy::report) : t(config(remedy)) {}
  weir::test::log_capture capture;
  std::vector<weir::deadlock_report> reports;
  std::vector<std::string> log;
  weir::testing::manual_system t;

  weir::system_config config(weir::deadlock_remedy remedy) {
    weir::system_config c = capture.config();
    c.deadlock = remedy;
    c.on_deadlock = [this](const weir::deadlock_report& r) { reports.push_back(r); };
    return c;
  }
  std::vector<weir::handle<node>> ring(std::size_t n) {
    std::vector<weir::handle<node>> nodes;
    for (std::size_t i = 0; i < n; ++i) nodes.push_back(t.system.spawn<node>(std::string(1, char('a' + i)), &log));
    for (std::size_t i = 0; i < n; ++i) nodes[i].send(wire{nodes[(i + 1) % n]});
    t.run_until_idle();
    return nodes;
  }
  std::vector<std::string> paths(const weir::deadlock_report& r) {
    std::vector<std::string> out;
    for (const auto& m : r.cycle) out.push_back(m.path);
    return out;
  }
};

}  // namespace

TEST_CASE("a 2-cycle of held sends on bounded edges is reported when it closes, naming both actors and edges") {
  fixture f;
  auto nodes = f.ring(2);
  nodes[0].send(kick{2});
  nodes[1].send(kick{2});
  f.t.run_until_idle();
  REQUIRE(f.reports.size() == 1);
  const weir::deadlock_report& r = f.reports[0];
  CHECK(f.paths(r) == std::vector<std::string>{"/b", "/a"});  // b's wait closed it
  CHECK(r.cycle[0].kind == weir::wait_kind::credit);
  CHECK(r.cycle[0].on == "/b -> /a");
  CHECK(r.cycle[0].message_type.find("token") != std::string::npos);
  CHECK(r.cycle[0].depth == 1);
  CHECK(r.cycle[0].capacity == 1);
  CHECK(r.cycle[1].on == "/a -> /b");
  CHECK(f.capture.contains("weir: deadlock: /b waits for credit on /b -> /a (weir::interface<(anonymous "
                           "namespace)::token, (anonymous namespace)::question>, 1 of 1 unconsumed); /a waits for "
                           "credit on /a -> /b"));
  CHECK(f.t.system.deadlocks() == 1);
  CHECK(nodes[0].suspended());  // remedy "report": they stay stuck, and say so
  CHECK(nodes[1].suspended());
  for (const auto& a : f.t.system.snapshot().actors) {
    for (const auto& e : a.edges) CHECK(e.held == (e.capacity ? 1 : 0));  // each second token, at its sender
  }
  CHECK(f.t.system.waits() == 2);
  CHECK(f.t.system.tree_text() ==
        "/a  suspended  handled=2 queued=1  waits for credit on /a -> /b\n"
        "/b  suspended  handled=2 queued=1  waits for credit on /b -> /a\n"  // wire, kick
        "cycle: /a waits for credit on /a -> /b (weir::interface<(anonymous namespace)::token, (anonymous "
        "namespace)::question>, 1 of 1 unconsumed); /b waits for credit on /b -> /a (weir::interface<(anonymous "
        "namespace)::token, (anonymous namespace)::question>, 1 of 1 unconsumed); the cycle closes there\n");
}

TEST_CASE("a 3-cycle is reported once, with its three members in wait order") {
  fixture f;
  auto nodes = f.ring(3);
  for (auto& n : nodes) n.send(kick{2});
  f.t.run_until_idle();
  REQUIRE(f.reports.size() == 1);
  CHECK(f.paths(f.reports[0]) == std::vector<std::string>{"/c", "/a", "/b"});
}

TEST_CASE("a cycle mixing a credit wait and a pending ask is reported") {
  fixture f;
  auto nodes = f.ring(2);
  nodes[0].send(ask_peer{});  // a asks b; b keeps the question unanswered
  f.t.run_until_idle();
  CHECK(f.reports.empty());
  weir::testing::hold(nodes[0]);     // a does not consume...
  nodes[1].send(kick{2});      // ...so b runs out of credit towards a
  f.t.run_until_idle();
  REQUIRE(f.reports.size() == 1);
  const auto& cycle = f.reports[0].cycle;
  REQUIRE(cycle.size() == 2);
  CHECK(cycle[0].path == "/b");
  CHECK(cycle[0].kind == weir::wait_kind::credit);
  CHECK(cycle[1].path == "/a");
  CHECK(cycle[1].kind == weir::wait_kind::reply);
  CHECK(cycle[1].on == "/b");
  CHECK(f.capture.contains("/a waits for a reply from /b"));
}

TEST_CASE("no false positive: a long chain that suspends and drains reports nothing") {
  fixture f;
  std::vector<weir::handle<node>> chain;
  for (int i = 0; i < 6; ++i) chain.push_back(f.t.system.spawn<node>("n" + std::to_string(i), &f.log));
  for (int i = 0; i + 1 < 6; ++i) chain[i].send(wire{chain[i + 1]});
  f.t.run_until_idle();
  weir::testing::hold(chain.back());  // the sink is slow: everyone upstream suspends in turn
  for (int i = 4; i >= 0; --i) chain[i].send(kick{3});
  f.t.run_until_idle();
  CHECK(chain[0].suspended());
  CHECK(f.t.system.waits() > 0);
  weir::testing::release(chain.back());
  f.t.run_until_idle();
  CHECK(f.reports.empty());
  CHECK(f.t.system.deadlocks() == 0);
  CHECK(f.t.system.waits() == 0);
  CHECK(std::count(f.log.begin(), f.log.end(), "n5 got 2") == 1);
}

TEST_CASE("grant_credit breaks the cycle once; everything is then delivered and nothing more is reported") {
  fixture f(weir::deadlock_remedy::grant_credit);
  auto nodes = f.ring(2);
  nodes[0].send(kick{2});
  nodes[1].send(kick{2});
  f.t.run_until_idle();
  CHECK(f.reports.size() == 1);
  CHECK_FALSE(nodes[0].suspended());
  CHECK_FALSE(nodes[1].suspended());
  CHECK(joined(f.log) == "b got 0, a got 0, a got 1, b got 1");
  CHECK(f.t.system.waits() == 0);
  nodes[0].send(kick{1});  // the edges work on, with their normal capacity
  f.t.run_until_idle();
  CHECK(f.t.system.deadlocks() == 1);
  CHECK(f.log.back() == "b got 0");
}

TEST_CASE("fail_one crashes the actor that closed the cycle; its supervisor restarts it and the cycle is gone") {
  fixture f(weir::deadlock_remedy::fail_one);
  auto sup = f.t.system.spawn<weir::supervisor>(
      "sup", weir::supervisor_flags{.intensity = 3},
      std::vector{weir::worker<node>("a", &f.log), weir::worker<node>("b", &f.log)});
  f.t.run_until_idle();
  auto a = *f.t.system.find<node>("/sup/a");
  auto b = *f.t.system.find<node>("/sup/b");
  a.send(wire{b});
  b.send(wire{a});
  f.t.run_until_idle();
  a.send(kick{2});
  b.send(kick{2});
  f.t.run_until_idle();
  CHECK(f.reports.size() == 1);
  CHECK(f.capture.contains("/sup restarts b (crashed: deadlock remedy: /sup/b waits for credit on /sup/b -> /sup/a"));
  // b's mailbox survived its restart: it consumed a's tokens, so a resumed and
  // took b's first. b's second was held in the edge its new behaviour never
  // reopened (it connects on wire): released with the edge, a dead letter.
  CHECK(joined(f.log) == "b got 0, a got 0, b got 1");
  CHECK(f.t.system.dead_letters() == 1);
  CHECK_FALSE(a.suspended());
  CHECK(f.t.system.waits() == 0);
  CHECK(f.t.system.deadlocks() == 1);
}

TEST_CASE("no false positive: a credit wait whose credit is back closes no cycle, even before its waiter runs") {
  fixture f;
  auto nodes = f.ring(2);
  nodes[1].send(echo_on{});
  f.t.run_until_idle();
  // a suspends on a -> b; in one turn b consumes a's token (a's credit is
  // back, its resume still queued) and answers, which suspends b on b -> a.
  nodes[0].send(kick{1});
  f.t.run_until_idle();
  CHECK(f.reports.empty());
  CHECK(f.log == std::vector<std::string>{"b got 0", "a got 100"});
  CHECK(f.t.system.waits() == 0);
}

TEST_CASE("grant_credit breaks a cycle with several sends held on each side, one granted credit at a time") {
  fixture f(weir::deadlock_remedy::grant_credit);
  auto nodes = f.ring(2);
  nodes[0].send(kick{4});
  nodes[1].send(kick{4});
  f.t.run_until_idle();
  CHECK(f.reports.size() >= 1);
  for (const char* line : {"a got 0", "a got 1", "a got 2", "a got 3", "b got 0", "b got 1", "b got 2", "b got 3"}) {
    CHECK(std::count(f.log.begin(), f.log.end(), line) == 1);
  }
  CHECK_FALSE(nodes[0].suspended());
  CHECK_FALSE(nodes[1].suspended());
  CHECK(f.t.system.waits() == 0);
}

namespace {

// Opens its edge in its constructor, inside its parent's turn.
class eager : public weir::actor<token> {
 public:
  explicit eager(weir::handle<node> to) : to_(weir::connect(to, weir::bounded{.capacity = 1})) {}
  void on_start() override {
    (void)to_.send(token{1});
    (void)to_.send(token{2});  // held: the target is held, its one credit spent
  }
  void on_message(token&) override {}

 private:
  weir::edge<node> to_;
};

class eager_parent : public weir::actor<> {
 public:
  explicit eager_parent(weir::handle<node> to) : to_(to) {}
  void on_start() override { (void)spawn<eager>("e", to_); }

 private:
  weir::handle<node> to_;
};

}  // namespace

TEST_CASE("an edge opened in a constructor is labelled with its own actor, not the spawning one") {
  fixture f;
  auto target = f.t.system.spawn<node>("t", &f.log);
  weir::testing::hold(target);
  (void)f.t.system.spawn<eager_parent>("p", target);
  f.t.run_until_idle();
  auto e = f.t.system.find<eager>("/p/e");
  REQUIRE(e);
  const auto waits = e->waits();
  REQUIRE(waits.size() == 1);
  CHECK(waits[0].on == "/p/e -> /t");
}
