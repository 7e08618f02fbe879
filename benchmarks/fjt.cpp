// weir: Savina's fork-join throughput (ForkJoinThroughput). One dispatcher
// actor sends M jobs to each of N workers, round-robin; a worker does a
// small computation per job (sin² of the job's ordinal, as Savina's
// performComputation) and, after its M-th job, reports its count and the sum
// of the ordinals it saw to a collector. Same workload as peers/caf_fjt.cpp.
// Prints "fjt weir: X ms" and "fjt-rss weir: X MB".
//
// Usage: bench_fjt [--threads N] [jobs_per_worker]   (default 20,000; 60 workers)

#include "bench.hpp"

#include <weir/weir.hpp>

#include <cmath>
#include <cstdint>
#include <future>
#include <string>
#include <vector>

namespace {

constexpr std::size_t workers = 60;

struct job {
  std::uint64_t ordinal;
};

struct finished {
  std::uint64_t jobs;
  std::uint64_t ordinal_sum;
  double work;  // the computation's result, so that it cannot be optimised away
};

struct totals {
  std::uint64_t jobs = 0;
  std::uint64_t ordinal_sum = 0;
};

// Gathers one `finished` per worker, then fulfils `done`.
class collector : public weir::actor<finished> {
 public:
  explicit collector(std::promise<totals>* done) : done_(done) {}
  void on_message(finished& f) override {
    totals_.jobs += f.jobs;
    totals_.ordinal_sum += f.ordinal_sum;
    work_ += f.work;
    if (++reports_ == workers) {
      done_->set_value(totals_);
      quit();
    }
  }

 private:
  std::promise<totals>* done_;
  totals totals_;
  double work_ = 0;
  std::size_t reports_ = 0;
};

class worker : public weir::actor<job> {
 public:
  worker(weir::handle<weir::interface<finished>> collector, std::uint64_t jobs)
      : collector_(std::move(collector)), jobs_(jobs) {}
  void on_message(job& j) override {
    const double s = std::sin(static_cast<double>(j.ordinal));
    work_ += s * s;
    ordinal_sum_ += j.ordinal;
    if (++seen_ == jobs_) {
      (void)collector_.send(finished{seen_, ordinal_sum_, work_});
      quit();
    }
  }

 private:
  weir::handle<weir::interface<finished>> collector_;
  std::uint64_t jobs_;
  std::uint64_t seen_ = 0;
  std::uint64_t ordinal_sum_ = 0;
  double work_ = 0;
};

// Sends everything from on_start, as Savina's main loop does, then quits.
class dispatcher : public weir::actor<> {
 public:
  dispatcher(std::vector<weir::handle<worker>> targets, std::uint64_t jobs)
      : targets_(std::move(targets)), jobs_(jobs) {}
  void on_start() override {
    for (std::uint64_t ordinal = 0; ordinal < jobs_; ++ordinal)
      for (const auto& target : targets_) (void)target.send(job{ordinal});
    quit();
  }

 private:
  std::vector<weir::handle<worker>> targets_;
  std::uint64_t jobs_;
};

}  // namespace

int main(int argc, char** argv) {
  weir::system_config config;
  config.threads = bench::take_threads(argc, argv);
  const std::uint64_t jobs = bench::arg_or(argc, argv, 1, 20'000);
  weir::system sys(config);
  std::promise<totals> done;
  const bench::stopwatch watch;
  auto sink = sys.spawn<collector>("collector", &done);
  std::vector<weir::handle<worker>> targets;
  for (std::size_t i = 0; i < workers; ++i)
    targets.push_back(sys.spawn<worker>("worker" + std::to_string(i), sink, jobs));
  (void)sys.spawn<dispatcher>("dispatcher", std::move(targets), jobs);
  const totals got = done.get_future().get();
  const double ms = watch.millis();
  if (!bench::expect_eq("bench_fjt jobs", got.jobs, workers * jobs) ||
      !bench::expect_eq("bench_fjt ordinal sum", got.ordinal_sum, workers * (jobs * (jobs - 1) / 2)))
    return 1;
  bench::report("fjt", "weir", ms, "ms");
  bench::report_peak_rss("fjt", "weir");
  return 0;
}
