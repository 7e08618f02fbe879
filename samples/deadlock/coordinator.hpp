#pragma once
// coordinator.hpp — sends every request before it reads any result: the bug.

#include "ledger.hpp"
#include "protocol.hpp"
#include "worker.hpp"

#include <weir/actor.hpp>
#include <weir/edge.hpp>

namespace deadlock_sample {

/// Sends the N requests down a bounded edge to its worker, one per turn
/// (a pump message to itself), and reads the results that come back up.
/// Its first inbox (go, pump) is preferred over its second (result): while
/// it has requests to send it reads no result. That is the classic mistake
/// of S2: with both edges bounded and both sides sending at once, the worker
/// fills the results edge and is suspended, the coordinator fills the
/// requests edge and is suspended, each waiting for credit from the other.
///
/// Its progress lives in the ledger, not in its members: a restarted
/// coordinator (fail_one) carries on from there. Its pump chain is in its
/// mailbox, which survives the restart.
class coordinator : public weir::actor<weir::inbox<go, pump>, weir::inbox<result>> {
 public:
  coordinator(ledger_ptr book, weir::handle<worker> worker);

 protected:
  void on_start() override;
  void on_message(go& g) override;
  void on_message(pump& p) override;
  void on_message(result& r) override;

 private:
  ledger_ptr book_;
  weir::handle<worker> worker_;
  weir::edge<weir::interface<request>> to_worker_;
};

}  // namespace deadlock_sample
