// weir: one sender actor sends N int messages to one receiver in a tight loop
// from its start; the receiver counts them. Same workload as
// peers/caf_counting.cpp: mailbox throughput under an unbounded backlog, so
// peak RSS is reported too. Prints "counting weir: X msg/s" and
// "counting-rss weir: X MB".
//
// Usage: bench_counting [messages]   (default 10,000,000)

#include "bench.hpp"

#include <weir/weir.hpp>

#include <future>

namespace {

class receiver : public weir::actor<int> {
 public:
  receiver(int total, std::promise<int>* done) : total_(total), done_(done) {}
  void on_message(int&) override {
    if (++received_ == total_) {
      done_->set_value(received_);
      quit();
    }
  }

 private:
  int total_;
  std::promise<int>* done_;
  int received_ = 0;
};

class sender : public weir::actor<int> {
 public:
  sender(weir::handle<receiver> target, int total) : target_(std::move(target)), total_(total) {}
  void on_start() override {
    for (int i = 0; i < total_; ++i) (void)target_.send(i);
    quit();
  }
  void on_message(int&) override {}

 private:
  weir::handle<receiver> target_;
  int total_;
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t messages = bench::arg_or(argc, argv, 1, 10'000'000);
  const int total = static_cast<int>(messages);
  weir::system sys;
  std::promise<int> done;
  const bench::stopwatch watch;
  auto counter = sys.spawn<receiver>("receiver", total, &done);
  (void)sys.spawn<sender>("sender", counter, total);
  const int received = done.get_future().get();
  const double seconds = watch.seconds();
  if (!bench::expect_eq("bench_counting messages", static_cast<std::size_t>(received), messages)) return 1;
  bench::report("counting", "weir", static_cast<double>(messages) / seconds, "msg/s");
  bench::report("counting-rss", "weir", bench::kb_to_mb(bench::peak_rss_kb()), "MB");
  return 0;
}
