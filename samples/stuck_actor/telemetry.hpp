#pragma once
// telemetry.hpp — situation (c): a producer flooding a slow consumer over a
// plain unbounded edge, so the consumer's queue grows without bound.

#include "ledger.hpp"
#include "messages.hpp"

#include <weir/actor.hpp>
#include <weir/edge.hpp>
#include <weir/timer_handle.hpp>

#include <chrono>
#include <cstdint>

namespace stuck_actor_sample {

/// The pace of the flood and of its consumer. The indexer spends `work` per
/// metric, so it handles at most 1 s / work metrics a second (25,000 by
/// default); the collector sends `burst` every `period` (50,000 a second),
/// twice as fast. Where the two share the one pool thread the blocked db
/// leaves free, the collector still wins: a tick falls due during every
/// indexer turn (at most system_config::batch = 64 metrics, 2.6 ms), so
/// each turn's 64 are followed by a burst of 100. A sanitizer only slows
/// the indexer further. The flood stops when main
/// says so, or by itself after `max_metrics` (a safety net: a few MB).
struct flood_settings {
  std::chrono::microseconds work{40};
  std::chrono::milliseconds period{2};
  std::uint32_t burst = 100;
  std::uint64_t max_metrics = 300'000;
};

/// Indexes metrics, slowly: `work` of CPU per metric (see flood_settings),
/// until told to catch up.
class indexer : public weir::actor<weir::inbox<catch_up>, weir::inbox<metric, flood_end>> {
 public:
  indexer(ledger_ptr book, std::chrono::microseconds work) : book_(std::move(book)), work_(work) {}

 protected:
  void on_message(catch_up&) override { catching_up_ = true; }
  void on_message(metric& m) override;
  void on_message(flood_end& end) override;

 private:
  ledger_ptr book_;
  std::chrono::microseconds work_;
  bool catching_up_ = false;
  std::uint64_t indexed_ = 0;
  std::uint64_t checksum_ = 0;  // the work's result, kept so the work is not optimised away
};

/// What the collector may send the indexer, and so what its edge carries.
using metrics_interface = weir::interface<metric, flood_end>;

/// Floods the indexer with metrics over a plain unbounded edge
/// (`weir::unbounded{.penalty = std::nullopt}`): no credit, no soft penalty,
/// nothing ever slows it down, which is exactly the mistake the inbox_growth
/// lint is there to catch.
class collector : public weir::actor<stop_flood> {
 public:
  collector(weir::handle<indexer> to, ledger_ptr book, flood_settings settings)
      : to_(std::move(to)), book_(std::move(book)), settings_(settings) {}

 protected:
  void on_start() override;
  void on_message(stop_flood&) override { finish(); }

 private:
  void burst();
  void finish();

  weir::handle<indexer> to_;
  ledger_ptr book_;
  flood_settings settings_;
  weir::edge<metrics_interface> out_;
  weir::timer_handle ticking_;
  std::uint64_t sent_ = 0;
  bool finished_ = false;
};

}  // namespace stuck_actor_sample
