#include "orders.hpp"

#include <optional>

namespace stuck_actor_sample {

void db::on_message(write_order&) {
  table_lock_->wait();  // the blocking call: deliberate, it is what the sample is about
  book_->order_written();
}

void checkout::on_start() {
  // Connected here, not in the constructor, so the edge is labelled with this
  // actor's path. Every field spelled out: block_timeout has no default member
  // initializer, and leaving it out trips -Wmissing-field-initializers.
  out_ = weir::connect(to_, weir::bounded{.capacity = capacity_,
                                          .on_full = weir::overflow_reaction::suspend,
                                          .block_timeout = std::nullopt});
  for (std::size_t i = 0; i < orders_; ++i) (void)out_.send(write_order{static_cast<int>(i)});
  book_->orders_sent(orders_);
}

}  // namespace stuck_actor_sample
