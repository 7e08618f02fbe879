// Code outside any actor on real threads: request() from plain threads,
// wait_for_path() woken by links (and by its timeout on a manual clock), and
// two threads spawning the same name at once. Runs under TSan in CI.

#include <weir/request.hpp>  // first: the header must be self-contained
#include <weir/supervisor.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_clock.hpp>

#include "scale.hpp"
#include "watchdog.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/logger.h>

#include <doctest/doctest.h>

#include <atomic>
#include <barrier>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct get_total {
  weir::reply_to<int> reply;
};
struct add {
  int n;
};
struct flush {};

// Answers at once, or (keeper) only on flush: late, once the request timed out.
class accountant : public weir::actor<get_total, add, flush> {
 public:
  explicit accountant(bool keeper) : keeper_(keeper) {}
  void on_message(add& a) override { total_ += a.n; }
  void on_message(get_total& q) override {
    if (keeper_) {
      kept_.push_back(std::move(q.reply));
    } else {
      q.reply.send(total_);
    }
  }
  void on_message(flush&) override {
    for (auto& token : kept_) token.send(total_);
    kept_.clear();
  }

 private:
  bool keeper_;
  int total_ = 0;
  std::vector<weir::reply_to<int>> kept_;
};

class idle : public weir::actor<flush> {
 public:
  void on_message(flush&) override {}
};

weir::system_config quiet(std::size_t threads = 2) {
  weir::system_config config;
  config.threads = threads;
  config.logger = std::make_shared<spdlog::logger>("quiet");
  return config;
}

}  // namespace

TEST_CASE("stress: requests from plain threads are all answered; timed-out ones fail and their late replies are counted") {
  weir::test::watchdog dog("requests from plain threads", 120s);
  const std::size_t per_thread = weir::test::scaled(2'000);
  weir::system sys(quiet());
  auto acc = sys.spawn<accountant>("acc", false);
  acc.send(add{42});
  std::atomic<std::size_t> right{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 3; ++c) {
    callers.emplace_back([&] {
      for (std::size_t i = 0; i < per_thread; ++i) {
        if (sys.request(acc, get_total{}, 60s).get() == 42) right.fetch_add(1);
      }
    });
  }
  for (auto& t : callers) t.join();
  CHECK(right.load() == 3 * per_thread);

  // A keeper answers only when flushed, long after a 1 ms timeout: every
  // future fails with timeout, whichever thread fires it.
  auto keeper = sys.spawn<accountant>("keeper", true);
  std::vector<std::future<int>> waiting;
  const std::size_t kept = weir::test::scaled(200);
  for (std::size_t i = 0; i < kept; ++i) waiting.push_back(sys.request(keeper, get_total{}, 1ms));
  for (auto& f : waiting) {
    try {
      (void)f.get();
      FAIL("a keeper never answers in time");
    } catch (const weir::ask_failed& e) {
      CHECK(e.error() == weir::ask_error::timeout);
    }
  }
  CHECK(sys.pending_requests() == 0);
  keeper.send(flush{});  // now every kept token answers, too late
  // FIFO from this thread: once this request is kept and flushed, the
  // earlier flush has run.
  std::future<int> marker = sys.request(keeper, get_total{}, 60s);
  keeper.send(flush{});
  CHECK(marker.get() == 0);
  CHECK(sys.late_request_replies() == kept);
}

TEST_CASE("stress: request and wait_for_path refuse to run on a pool thread") {
  weir::test::watchdog dog("outside calls on a pool thread", 60s);
  weir::system sys(quiet());
  auto acc = sys.spawn<accountant>("acc", false);
  std::promise<std::string> refused;
  boost::asio::post(sys.io_context(), [&] {
    std::string what;
    try {
      (void)sys.request(acc, get_total{}, 1s);
    } catch (const std::logic_error& e) {
      what = e.what();
    }
    try {
      (void)sys.wait_for_path<accountant>("/acc", 1s);
    } catch (const std::logic_error& e) {
      what += std::string{" | "} + e.what();
    }
    refused.set_value(what);
  });
  CHECK(refused.get_future().get() ==
        "weir::system::request called from inside an actor or on a pool thread; actors use ask() | "
        "weir::system::wait_for_path called from inside an actor or on a pool thread; it would block the thread "
        "(use find())");
}

TEST_CASE("stress: wait_for_path wakes on the link of each awaited child, started from another thread") {
  weir::test::watchdog dog("wait_for_path on real threads", 120s);
  const std::size_t rounds = weir::test::scaled(300);
  weir::system sys(quiet());
  auto sup = sys.spawn<weir::supervisor>("sup", weir::supervisor_flags{}, std::vector<weir::child_spec>{});
  std::atomic<std::size_t> found{0};
  std::vector<std::thread> waiters;
  for (int w = 0; w < 2; ++w) {
    waiters.emplace_back([&, w] {
      for (std::size_t i = static_cast<std::size_t>(w); i < rounds; i += 2) {
        auto child = sys.wait_for_path<idle>("/sup/c" + std::to_string(i), 60s);
        if (child && child->path() == "/sup/c" + std::to_string(i)) found.fetch_add(1);
      }
    });
  }
  std::thread starter([&] {
    for (std::size_t i = 0; i < rounds; ++i) {
      sup.send(weir::start_child{weir::worker<idle>("c" + std::to_string(i)), {}});
    }
  });
  starter.join();
  for (auto& t : waiters) t.join();
  CHECK(found.load() == rounds);
}

TEST_CASE("stress: wait_for_path times out on the system's clock (a manual clock on real threads)") {
  weir::test::watchdog dog("wait_for_path timeout", 60s);
  auto clock = std::make_shared<weir::testing::manual_clock>();
  weir::system_config config = quiet();
  config.clock = clock;
  config.insight.enabled = false;  // nothing else arms a timer on the clock
  weir::system sys(config);
  std::promise<bool> outcome;
  std::thread waiter([&] { outcome.set_value(sys.wait_for_path<idle>("/never", 1s).has_value()); });
  while (clock->pending() == 0) std::this_thread::yield();  // until its timeout is armed
  clock->advance(1s);
  CHECK_FALSE(outcome.get_future().get());
  waiter.join();
  CHECK(clock->pending() == 0);
}

TEST_CASE("stress: two threads spawning the same name at once: exactly one succeeds, every round") {
  weir::test::watchdog dog("racing spawns of one name", 120s);
  const std::size_t rounds = weir::test::scaled(2'000);
  weir::system sys(quiet());
  std::barrier start(2);
  std::atomic<std::size_t> spawned{0};
  std::atomic<std::size_t> refused{0};
  const auto racer = [&] {
    for (std::size_t i = 0; i < rounds; ++i) {
      start.arrive_and_wait();
      try {
        (void)sys.spawn<idle>("r" + std::to_string(i));
        spawned.fetch_add(1);
      } catch (const std::invalid_argument&) {
        refused.fetch_add(1);
      }
    }
  };
  std::thread a(racer);
  std::thread b(racer);
  a.join();
  b.join();
  CHECK(spawned.load() == rounds);
  CHECK(refused.load() == rounds);
  sys.shutdown();
  CHECK(sys.started_actors() == rounds);
}
