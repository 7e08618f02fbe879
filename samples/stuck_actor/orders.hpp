#pragma once
// orders.hpp — situations (a) and (b): a handler that blocks its thread, and
// the sender it holds up behind a full bounded edge.

#include "gate.hpp"
#include "ledger.hpp"
#include "messages.hpp"

#include <weir/actor.hpp>
#include <weir/edge.hpp>

#include <cstddef>
#include <memory>

namespace stuck_actor_sample {

/// Writes orders. Each write first waits for a table lock held outside the
/// actor system (a gate main opens at the end): the handler blocks its pool
/// thread, the bug the watchdog reports as blocking_handler. Nothing in weir
/// can interrupt it; weir can only say which actor, which message, how long.
class db : public weir::actor<write_order> {
 public:
  db(std::shared_ptr<gate> table_lock, ledger_ptr book) : table_lock_(std::move(table_lock)), book_(std::move(book)) {}

 protected:
  void on_message(write_order& order) override;

 private:
  std::shared_ptr<gate> table_lock_;
  ledger_ptr book_;
};

/// Sends `orders` orders to the db over bounded(`capacity`), all from
/// on_start. The db takes the first and blocks on it; the rest stay
/// unconsumed, more than the edge's capacity, so checkout is suspended on
/// its edge after on_start: the watchdog reports it as long_wait, and the
/// snapshot shows "suspended, waits for credit on checkout -> db".
class checkout : public weir::actor<> {
 public:
  checkout(weir::handle<db> to, ledger_ptr book, std::size_t capacity, std::size_t orders)
      : to_(std::move(to)), book_(std::move(book)), capacity_(capacity), orders_(orders) {}

 protected:
  void on_start() override;

 private:
  weir::handle<db> to_;
  ledger_ptr book_;
  std::size_t capacity_;
  std::size_t orders_;
  weir::edge<db> out_;
};

}  // namespace stuck_actor_sample
