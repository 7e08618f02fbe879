// weir: Savina's big (Big). W workers each ping a random worker (itself
// included) and wait for its pong, N times; a ping is answered with a pong.
// A worker that has had its N pongs tells the sink, which, once all W have,
// reports the pong total (must be W N) and stops the workers. Random
// choices come from one std::minstd_rand per worker seeded with its index,
// so weir and the CAF peer (peers/caf_big.cpp) make the same ones.
// Prints "big weir: X ms" and "big-rss weir: X MB".
//
// Usage: bench_big [--threads N] [pings_per_worker]   (default 6,000; 120 workers)

#include "bench.hpp"

#include <weir/weir.hpp>

#include <cstdint>
#include <future>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr std::size_t workers = 120;

struct ping {
  std::uint32_t from;  // the sender's index among the workers
};
struct pong {};
using big_port = weir::interface<ping, pong>;
using roster = std::vector<weir::handle<big_port>>;

// Every worker needs every other's handle, so the roster is sent once all
// are spawned. Pinging starts with `start`, sent to each worker only after
// every worker has been sent the roster: a ping cannot overtake it then.
struct meet_all {
  std::shared_ptr<const roster> all;
};
struct start {};

struct finished {
  std::uint64_t pongs;
};

class sink : public weir::actor<finished, meet_all> {
 public:
  explicit sink(std::promise<std::uint64_t>* done) : done_(done) {}
  void on_message(meet_all& m) override { all_ = std::move(m.all); }
  void on_message(finished& f) override {
    pongs_ += f.pongs;
    if (++reports_ < workers) return;
    done_->set_value(pongs_);
    for (const auto& w : *all_) w.stop();  // no ping is in flight any more
    quit();
  }

 private:
  std::promise<std::uint64_t>* done_;
  std::shared_ptr<const roster> all_;
  std::uint64_t pongs_ = 0;
  std::size_t reports_ = 0;
};

class worker : public weir::actor<ping, pong, meet_all, start> {
 public:
  worker(std::uint32_t index, std::uint64_t pings, weir::handle<weir::interface<finished>> sink)
      : index_(index), pings_(pings), sink_(std::move(sink)), random_(index + 1) {}
  void on_message(meet_all& m) override { all_ = std::move(m.all); }
  void on_message(start&) override { ping_someone(); }
  void on_message(ping& p) override { (void)(*all_)[p.from].send(pong{}); }
  void on_message(pong&) override {
    if (++pongs_ == pings_) {
      (void)sink_.send(finished{pongs_});
      return;
    }
    ping_someone();
  }

 private:
  void ping_someone() { (void)(*all_)[random_() % all_->size()].send(ping{index_}); }

  std::uint32_t index_;
  std::uint64_t pings_;
  weir::handle<weir::interface<finished>> sink_;
  std::minstd_rand random_;
  std::shared_ptr<const roster> all_;
  std::uint64_t pongs_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  weir::system_config config;
  config.threads = bench::take_threads(argc, argv);
  const std::uint64_t pings = bench::arg_or(argc, argv, 1, 6'000);
  weir::system sys(config);
  std::promise<std::uint64_t> done;
  const bench::stopwatch watch;
  auto the_sink = sys.spawn<sink>("sink", &done);
  std::vector<weir::handle<worker>> spawned;
  for (std::uint32_t i = 0; i < workers; ++i)
    spawned.push_back(sys.spawn<worker>("worker" + std::to_string(i), i, pings, the_sink));
  // The roster narrows the handles to ping and pong: a worker's view of the others.
  const auto all = std::make_shared<const roster>(spawned.begin(), spawned.end());
  (void)the_sink.send(meet_all{all});
  for (const auto& w : spawned) (void)w.send(meet_all{all});
  for (const auto& w : spawned) (void)w.send(start{});
  const std::uint64_t pongs = done.get_future().get();
  const double ms = watch.millis();
  if (!bench::expect_eq("bench_big pongs", pongs, workers * pings)) return 1;
  bench::report("big", "weir", ms, "ms");
  bench::report_peak_rss("big", "weir");
  return 0;
}
