#pragma once
// main_loop.hpp — the IDE's main loop: serves the client through a worker and
// keeps the file index fresh, without ever drowning or deadlocking.

#include "edge_ledger.hpp"
#include "indexer.hpp"
#include "messages.hpp"
#include "settings.hpp"
#include "when_reached.hpp"

#include <weir/actor.hpp>
#include <weir/coalescing.hpp>
#include <weir/edge.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace ide_main_loop {

/// How the main loop has handled file changes so far.
struct file_counters {
  std::uint64_t deliveries = 0;       ///< path batches handled
  std::uint64_t path_sets = 0;        ///< of which lists of paths, reindexed at once...
  std::uint64_t overflows = 0;        ///< ...or overflows, each signalling the indexer to rescan
  std::uint64_t paths_reindexed = 0;  ///< paths listed in the path sets
  std::size_t largest_path_set = 0;
};

/// How long requests of one scenario phase waited in the main loop's inbox.
struct request_waits {
  std::uint64_t requests = 0;
  std::uint64_t max_messages = 0;  ///< main-loop messages handled between its send and its turn
  weir::clock::duration max_time{};
  weir::clock::duration total_time{};
};

/// What the main loop did. Written on its strand only; read after shutdown.
struct main_loop_report {
  file_counters files;
  std::vector<request_waits> waits;  ///< per scenario phase
  std::uint64_t requests = 0;
  std::uint64_t answered = 0;
  std::size_t max_in_flight = 0;  ///< requests at the worker at once
  std::size_t max_queued = 0;     ///< requests waiting in the main loop for an in-flight slot
  std::uint64_t forward_ran_dry = 0;  ///< jobs that used the worker edge's last credit (never, by design)
  std::uint64_t index_digest = 0;
};

/// Answered with the file counters once the main loop has handled `target`
/// path batches: how the scenario knows a phase's changes are all taken in.
using sync_files = when_reached<file_counters>;

/// Three inboxes, in priority order: worker responses, file-change batches,
/// client requests (and the scenario's sync). Drained weighted-fair
/// (settings::inbox_weights): responses are preferred, since each frees an
/// in-flight slot and answers a waiting client (biased receive). The file
/// inbox holds at most one batch at a time (the keyed edge merges the rest),
/// but a watcher reading without pause refills it as soon as the main loop
/// takes it, and strict priority would then starve requests for the whole
/// flood. Overflow batches cost the main loop one pulse to the indexer.
///
/// At most settings::max_in_flight requests are at the worker; the rest wait
/// in a local FIFO. That queue is bounded by the client's window, not by the
/// bounded client edge: weir hands a credit back when the handler returns,
/// i.e. as soon as a request has moved into the queue.
class main_loop : public weir::actor<weir::inbox<job_done>, weir::inbox<path_batch>, weir::inbox<request, sync_files>> {
 public:
  main_loop(weir::handle<weir::interface<answer>> client, weir::handle<weir::interface<rescan_pulse>> indexer,
            settings config, main_loop_report& report, edge_ledger& ledger);

  void on_message(job_done& done) override;
  void on_message(path_batch& batch) override;
  void on_message(request& r) override;
  void on_message(sync_files& sync) override;

 protected:
  void on_start() override;
  void on_stop() override;

 private:
  void record_wait(const request& r);
  void forward(std::uint64_t id);

  const weir::handle<weir::interface<answer>> client_;
  const weir::handle<weir::interface<rescan_pulse>> indexer_;
  const settings config_;
  main_loop_report& report_;
  edge_ledger& ledger_;
  weir::edge<weir::interface<job>> to_worker_;
  weir::edge<weir::interface<answer>> to_client_;
  weir::pulse_edge<rescan_tag> to_indexer_;
  std::deque<std::uint64_t> queued_;  // requests waiting for an in-flight slot, in arrival order
  std::size_t in_flight_ = 0;
  waiting_replies<file_counters> syncs_;
};

}  // namespace ide_main_loop
