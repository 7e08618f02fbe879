#include "indexer.hpp"

#include "project.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace ide_main_loop {

indexer::indexer(std::size_t project_files, std::size_t slice_files, index_counters& report)
    : project_files_(project_files), slice_files_(slice_files), report_(report) {}

void indexer::on_message(rescan_pulse& pulse) {
  report_.pulses += pulse.count;
  if (scanning_) {
    again_ = true;  // this rescan may have passed the changed files already
  } else {
    start_rescan();
  }
}

void indexer::on_message(sync_index& sync) {
  syncs_.add(std::move(sync));
  syncs_.settle(report_.pulses_done, report_);
}

void indexer::start_rescan() {
  scanning_ = true;
  again_ = false;
  next_file_ = 0;
  covers_ = report_.pulses;
  digest_ = 0;
  next_slice();
}

// A message to itself would run in this same turn (a turn handles up to
// system_config::batch messages): only a timer ends the turn and frees the
// thread. A zero delay means "as soon as the others have had their turn".
void indexer::next_slice() { (void)start_timer(std::chrono::nanoseconds(0), [this] { slice(); }); }

void indexer::slice() {
  const std::size_t end = std::min(project_files_, next_file_ + slice_files_);
  digest_ ^= index_files(next_file_, end);
  next_file_ = end;
  if (next_file_ < project_files_) {
    next_slice();
    return;
  }
  scanning_ = false;
  ++report_.rescans;
  report_.digest = digest_;
  report_.pulses_done = covers_;
  syncs_.settle(report_.pulses_done, report_);
  if (again_) start_rescan();
}

}  // namespace ide_main_loop
