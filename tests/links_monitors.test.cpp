#include <weir/monitor.hpp>  // first: the header must be self-contained
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "journal.hpp"
#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using weir::test::crash;
using weir::test::finish;
using weir::test::journal;
using weir::test::probe;
using weir::test::work;

namespace {

struct watch {
  weir::handle<probe> target;
  bool then_demonitor = false;
};

class monitor_actor : public weir::actor<watch> {
 public:
  explicit monitor_actor(std::vector<weir::down>* downs) : downs_(downs) {}
  void on_message(watch& w) override {
    const weir::monitor_ref ref = monitor(w.target);
    if (w.then_demonitor) demonitor(ref);
  }
  void on_down(const weir::down& d) override { downs_->push_back(d); }

 private:
  std::vector<weir::down>* downs_;
};

class bad_start : public weir::actor<work> {
 public:
  void on_start() override { throw std::invalid_argument("no config"); }
  void on_message(work&) override {}
};

// Spawns a child that crashes in on_start, monitored as part of the spawn.
class monitoring_parent : public weir::actor<> {
 public:
  explicit monitoring_parent(std::vector<weir::down>* downs) : downs_(downs) {}
  void on_start() override { (void)spawn_monitored<bad_start>("child"); }
  void on_down(const weir::down& d) override { downs_->push_back(d); }

 private:
  std::vector<weir::down>* downs_;
};

struct link_to {
  weir::handle<probe> peer;
};
struct unlink_from {
  weir::handle<probe> peer;
};

class linker : public weir::actor<link_to, unlink_from, crash> {
 public:
  linker(bool trap, std::vector<weir::linked_exit>* exits, journal* j = nullptr) : trap_(trap), exits_(exits), j_(j) {}
  void on_start() override {
    trap_exit(trap_);
    if (j_ != nullptr) (void)spawn_linked<probe>("b", std::string{"b"}, j_);
  }
  void on_message(link_to& m) override { link(m.peer); }
  void on_message(unlink_from& m) override { unlink(m.peer); }
  void on_message(crash&) override { throw std::runtime_error("linker boom"); }
  void on_linked_exit(const weir::linked_exit& e) override { exits_->push_back(e); }

 private:
  bool trap_;
  std::vector<weir::linked_exit>* exits_;
  journal* j_;
};

struct fixture {
  weir::test::log_capture capture;
  journal j;
  weir::testing::manual_system t{capture.config()};
  weir::handle<probe> spawn_probe(const std::string& name) {
    auto p = t.system.spawn<probe>(name, name, &j);
    t.run_until_idle();
    return p;
  }
};

}  // namespace

TEST_CASE("a monitor delivers the reason a target crashed; one set after its death fires at once") {
  fixture f;
  auto target = f.spawn_probe("t");
  std::vector<weir::down> early;
  std::vector<weir::down> late;
  auto w1 = f.t.system.spawn<monitor_actor>("w1", &early);
  w1.send(watch{target});
  f.t.run_until_idle();
  CHECK(early.empty());
  target.send(crash{});
  f.t.run_until_idle();
  REQUIRE(early.size() == 1);
  CHECK(early[0].id == target.id());
  CHECK(early[0].path == "/t");
  CHECK(early[0].reason.kind == weir::exit_kind::crashed);
  CHECK(early[0].reason.detail == "std::runtime_error: t boom");

  auto w2 = f.t.system.spawn<monitor_actor>("w2", &late);
  w2.send(watch{target});
  f.t.run_until_idle();
  REQUIRE(late.size() == 1);
  CHECK(late[0].reason.detail == "std::runtime_error: t boom");
}

TEST_CASE("a monitor reports a normal exit too, and a demonitored one reports nothing") {
  fixture f;
  auto target = f.spawn_probe("t");
  std::vector<weir::down> kept;
  std::vector<weir::down> dropped;
  auto w1 = f.t.system.spawn<monitor_actor>("w1", &kept);
  auto w2 = f.t.system.spawn<monitor_actor>("w2", &dropped);
  w1.send(watch{target});
  w2.send(watch{target, true});
  f.t.run_until_idle();
  target.send(finish{});
  f.t.run_until_idle();
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].reason.kind == weir::exit_kind::normal);
  CHECK(dropped.empty());
}

TEST_CASE("spawn_monitored sees a child that crashes in on_start: no window between spawn and monitor") {
  fixture f;
  std::vector<weir::down> downs;
  auto parent = f.t.system.spawn<monitoring_parent>("p", &downs);
  f.t.run_until_idle();
  REQUIRE(downs.size() == 1);
  CHECK(downs[0].path == "/p/child");
  CHECK(downs[0].reason.detail == "std::invalid_argument: no config");
  CHECK_FALSE(parent.stopped());
}

TEST_CASE("spawn_linked: the child's crash stops the parent, naming the child") {
  fixture f;
  std::vector<weir::linked_exit> exits;
  auto a = f.t.system.spawn<linker>("a", false, &exits, &f.j);
  f.t.run_until_idle();
  auto b = f.t.system.find<probe>("/a/b");
  REQUIRE(b);
  b->send(crash{});
  const weir::exit_reason why = f.t.system.wait_for(a);
  CHECK(why.kind == weir::exit_kind::crashed);
  CHECK(why.detail == "linked to /a/b, which exited: crashed: std::runtime_error: b boom");
  CHECK(f.t.system.live_actors() == 0);
}

TEST_CASE("a linked actor's normal exit does not propagate; trap_exit turns any exit into a message") {
  fixture f;
  std::vector<weir::linked_exit> exits;
  SUBCASE("normal exit, not trapping") {
    auto a = f.t.system.spawn<linker>("a", false, &exits, &f.j);
    f.t.run_until_idle();
    f.t.system.find<probe>("/a/b")->send(finish{});
    f.t.run_until_idle();
    CHECK_FALSE(a.stopped());
    CHECK(exits.empty());
  }
  SUBCASE("crash, trapping") {
    auto a = f.t.system.spawn<linker>("a", true, &exits, &f.j);
    f.t.run_until_idle();
    f.t.system.find<probe>("/a/b")->send(crash{});
    f.t.run_until_idle();
    CHECK_FALSE(a.stopped());
    REQUIRE(exits.size() == 1);
    CHECK(exits[0].path == "/a/b");
    CHECK(exits[0].reason.is_crash());
  }
}

TEST_CASE("links go both ways; stop() propagates as shutdown; unlink cuts the link both ways") {
  fixture f;
  std::vector<weir::linked_exit> exits;
  auto peer = f.spawn_probe("peer");
  auto a = f.t.system.spawn<linker>("a", false, &exits);
  a.send(link_to{peer});
  f.t.run_until_idle();
  SUBCASE("the linker crashes: the peer stops") {
    a.send(crash{});
    const weir::exit_reason why = f.t.system.wait_for(peer);
    CHECK(why.detail == "linked to /a, which exited: crashed: std::runtime_error: linker boom");
  }
  SUBCASE("the peer is stopped: the linker stops with shutdown") {
    peer.stop();
    const weir::exit_reason why = f.t.system.wait_for(a);
    CHECK(why.kind == weir::exit_kind::shutdown);
    CHECK(why.detail == "linked to /peer, which exited: shutdown");
  }
  SUBCASE("unlinked: neither side's crash reaches the other") {
    a.send(unlink_from{peer});
    f.t.run_until_idle();
    peer.send(crash{});
    f.t.run_until_idle();
    CHECK_FALSE(a.stopped());
    a.send(crash{});
    f.t.run_until_idle();
    CHECK(a.stopped());
    CHECK(exits.empty());
  }
}

TEST_CASE("linking to an actor that already stopped delivers its exit at once") {
  fixture f;
  auto dead = f.spawn_probe("dead");
  dead.send(crash{});
  f.t.run_until_idle();
  std::vector<weir::linked_exit> exits;
  SUBCASE("not trapping: the linker stops too") {
    auto a = f.t.system.spawn<linker>("a", false, &exits);
    a.send(link_to{dead});
    CHECK(f.t.system.wait_for(a).detail == "linked to /dead, which exited: crashed: std::runtime_error: dead boom");
  }
  SUBCASE("trapping: a message") {
    auto a = f.t.system.spawn<linker>("a", true, &exits);
    a.send(link_to{dead});
    f.t.run_until_idle();
    REQUIRE(exits.size() == 1);
    CHECK(exits[0].reason.detail == "std::runtime_error: dead boom");
    CHECK_FALSE(a.stopped());
  }
}

TEST_CASE("system::wait_for in manual mode refuses to wait for an actor that cannot stop") {
  fixture f;
  auto p = f.spawn_probe("p");
  CHECK_THROWS_WITH_AS(f.t.system.wait_for(p), doctest::Contains("/p is still alive but nothing is left to run"),
                       std::logic_error);
  p.stop();
  CHECK(f.t.system.wait_for(p).kind == weir::exit_kind::shutdown);
}
