#include "worker.hpp"

namespace deadlock_sample {

void worker::on_start() { book_->worker_starts.fetch_add(1); }

void worker::on_message(request& r) {
  if (!to_coordinator_) to_coordinator_ = weir::connect(r.reply_to, weir::bounded{.capacity = book_->capacity});
  book_->handled.fetch_add(1);
  (void)to_coordinator_.send(result{r.id, r.id * r.id});
}

}  // namespace deadlock_sample
