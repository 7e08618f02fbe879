#include <weir/system.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_system.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

struct spawn_kids { int count; };
struct ping {};
struct drop_kid {};

// Logs its start and stop; spawns children on request.
class node : public weir::actor<spawn_kids, ping, drop_kid> {
 public:
  explicit node(std::vector<std::string>& log) : log_(log) {}
  void on_start() override { log_.push_back("start " + path()); }
  void on_stop() override { log_.push_back("stop " + path()); }
  void on_message(spawn_kids& m) override {
    for (int i = 0; i < m.count; ++i) kids_.push_back(spawn<node>("k" + std::to_string(i), log_));
  }
  void on_message(ping&) override {}
  void on_message(drop_kid&) override {
    kids_.back().stop();
    kids_.pop_back();
  }
  std::vector<weir::handle<node>> kids_;

 private:
  std::vector<std::string>& log_;
};

}  // namespace

TEST_CASE("a parent stops its children newest first, each before itself") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto root = t.system.spawn<node>("root", log);
  root.send(spawn_kids{3});
  t.run_until_idle();
  log.clear();
  root.stop();
  t.run_until_idle();
  CHECK(log == std::vector<std::string>{"stop /root/k2", "stop /root/k1", "stop /root/k0", "stop /root"});
  CHECK(t.system.live_actors() == 0);
}

TEST_CASE("system shutdown stops top-level actors newest first, depth first, and returns") {
  std::vector<std::string> log;
  {
    weir::testing::manual_system t;
    auto a = t.system.spawn<node>("a", log);
    auto b = t.system.spawn<node>("b", log);
    a.send(spawn_kids{2});
    t.run_until_idle();
    log.clear();
    t.system.shutdown();
    CHECK(t.system.live_actors() == 0);
    CHECK(log == std::vector<std::string>{"stop /b", "stop /a/k1", "stop /a/k0", "stop /a"});
  }
}

TEST_CASE("a child that stops on its own leaves its parent running") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto root = t.system.spawn<node>("root", log);
  root.send(spawn_kids{2});
  t.run_until_idle();
  CHECK(t.system.live_actors() == 3);
  root.send(drop_kid{});
  t.run_until_idle();
  CHECK(t.system.live_actors() == 2);
  CHECK(log.back() == "stop /root/k1");
  root.send(ping{});
  t.run_until_idle();
  CHECK(root.handled() == 3);  // still serving
  log.clear();
  root.stop();
  t.run_until_idle();
  CHECK(log == std::vector<std::string>{"stop /root/k0", "stop /root"});
}

TEST_CASE("a child spawned into a stopping parent never starts and is not orphaned") {
  // The parent's stop is queued first; the spawn's adopt signal lands behind it.
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto parent = t.system.spawn<node>("p", log);
  t.run_until_idle();
  t.system.shutdown();  // root stops, then p...
  auto late = t.system.spawn<node>("late", log);  // ...too late to be adopted
  CHECK(late.stopped());
  CHECK(late.send(ping{}) == weir::send_result::closed);
  for (const auto& line : log) CHECK(line.find("late") == std::string::npos);
}

TEST_CASE("destroying the system shuts it down") {
  std::vector<std::string> log;
  weir::handle<node> survivor;
  {
    weir::testing::manual_system t;
    survivor = t.system.spawn<node>("x", log);
    t.run_until_idle();
  }
  CHECK(survivor.stopped());
  CHECK(log == std::vector<std::string>{"start /x", "stop /x"});
}
