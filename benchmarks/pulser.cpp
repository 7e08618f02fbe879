// weir: pulser flood (issue #3). A producer actor fires N pulses at a consumer
// over a weir::pulse_edge, 4,096 per turn; pulses the consumer has not taken
// yet merge into one delivery, weir::pulse{count}. The consumer counts its
// deliveries and sums their counts (must equal N). Measures the pulse rate
// and that a flood costs no memory: a pulse edge holds one counter and one
// reusable node, so peak RSS should stay near the process baseline (printed
// on stderr). bench_pulser_unbounded sends the same N pulses as N messages,
// which is what the coalescing saves.
//
// Prints "pulser weir: X pulses/s", "pulser-deliveries weir: N deliveries"
// (what the N pulses became; depends on how often the consumer got to run)
// and "pulser-rss weir: X MB".
//
// Usage: bench_pulser [pulses]   (default 10,000,000)

#include "pulser_workload.hpp"

namespace {

using namespace bench::pulser;

class pulse_link {
 public:
  explicit pulse_link(const weir::handle<consumer>& to) : edge_(to) {}
  weir::send_result send() { return edge_.fire(); }
  [[nodiscard]] weir::edge_stats stats() const { return edge_.stats(); }

 private:
  weir::pulse_edge<tick> edge_;
};

}  // namespace

int main(int argc, char** argv) {
  const auto result = run<pulse_link>(argc, argv, "pulser");
  if (!result) return 1;
  bench::report("pulser", "weir", static_cast<double>(result->pulses) / result->seconds, "pulses/s");
  bench::report("pulser-deliveries", "weir", static_cast<double>(result->deliveries), "deliveries");
  bench::report("pulser-rss", "weir", bench::kb_to_mb(bench::peak_rss_kb()), "MB");
  return 0;
}
