// weir: one sender actor sends N int messages to one receiver in a tight loop
// from its start; the receiver counts them. Same workload as
// peers/caf_counting.cpp: mailbox throughput under an unbounded backlog, so
// peak RSS is reported too. Prints "counting weir: X msg/s" and
// "counting-rss weir: X MB". bench_counting_bounded is the same workload
// over a bounded edge.
//
// Usage: bench_counting [--insight on|off] [messages]   (default 10,000,000)

#include "counting_workload.hpp"

namespace {

// Ad-hoc sends (the system's default policy), all from on_start: the soft
// penalty is only paid after a handler, and this one sends everything, so
// nothing holds the sender back and the backlog grows as fast as it sends.
class sender : public weir::actor<int> {
 public:
  sender(weir::handle<bench::counting::receiver> target, int total) : target_(std::move(target)), total_(total) {}
  void on_start() override {
    for (int i = 0; i < total_; ++i) (void)target_.send(i);
    quit();
  }
  void on_message(int&) override {}

 private:
  weir::handle<bench::counting::receiver> target_;
  int total_;
};

}  // namespace

int main(int argc, char** argv) { return bench::counting::run<sender>(argc, argv, "counting"); }
