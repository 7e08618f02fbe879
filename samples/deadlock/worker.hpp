#pragma once
// worker.hpp — answers each request with one result, over a bounded edge.

#include "ledger.hpp"
#include "protocol.hpp"

#include <weir/actor.hpp>
#include <weir/edge.hpp>

namespace deadlock_sample {

/// Handles requests in order; each one's result goes back up a bounded edge
/// to the request's reply_to (the coordinator). When `capacity` results are
/// unconsumed it is suspended after its handler, and so stops consuming
/// requests.
///
/// It keeps nothing that matters in its members: a restart (fail_one) loses
/// no work. Each incarnation opens its own edge on its first request.
class worker : public weir::actor<request> {
 public:
  explicit worker(ledger_ptr book) : book_(std::move(book)) {}

 protected:
  void on_start() override;
  void on_message(request& r) override;

 private:
  ledger_ptr book_;
  weir::edge<results_interface> to_coordinator_;
};

}  // namespace deadlock_sample
