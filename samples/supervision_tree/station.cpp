#include "station.hpp"

#include <stdexcept>

namespace supervision_tree {

station::station(weir::clock::duration tick) : tick_(tick) {}

station::station(weir::clock::duration tick, weir::handle<station> next) : tick_(tick), next_(std::move(next)) {}

void station::on_start() {
  if (tick_ > weir::clock::duration::zero()) {
    (void)start_periodic(tick_, [this] { pass_on(items_ + 1); });
  }
}

void station::on_message(item& in) { pass_on(in.n); }

void station::on_message(fault& f) { throw std::runtime_error(f.why); }

void station::on_message(finish&) { quit(); }

void station::on_message(items_seen& ask) { ask.reply.send(items_); }

void station::pass_on(std::uint64_t n) {
  ++items_;
  // Ad-hoc sends never refuse (unbounded, soft penalty): while `next` is
  // down its items wait in its mailbox for the restart.
  if (next_) next_.send(item{n});
}

}  // namespace supervision_tree
