// weir: memory cost of an idle actor, its strand included. Spawns N actors
// that wait for a message they never get, waits until every one has run
// on_start, and prints the RSS growth per actor as "idle-actor weir: X B/actor".
// Same method as peers/caf_idle.cpp (handles pre-sized before the baseline,
// spawned in batches whose starts are awaited before the next batch).
//
// Usage: bench_idle [actors]   (default 1,000,000)

#include "bench.hpp"
#include "start_gate.hpp"

#include <weir/weir.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

struct wake {};

class idler : public weir::actor<wake> {
 public:
  explicit idler(bench::start_gate& gate) : gate_(gate) {}
  void on_start() override { gate_.arrive(); }
  void on_message(wake&) override {}

 private:
  bench::start_gate& gate_;
};

constexpr std::size_t batch = 10'000;

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = bench::arg_or(argc, argv, 1, 1'000'000);
  weir::system sys;
  bench::start_gate gate;
  std::vector<weir::handle<idler>> actors(count);
  const std::size_t rss_before = bench::current_rss_kb();
  for (std::size_t next = 0; next < count;) {
    const std::size_t batch_end = std::min(count, next + batch);
    for (; next < batch_end; ++next) actors[next] = sys.spawn<idler>("idle-" + std::to_string(next), gate);
    gate.wait_for(batch_end);
  }
  const std::size_t rss_after = bench::current_rss_kb();
  if (!bench::expect_eq("bench_idle started actors", gate.started, count)) return 1;
  const double grown_kb = static_cast<double>(rss_after) - static_cast<double>(rss_before);
  bench::report("idle-actor", "weir", grown_kb * 1024.0 / static_cast<double>(count), "B/actor");
  actors.clear();
  sys.shutdown();
  return 0;
}
