// weir: fan-in. 64 sender actors each send M int messages (0 .. M-1) to one
// receiver from their start; the receiver counts them and sums them, and
// reports once all 64 M have arrived. Contention on one mailbox from many
// senders running on every thread at once, the shape a server's log sink or
// aggregator has. Same workload as peers/caf_fanin.cpp. Prints
// "fanin weir: X msg/s" and "fanin-rss weir: X MB".
//
// Usage: bench_fanin [--threads N] [messages_per_sender]   (default 30,000; 64 senders)

#include "bench.hpp"

#include <weir/weir.hpp>

#include <cstdint>
#include <future>
#include <string>

namespace {

constexpr std::uint64_t senders = 64;

struct totals {
  std::uint64_t messages = 0;
  std::uint64_t value_sum = 0;
};

// Counts and sums what arrives; fulfils `done` once `expected` have.
class receiver : public weir::actor<std::uint64_t> {
 public:
  receiver(std::uint64_t expected, std::promise<totals>* done) : expected_(expected), done_(done) {}
  void on_message(std::uint64_t& value) override {
    totals_.value_sum += value;
    if (++totals_.messages == expected_) {
      done_->set_value(totals_);
      quit();
    }
  }

 private:
  std::uint64_t expected_;
  std::promise<totals>* done_;
  totals totals_;
};

// Sends everything from on_start (ad-hoc sends, the system's default
// policy), as bench_counting's sender does, then quits.
class sender : public weir::actor<> {
 public:
  sender(weir::handle<receiver> target, std::uint64_t messages) : target_(std::move(target)), messages_(messages) {}
  void on_start() override {
    for (std::uint64_t i = 0; i < messages_; ++i) (void)target_.send(i);
    quit();
  }

 private:
  weir::handle<receiver> target_;
  std::uint64_t messages_;
};

}  // namespace

int main(int argc, char** argv) {
  weir::system_config config;
  config.threads = bench::take_threads(argc, argv);
  const std::uint64_t messages = bench::arg_or(argc, argv, 1, 30'000);
  weir::system sys(config);
  std::promise<totals> done;
  const bench::stopwatch watch;
  auto sink = sys.spawn<receiver>("receiver", senders * messages, &done);
  for (std::uint64_t i = 0; i < senders; ++i)
    (void)sys.spawn<sender>("sender" + std::to_string(i), sink, messages);
  const totals got = done.get_future().get();
  const double seconds = watch.seconds();
  if (!bench::expect_eq("bench_fanin messages", got.messages, senders * messages) ||
      !bench::expect_eq("bench_fanin value sum", got.value_sum, senders * (messages * (messages - 1) / 2)))
    return 1;
  bench::report("fanin", "weir", static_cast<double>(got.messages) / seconds, "msg/s");
  bench::report_peak_rss("fanin", "weir");
  return 0;
}
