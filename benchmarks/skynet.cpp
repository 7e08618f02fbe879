// weir: the skynet benchmark. The root spawns 10 children, each spawns 10,
// ... down to 1,000,000 leaves; leaves send their ordinal up, every parent
// sums its 10 replies and sends the sum up, then quits. Same workload as
// peers/caf_skynet.cpp. Prints "skynet weir: X ms" and "skynet-rss weir: X MB".
//
// Usage: bench_skynet [--threads N] [leaves]   (default 1,000,000; a power of 10)

#include "bench.hpp"

#include <weir/weir.hpp>

#include <cstdint>
#include <future>
#include <string>

namespace {

struct sum {
  std::int64_t value;
};
using sum_port = weir::interface<sum>;

class node : public weir::actor<sum> {
 public:
  // The root has no parent and reports to `done` instead.
  node(weir::handle<sum_port> parent, std::promise<std::int64_t>* done, std::int64_t ordinal, std::int64_t size)
      : parent_(std::move(parent)), done_(done), ordinal_(ordinal), size_(size) {}

  void on_start() override {
    if (size_ == 1) {
      report(ordinal_);
      return;
    }
    const std::int64_t child_size = size_ / 10;
    for (std::int64_t i = 0; i < 10; ++i) {
      // Not "n" + std::to_string(i): g++ 12 -O3 reports a false -Wrestrict in it (GCC PR 105329).
      (void)spawn<node>(std::string("n").append(std::to_string(i)), weir::handle<sum_port>(self()), nullptr, ordinal_ + i * child_size, child_size);
    }
  }

  void on_message(sum& s) override {
    total_ += s.value;
    if (++replies_ == 10) report(total_);
  }

 private:
  void report(std::int64_t value) {
    if (parent_) {
      (void)parent_.send(sum{value});
    } else {
      done_->set_value(value);
    }
    quit();
  }

  weir::handle<sum_port> parent_;
  std::promise<std::int64_t>* done_;
  std::int64_t ordinal_;
  std::int64_t size_;
  std::int64_t total_ = 0;
  int replies_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  weir::system_config config;
  config.threads = bench::take_threads(argc, argv);
  const auto leaves = static_cast<std::int64_t>(bench::arg_or(argc, argv, 1, 1'000'000));
  weir::system sys(config);
  std::promise<std::int64_t> done;
  const bench::stopwatch watch;
  (void)sys.spawn<node>("root", weir::handle<sum_port>{}, &done, 0, leaves);
  const std::int64_t result = done.get_future().get();
  const double ms = watch.millis();
  const auto expected = static_cast<std::uint64_t>(leaves * (leaves - 1) / 2);
  if (!bench::expect_eq("bench_skynet sum", static_cast<std::uint64_t>(result), expected)) return 1;
  bench::report("skynet", "weir", ms, "ms");
  bench::report("skynet-rss", "weir", bench::kb_to_mb(bench::peak_rss_kb()), "MB");
  return 0;
}
