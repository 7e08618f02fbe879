// weir: Savina's fork-join creation (ForkJoinCreation). main() spawns N
// actors and sends each one message; each does a small computation (sin² of
// its index), tells the sink its index and stops. The sink counts N replies
// whose indices must sum to N(N-1)/2. Measures spawning and tearing down
// short-lived actors. Same workload as peers/caf_fjc.cpp. Prints
// "fjc weir: X ms" and "fjc-rss weir: X MB".
//
// Usage: bench_fjc [--threads N] [actors]   (default 100,000)

#include "bench.hpp"

#include <weir/weir.hpp>

#include <cmath>
#include <cstdint>
#include <future>
#include <string>

namespace {

struct go {};
struct done_with {
  std::uint64_t index;
  double work;  // the computation's result, so that it cannot be optimised away
};

class sink : public weir::actor<done_with> {
 public:
  sink(std::uint64_t expected, std::promise<std::uint64_t>* done) : expected_(expected), done_(done) {}
  void on_message(done_with& d) override {
    index_sum_ += d.index;
    work_ += d.work;
    if (++replies_ == expected_) {
      done_->set_value(index_sum_);
      quit();
    }
  }

 private:
  std::uint64_t expected_;
  std::promise<std::uint64_t>* done_;
  std::uint64_t index_sum_ = 0;
  std::uint64_t replies_ = 0;
  double work_ = 0;
};

class worker : public weir::actor<go> {
 public:
  worker(std::uint64_t index, weir::handle<weir::interface<done_with>> sink) : index_(index), sink_(std::move(sink)) {}
  void on_message(go&) override {
    const double s = std::sin(static_cast<double>(index_));
    (void)sink_.send(done_with{index_, s * s});
    quit();
  }

 private:
  std::uint64_t index_;
  weir::handle<weir::interface<done_with>> sink_;
};

}  // namespace

int main(int argc, char** argv) {
  weir::system_config config;
  config.threads = bench::take_threads(argc, argv);
  const std::uint64_t actors = bench::arg_or(argc, argv, 1, 100'000);
  weir::system sys(config);
  std::promise<std::uint64_t> done;
  const bench::stopwatch watch;
  auto the_sink = sys.spawn<sink>("sink", actors, &done);
  for (std::uint64_t i = 0; i < actors; ++i)
    (void)sys.spawn<worker>("worker" + std::to_string(i), i, the_sink).send(go{});
  const std::uint64_t index_sum = done.get_future().get();
  const double ms = watch.millis();
  if (!bench::expect_eq("bench_fjc index sum", index_sum, actors * (actors - 1) / 2)) return 1;
  bench::report("fjc", "weir", ms, "ms");
  bench::report_peak_rss("fjc", "weir");
  return 0;
}
