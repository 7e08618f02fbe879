// The insight server on real threads: it samples and serves snapshots while
// actors run, spawn and stop on the pool, then stops while sampling. Runs
// under TSan in CI.

#include <weir/insight/http_server.hpp>  // first: the header must be self-contained
#include <weir/edge.hpp>
#include <weir/system.hpp>

#include "http_fetch.hpp"
#include "scale.hpp"
#include "watchdog.hpp"

#include <boost/json/parse.hpp>
#include <spdlog/logger.h>

#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>

using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

struct ball {
  int left;
};
struct partner {
  weir::handle<weir::interface<ball>> other;
};

// Bounces a ball with its partner over a bounded edge until it is worn out.
class player : public weir::actor<partner, ball> {
 public:
  player(weir::test::countdown* started, weir::test::countdown* done) : started_(started), done_(done) {}
  void on_start() override { started_->arrive(); }
  void on_message(partner& p) override { to_ = weir::connect(p.other, weir::bounded{.capacity = 2}); }
  void on_message(ball& b) override {
    if (b.left == 0) return done_->arrive();
    (void)to_.send(ball{b.left - 1});
  }

 private:
  weir::test::countdown* started_;
  weir::test::countdown* done_;
  weir::edge<weir::interface<ball>> to_;
};

struct item {};
class sink : public weir::actor<item> {
 public:
  void on_message(item&) override {}
};

}  // namespace

TEST_CASE("stress: the insight server samples and serves while actors run, spawn and stop, then stops cleanly") {
  weir::test::watchdog dog("insight server under load", 120s);
  const std::size_t pairs = 8;
  const int bounces = static_cast<int>(weir::test::scaled(20'000));
  const std::size_t fetches = weir::test::scaled(100);
  weir::system_config config;
  config.threads = 2;
  config.logger = std::make_shared<spdlog::logger>("quiet");
  weir::system sys(config);
  weir::test::countdown started(2 * pairs);
  weir::test::countdown done(pairs);
  for (std::size_t i = 0; i < pairs; ++i) {
    auto a = sys.spawn<player>("a" + std::to_string(i), &started, &done);
    auto b = sys.spawn<player>("b" + std::to_string(i), &started, &done);
    a.send(partner{b});
    b.send(partner{a});
    a.send(ball{bounces});
  }

  started.wait();  // spawn returns before the parent has linked the child: then snapshots list it
  weir::insight::http_server server(sys, {.sample_period = 1ms, .history_samples = 16});
  std::atomic<bool> stop{false};
  std::thread churn([&] {  // the tree changes under the server's walks
    for (std::size_t i = 0; !stop.load(); ++i) {
      auto s = sys.spawn<sink>("churn" + std::to_string(i % 4));
      for (int k = 0; k < 10; ++k) s.send(item{});
      s.stop();
      (void)sys.wait_for(s);
    }
  });

  const std::set<std::string> states{"starting", "idle",   "scheduled", "running", "suspended",
                                     "waiting-reply", "paused", "stopping", "exited"};
  weir::test::http_client client(server.port());
  for (std::size_t i = 0; i < fetches; ++i) {
    const json::value snap = json::parse(client.get("/snapshot.json").body);
    CHECK(snap.at("actors").as_array().size() >= 2 * pairs);
    for (const json::value& a : snap.at("actors").as_array()) {
      CHECK(states.count(std::string(a.at("state").as_string())) == 1);
    }
    const json::value hist = json::parse(client.get("/history.json").body);
    const std::size_t samples = hist.at("uptime_ms").as_array().size();
    CHECK(samples >= 1);  // the constructor took the first
    CHECK(samples <= 16);
    if (i % 10 == 0) server.sample_now();  // from this thread, racing the server's own samples
  }
  done.wait();
  stop = true;
  churn.join();
}
