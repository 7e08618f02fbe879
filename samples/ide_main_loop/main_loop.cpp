#include "main_loop.hpp"

#include "project.hpp"
#include "worker.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

namespace ide_main_loop {

main_loop::main_loop(weir::handle<weir::interface<answer>> client,
                     weir::handle<weir::interface<rescan_pulse>> indexer, settings config, main_loop_report& report,
                     edge_ledger& ledger)
    : client_(std::move(client)),
      indexer_(std::move(indexer)),
      config_(std::move(config)),
      report_(report),
      ledger_(ledger) {
  drain_fairly(config_.inbox_weights);
}

void main_loop::on_start() {
  const weir::handle<weir::interface<job_done>> back = self();
  // A child: stopping the main loop stops the worker first.
  const weir::handle<worker> w = spawn<worker>("worker", back, config_.job_time, ledger_);
  // Forward edge, bounded with credits. weir suspends a sender as soon as it
  // has used its last credit, so capacity == max_in_flight would suspend the
  // main loop each time the worker has not yet taken the last job sent; one
  // spare credit lets the application-level limit always bind first, and
  // the edge is the safety net should that limit ever be wrong.
  to_worker_ = weir::connect<weir::interface<job>>(w, weir::bounded{.capacity = config_.max_in_flight + 1,
                                                                    .on_full = weir::overflow_reaction::suspend,
                                                                    .block_timeout = std::nullopt});
  // A back edge: never blocks, no penalty. Its depth is bounded by the
  // client's window, and an answer must not wait on the client.
  to_client_ = weir::connect(client_, weir::unbounded{.penalty = std::nullopt});
  // Any number of rescan signals sent before the indexer looks arrive as one.
  to_indexer_ = weir::pulse_edge<rescan_tag>(indexer_);
}

void main_loop::on_message(request& r) {
  ++report_.requests;
  record_wait(r);
  if (in_flight_ < config_.max_in_flight && queued_.empty()) {
    forward(r.id);
  } else {
    queued_.push_back(r.id);
    report_.max_queued = std::max(report_.max_queued, queued_.size());
  }
}

void main_loop::on_message(job_done& done) {
  --in_flight_;
  if (to_client_.send(answer{done.id}) != weir::send_result::ok) throw std::runtime_error("the client has stopped");
  ++report_.answered;
  if (!queued_.empty()) {
    const std::uint64_t next = queued_.front();
    queued_.pop_front();
    forward(next);
  }
}

void main_loop::on_message(path_batch& batch) {
  file_counters& files = report_.files;
  ++files.deliveries;
  if (batch.overflow) {
    ++files.overflows;
    if (to_indexer_.fire() != weir::send_result::ok) throw std::runtime_error("the indexer has stopped");
  } else {
    ++files.path_sets;
    files.paths_reindexed += batch.keys.size();
    files.largest_path_set = std::max(files.largest_path_set, batch.keys.size());
    for (const std::string& path : batch.keys) report_.index_digest ^= index_file(path);
  }
  syncs_.settle(files.deliveries, files);
}

void main_loop::on_message(sync_files& sync) {
  syncs_.add(std::move(sync));
  syncs_.settle(report_.files.deliveries, report_.files);
}

void main_loop::record_wait(const request& r) {
  if (report_.waits.size() <= r.phase) report_.waits.resize(r.phase + 1);
  request_waits& w = report_.waits[r.phase];
  ++w.requests;
  // handled() counts messages whose handler has returned: this one is not
  // among them, so the difference is what it waited behind (exact with
  // --manual; on a pool the client's reading may lag, overstating it).
  w.max_messages = std::max(w.max_messages, self().handled() - r.loop_handled_at_send);
  const weir::clock::duration waited = clock().now() - r.sent_at;
  w.max_time = std::max(w.max_time, waited);
  w.total_time += waited;
}

void main_loop::forward(std::uint64_t id) {
  if (to_worker_.send(job{id}) != weir::send_result::ok) throw std::runtime_error("the worker has stopped");
  if (to_worker_.stats().credits <= 0) ++report_.forward_ran_dry;  // weir would suspend the main loop now
  ++in_flight_;
  report_.max_in_flight = std::max(report_.max_in_flight, in_flight_);
}

void main_loop::on_stop() {
  ledger_.keep("main_loop -> worker", std::move(to_worker_));
  ledger_.keep("main_loop -> client", std::move(to_client_));
  ledger_.keep("main_loop -> indexer", std::move(to_indexer_));
}

}  // namespace ide_main_loop
