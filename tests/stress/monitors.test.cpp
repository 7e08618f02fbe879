// Monitors, links and wait_for racing with stops on real threads: every
// watch fires exactly once, with the reason, whichever side wins the race.
// Runs under TSan in CI.

#include <weir/monitor.hpp>  // first: the header must be self-contained
#include <weir/system.hpp>

#include "scale.hpp"
#include "watchdog.hpp"

#include <spdlog/logger.h>

#include <doctest/doctest.h>

#include <atomic>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct ping {};

class target : public weir::actor<ping> {
 public:
  void on_message(ping&) override {}
};

struct watch {
  weir::handle<target> who;
};

class watcher : public weir::actor<watch> {
 public:
  watcher(std::atomic<std::uint64_t>* downs, weir::test::countdown* all) : downs_(downs), all_(all) {}
  void on_message(watch& w) override { (void)monitor(w.who); }
  void on_down(const weir::down& d) override {
    if (d.reason.kind == weir::exit_kind::shutdown) downs_->fetch_add(1);
    all_->arrive();
  }

 private:
  std::atomic<std::uint64_t>* downs_;
  weir::test::countdown* all_;
};

}  // namespace

TEST_CASE("stress: monitors set while their targets stop fire exactly once; wait_for after the stop returns") {
  weir::test::watchdog dog("monitors vs stops", 120s);
  const std::size_t rounds = weir::test::scaled(2'000);
  weir::system_config config;
  config.threads = 2;
  config.logger = std::make_shared<spdlog::logger>("quiet");
  weir::system sys(config);
  std::atomic<std::uint64_t> downs{0};
  weir::test::countdown all(rounds);
  auto w = sys.spawn<watcher>("watcher", &downs, &all);
  for (std::size_t i = 0; i < rounds; ++i) {
    auto t = sys.spawn<target>("t" + std::to_string(i));
    t.send(ping{});
    t.stop();                 // races with the monitor below
    w.send(watch{t});
    if (i % 2 == 0) CHECK(sys.wait_for(t).kind == weir::exit_kind::shutdown);  // also races with the stop
  }
  all.wait();
  CHECK(downs == rounds);
  sys.shutdown();
  CHECK(sys.live_actors() == 0);
}
