#include "worker.hpp"

#include <optional>
#include <stdexcept>
#include <utility>

namespace ide_main_loop {

worker::worker(weir::handle<weir::interface<job_done>> loop, weir::clock::duration job_time, edge_ledger& ledger)
    : loop_(std::move(loop)), job_time_(job_time), ledger_(ledger) {}

// Opened here, on the worker's strand, so the edge is labelled with its sender.
void worker::on_start() { to_loop_ = weir::connect(loop_, weir::unbounded{.penalty = std::nullopt}); }

void worker::on_message(job& j) {
  pending_.push_back(j.id);
  if (!busy_) start_next();
}

void worker::start_next() {
  busy_ = true;
  (void)start_timer(job_time_, [this] { finish(); });
}

void worker::finish() {
  const std::uint64_t id = pending_.front();
  pending_.pop_front();
  busy_ = false;
  if (to_loop_.send(job_done{id}) != weir::send_result::ok) throw std::runtime_error("the main loop has stopped");
  if (!pending_.empty()) start_next();
}

void worker::on_stop() { ledger_.keep("worker -> main_loop", std::move(to_loop_)); }

}  // namespace ide_main_loop
