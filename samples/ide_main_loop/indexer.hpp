#pragma once
// indexer.hpp — rescans the whole project off the main loop, in slices, and
// once for any number of "rescan" signals that arrive meanwhile.

#include "when_reached.hpp"

#include <weir/actor.hpp>
#include <weir/coalescing.hpp>

#include <cstddef>
#include <cstdint>

namespace ide_main_loop {

/// "The file index is stale, rescan everything." A pulse: no payload.
struct rescan_tag;
using rescan_pulse = weir::pulse<rescan_tag>;

/// What the indexer did. Written on its strand only; read after shutdown.
struct index_counters {
  std::uint64_t pulses = 0;       ///< rescan signals received (merged ones included)
  std::uint64_t pulses_done = 0;  ///< of which covered by a finished rescan
  std::uint64_t rescans = 0;      ///< full rescans finished
  std::uint64_t digest = 0;       ///< of the last one
};

/// Answered once every rescan signal up to the `target`-th is covered by a
/// finished rescan.
using sync_index = when_reached<index_counters>;

/// A rescan costs time in proportion to the project (about 17 ms for
/// 100,000 files here): far too long for the main loop, which only signals,
/// on a pulse edge that keeps at most one signal queued however many are sent.
///
/// Too long, also, for one handler: a handler holds its pool thread until it
/// returns, and with two threads a rescan plus a burst of watcher reads would
/// leave none for the main loop. So the indexer rescans in slices of
/// `slice_files`, each its own turn. Signals arriving mid-rescan make it
/// rescan once more afterwards, however many there were.
class indexer : public weir::actor<rescan_pulse, sync_index> {
 public:
  indexer(std::size_t project_files, std::size_t slice_files, index_counters& report);

  void on_message(rescan_pulse& pulse) override;
  void on_message(sync_index& sync) override;

 private:
  void start_rescan();
  void next_slice();
  void slice();

  const std::size_t project_files_;
  const std::size_t slice_files_;
  index_counters& report_;
  waiting_replies<index_counters> syncs_;
  bool scanning_ = false;
  bool again_ = false;            // signals arrived during this rescan
  std::size_t next_file_ = 0;
  std::uint64_t covers_ = 0;      // pulses received when this rescan started
  std::uint64_t digest_ = 0;
};

}  // namespace ide_main_loop
