// The repeat limiter on real threads: loggers on shared keys, past max_keys,
// while one thread moves the clock and another flushes. Exact accounting:
// for every key, lines logged + counts summarised == lines offered; for the
// overflow, notices + counts summarised == keys evicted. Runs under TSan.

#include <weir/detail/log_limiter.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_clock.hpp>

#include "log_capture.hpp"
#include "scale.hpp"
#include "watchdog.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::uint64_t count_of(const std::string& text, const std::string& needle) {
  std::uint64_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::uint64_t summarised(const std::string& text, const std::string& key) {
  const std::string head = "weir: " + key + " repeated ";
  std::uint64_t total = 0;
  for (std::size_t at = text.find(head); at != std::string::npos; at = text.find(head, at + 1)) {
    total += std::stoull(text.substr(at + head.size()));
  }
  return total;
}

}  // namespace

TEST_CASE("the limiter counts exactly under concurrent loggers, a moving clock, flushes and evictions") {
  const weir::test::watchdog guard("log_repeats", 120s);
  constexpr std::size_t keys = 8;
  constexpr std::size_t loggers = 4;
  const std::size_t per_logger = weir::test::scaled(20'000);
  weir::test::log_capture capture;
  capture.logger->set_pattern("%v");
  auto clock = std::make_shared<weir::testing::manual_clock>();
  weir::detail::log_limiter limiter({.window = 5ms, .max_keys = 4}, clock, capture.logger);

  std::atomic<std::size_t> running{loggers};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < loggers; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < per_logger; ++i) {
        const std::size_t k = (i * 7 + t) % keys;  // the keys interleave, more than max_keys of them
        limiter.error("k" + std::to_string(k), "line of k{}", k);
      }
      running.fetch_sub(1);
    });
  }
  threads.emplace_back([&] {
    while (running.load() > 0) {
      clock->advance(1ms);
      std::this_thread::yield();
    }
  });
  threads.emplace_back([&] {
    while (running.load() > 0) {
      limiter.flush();
      std::this_thread::yield();
    }
  });
  for (auto& thread : threads) thread.join();
  limiter.flush_all();

  const std::string text = capture.text();
  std::uint64_t logged = 0;
  std::uint64_t counted = 0;
  for (std::size_t k = 0; k < keys; ++k) {
    const std::string key = "k" + std::to_string(k);
    logged += count_of(text, "line of " + key + "\n");
    counted += summarised(text, key);
  }
  CHECK(logged + counted == loggers * per_logger);
  CHECK(logged > keys);  // evicted keys and ended windows were logged anew
  const std::uint64_t overflow_counted = summarised(text, "log_repeats:overflow");
  CHECK(count_of(text, "forgetting the oldest") + overflow_counted == limiter.evicted());
  CHECK(limiter.suppressed() == counted + overflow_counted);
  CHECK(limiter.keys() == 0);
}
