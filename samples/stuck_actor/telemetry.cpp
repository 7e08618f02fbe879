#include "telemetry.hpp"

#include <algorithm>
#include <optional>

namespace stuck_actor_sample {

void indexer::on_message(metric& m) {
  if (!catching_up_) {
    // CPU work for `work_`, timed on the clock rather than counted in
    // iterations: the indexer's top rate is then the same in every build
    // and on every machine, and stays below the collector's.
    const auto until = std::chrono::steady_clock::now() + work_;
    std::uint64_t x = m.seq | 1;
    while (std::chrono::steady_clock::now() < until) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    checksum_ ^= x;
  }
  ++indexed_;
}

void indexer::on_message(flood_end&) { book_->flood_drained(indexed_); }

void collector::on_start() {
  // Connected here so the edge is labelled with this actor's path.
  out_ = weir::connect<metrics_interface>(to_, weir::unbounded{.penalty = std::nullopt});
  ticking_ = start_periodic(settings_.period, [this] { burst(); });
}

// The period is the flood's pace, not a synchronisation: a producer that
// sends at a fixed rate, as a telemetry source does.
void collector::burst() {
  const std::uint64_t end = std::min<std::uint64_t>(settings_.max_metrics, sent_ + settings_.burst);
  for (; sent_ < end; ++sent_) (void)out_.send(metric{sent_});
  if (sent_ == settings_.max_metrics) finish();
}

void collector::finish() {
  if (finished_) return;
  finished_ = true;
  ticking_.cancel();
  (void)out_.send(flood_end{sent_});
  book_->flood_stopped(sent_);
}

}  // namespace stuck_actor_sample
