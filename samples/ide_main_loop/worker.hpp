#pragma once
// worker.hpp — does the main loop's requests, one at a time, and answers on
// a back edge that never blocks.

#include "edge_ledger.hpp"
#include "messages.hpp"

#include <weir/actor.hpp>
#include <weir/edge.hpp>

#include <cstdint>
#include <deque>

namespace ide_main_loop {

/// Each job waits `job_time` on an external tool (a compiler, a language
/// server), modelled by a timer so that it costs the same in virtual time
/// (--manual) as in real time, and holds no thread meanwhile. Jobs run one
/// at a time in arrival order; the main loop's in-flight limit bounds how
/// many can be waiting here.
///
/// The answer goes back on a plain unbounded edge: a back edge must never
/// block, or a worker waiting for room in the main loop while the main loop
/// waits for room in the worker is the classic two-channel deadlock. Its
/// depth is bounded anyway, by the in-flight limit.
class worker : public weir::actor<job> {
 public:
  worker(weir::handle<weir::interface<job_done>> loop, weir::clock::duration job_time, edge_ledger& ledger);

  void on_message(job& j) override;

 protected:
  void on_start() override;
  void on_stop() override;

 private:
  void start_next();
  void finish();

  const weir::handle<weir::interface<job_done>> loop_;
  const weir::clock::duration job_time_;
  edge_ledger& ledger_;
  weir::edge<weir::interface<job_done>> to_loop_;
  std::deque<std::uint64_t> pending_;  // front: the job in progress
  bool busy_ = false;
};

}  // namespace ide_main_loop
