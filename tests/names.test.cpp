// Names are unique among live siblings: at the top level, under an actor and
// under a supervisor, from the instant of the spawn (before the parent has
// linked the child), and free again once the earlier actor is gone for good.

#include <weir/system.hpp>  // first: the header must be self-contained
#include <weir/supervisor.hpp>
#include <weir/testing/manual_system.hpp>

#include "journal.hpp"
#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

using weir::test::finish;
using weir::test::journal;
using weir::test::probe;

namespace {

struct fixture {
  weir::test::log_capture capture;
  journal j;
  weir::testing::manual_system t{capture.config()};

  weir::handle<probe> find(const std::string& path) {
    auto h = t.system.find<probe>(path);
    REQUIRE_MESSAGE(h.has_value(), path << " should be alive");
    return *h;
  }
};

constexpr const char* taken_dup = "weir::spawn: /dup is already taken by a live actor (names are unique among live siblings)";

}  // namespace

TEST_CASE("names: a second live top-level actor with the same name is rejected, even before the first is linked") {
  fixture f;
  auto first = f.t.system.spawn<probe>("dup", std::string{"first"}, &f.j);
  // No turn ran: the guardian has not linked `first` yet, its name is reserved all the same.
  CHECK_THROWS_WITH_AS((void)f.t.system.spawn<probe>("dup", std::string{"second"}, &f.j), taken_dup,
                       std::invalid_argument);
  f.t.run_until_idle();
  CHECK_THROWS_WITH_AS((void)f.t.system.spawn<probe>("dup", std::string{"third"}, &f.j), taken_dup,
                       std::invalid_argument);
  CHECK(f.find("/dup") == first);
  CHECK(f.t.system.live_actors() == 1);
  CHECK(f.j.events == std::vector<std::string>{"start first"});  // the refused ones never ran
  CHECK(f.t.system.snapshot().actors.size() == 1);
}

TEST_CASE("names: a name is free again once its actor has stopped for good") {
  fixture f;
  auto first = f.t.system.spawn<probe>("dup", std::string{"first"}, &f.j);
  SUBCASE("stopped, after its turns ran") {
    first.stop();
    f.t.run_until_idle();
  }
  SUBCASE("quit by itself, seen through wait_for") {
    first.send(finish{});
    CHECK(f.t.system.wait_for(first).kind == weir::exit_kind::normal);
  }
  auto again = f.t.system.spawn<probe>("dup", std::string{"again"}, &f.j);
  f.t.run_until_idle();
  CHECK(f.find("/dup") == again);
  CHECK_FALSE(again == first);
  CHECK(f.t.system.live_actors() == 1);
}

namespace {

struct boom_in_constructor {};

class fails_to_build : public weir::actor<finish> {
 public:
  explicit fails_to_build(boom_in_constructor) { throw std::runtime_error("cannot build"); }
  void on_message(finish&) override {}
};

}  // namespace

TEST_CASE("names: an actor whose constructor threw leaves its name free") {
  fixture f;
  CHECK_THROWS_WITH_AS((void)f.t.system.spawn<fails_to_build>("dup", boom_in_constructor{}), "cannot build",
                       std::runtime_error);
  auto ok = f.t.system.spawn<probe>("dup", std::string{"ok"}, &f.j);
  f.t.run_until_idle();
  CHECK(f.find("/dup") == ok);
}

namespace {

struct make_kid {
  std::string name;
};

// Spawns children on request and journals each spawn, or why it was refused.
class parent : public weir::actor<make_kid> {
 public:
  explicit parent(journal* j) : j_(j) {}
  void on_message(make_kid& m) override {
    try {
      (void)spawn<probe>(m.name, m.name, j_);
      j_->add("spawned " + m.name);
    } catch (const std::invalid_argument& e) {
      j_->add(e.what());
    }
  }

 private:
  journal* j_;
};

}  // namespace

TEST_CASE("names: children of one actor have unique live names; the same name under another parent is fine") {
  fixture f;
  auto p = f.t.system.spawn<parent>("p", &f.j);
  auto q = f.t.system.spawn<parent>("q", &f.j);
  p.send(make_kid{"k"});
  p.send(make_kid{"k"});  // same handler batch: the first is not even running yet
  q.send(make_kid{"k"});
  f.t.run_until_idle();
  CHECK(f.j.count("spawned k") == 2);  // /p/k and /q/k
  CHECK(f.j.count("weir::spawn: /p/k is already taken by a live actor (names are unique among live siblings)") == 1);
  auto pk = f.find("/p/k");
  CHECK_FALSE(pk == f.find("/q/k"));

  pk.stop();
  f.t.run_until_idle();
  p.send(make_kid{"k"});  // the earlier /p/k has stopped for good
  f.t.run_until_idle();
  CHECK(f.j.count("spawned k") == 3);
  CHECK_FALSE(f.find("/p/k") == pk);
  CHECK(f.t.system.live_actors() == 4);
}

TEST_CASE("names: a supervisor may start a child under the name of one it has just released") {
  fixture f;
  auto sup = f.t.system.spawn<weir::supervisor>(
      "sup", weir::supervisor_flags{},
      std::vector<weir::child_spec>{
          weir::worker<probe>("x", std::string{"x1"}, &f.j).with(weir::restart_type::temporary)});
  f.t.run_until_idle();
  auto old = f.find("/sup/x");
  old.send(finish{});
  REQUIRE(f.t.run_one());      // old x's turn: it quits, and reports its exit to the supervisor
  weir::testing::stall(old);   // ... and is slow to take the release that comes next
  sup.send(weir::start_child{weir::worker<probe>("x", std::string{"x2"}, &f.j), {}});
  f.t.run_until_idle();        // the supervisor releases old x (temporary: forgotten), then starts x2
  CHECK(f.j.count("start x2") == 1);
  CHECK_FALSE(f.capture.contains("already"));
  auto fresh = f.find("/sup/x");
  CHECK_FALSE(fresh == old);  // the released one is no longer found, though it has not finished stopping
  CHECK_FALSE(old.stopped());

  weir::testing::unstall(old);
  f.t.run_until_idle();
  CHECK(old.stopped());
  CHECK(f.find("/sup/x") == fresh);  // the old one's end did not free the new one's name
  CHECK_THROWS_AS((void)f.t.system.spawn<probe>("sup", std::string{"clash"}, &f.j), std::invalid_argument);
  sup.send(weir::start_child{weir::worker<probe>("x", std::string{"x3"}, &f.j), {}});
  f.t.run_until_idle();
  CHECK(f.capture.contains("start_child: child 'x': name is already used"));
  CHECK(f.j.count("start x3") == 0);
}
