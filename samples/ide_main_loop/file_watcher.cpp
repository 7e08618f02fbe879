#include "file_watcher.hpp"

#include "project.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace ide_main_loop {

std::string change_script::path(std::size_t i) const {
  return burst.empty() ? project_path(i) : burst[i % burst.size()];
}

file_watcher::file_watcher(weir::handle<weir::interface<path_batch>> loop, settings config, edge_ledger& ledger)
    : loop_(std::move(loop)), config_(std::move(config)), ledger_(ledger) {}

void file_watcher::on_start() {
  to_loop_ = weir::keyed_edge<std::string>(loop_, weir::keyed_merge{.key_bound = config_.key_bound});
}

void file_watcher::on_message(emit_changes& emit) {
  if (done_) throw std::logic_error("file_watcher: a phase is already playing");
  script_ = std::move(emit.script);
  next_event_ = 0;
  sent_before_ = to_loop_.stats().sent;
  done_ = std::move(emit.done);
  read();  // the first read at once, the rest paced by the OS
  if (done_) reads_ = start_periodic(config_.read_interval, [this] { read(); });
}

void file_watcher::read() {
  const std::size_t end = std::min(script_.events, next_event_ + config_.read_size);
  for (; next_event_ < end; ++next_event_) {
    if (to_loop_.changed(script_.path(next_event_)) != weir::send_result::ok) {
      throw std::runtime_error("the main loop has stopped");
    }
  }
  if (next_event_ < script_.events) return;
  reads_.cancel();
  // Every event merged into a waiting batch counts as coalesced; every other
  // one posted a batch of its own.
  const weir::edge_stats s = to_loop_.stats();
  done_->set_value(phase_emitted{.events = s.sent - sent_before_, .deliveries_so_far = s.sent - s.coalesced});
  done_.reset();
}

void file_watcher::on_stop() { ledger_.keep("file_watcher -> main_loop", std::move(to_loop_)); }

}  // namespace ide_main_loop
