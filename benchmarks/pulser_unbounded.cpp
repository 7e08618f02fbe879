// weir: the pulser flood of bench_pulser without coalescing. The same producer
// sends its N pulses as N ordinary messages, weir::pulse{1} each, over a plain
// unbounded edge (no soft penalty, so nothing slows the producer down, as
// nothing slows a pulse edge's sender): every pulse is a message node of its
// own, queued until the consumer takes it. Run next to bench_pulser, the
// difference in rate and RSS is what a pulse edge saves.
//
// Prints "pulser-unbounded weir: X msgs/s" and "pulser-unbounded-rss weir: X MB".
//
// Usage: bench_pulser_unbounded [messages]   (default 10,000,000)

#include "pulser_workload.hpp"

#include <weir/edge.hpp>

#include <optional>

namespace {

using namespace bench::pulser;

class plain_link {
 public:
  explicit plain_link(const weir::handle<consumer>& to)
      : edge_(weir::connect(to, weir::unbounded{.penalty = std::nullopt})) {}
  weir::send_result send() { return edge_.send(beat{1}); }
  [[nodiscard]] weir::edge_stats stats() const { return edge_.stats(); }

 private:
  weir::edge<consumer> edge_;
};

}  // namespace

int main(int argc, char** argv) {
  const auto result = run<plain_link>(argc, argv, "pulser-unbounded");
  if (!result) return 1;
  if (!bench::expect_eq("pulser-unbounded deliveries", result->deliveries, result->pulses)) return 1;
  bench::report("pulser-unbounded", "weir", static_cast<double>(result->pulses) / result->seconds, "msgs/s");
  bench::report("pulser-unbounded-rss", "weir", bench::kb_to_mb(bench::peak_rss_kb()), "MB");
  return 0;
}
