#include "coordinator.hpp"

#include <utility>

namespace deadlock_sample {

coordinator::coordinator(ledger_ptr book, weir::handle<worker> worker) : book_(std::move(book)), worker_(std::move(worker)) {}

// The edge is opened here, on the coordinator's own strand, not in the
// constructor: an edge is labelled with the actor running when it is opened,
// and a supervised child is constructed inside its supervisor's turn.
void coordinator::on_start() {
  book_->coordinator_starts.fetch_add(1);
  to_worker_ = weir::connect<weir::interface<request>>(worker_, weir::bounded{.capacity = book_->capacity});
}

void coordinator::on_message(go&) {
  if (book_->sent.load() < book_->requests) self().send(pump{});
}

void coordinator::on_message(pump&) {
  const std::size_t id = book_->sent.load();
  if (id >= book_->requests) return;
  (void)to_worker_.send(request{id, self()});
  book_->sent.store(id + 1);
  if (id + 1 < book_->requests) self().send(pump{});  // next turn: the next request
}

void coordinator::on_message(result& r) {
  if (r.id >= book_->requests || r.value != r.id * r.id) {
    book_->wrong_values.fetch_add(1);
    return;
  }
  if (book_->results_seen[r.id].exchange(1) != 0) {
    book_->duplicates.fetch_add(1);
    return;
  }
  book_->received.fetch_add(1);
}

}  // namespace deadlock_sample
