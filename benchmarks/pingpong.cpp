// weir: two actors bounce an int counter; one round trip is ping -> pong ->
// ping. Same workload as peers/caf_pingpong.cpp. Prints "pingpong weir: X rt/s".
//
// Usage: bench_pingpong [round_trips]   (default 1,000,000)

#include "bench.hpp"

#include <weir/weir.hpp>

#include <future>

namespace {

struct ball {
  int count;
};
using ball_port = weir::interface<ball>;

// Returns every ball to the pinger.
class ponger : public weir::actor<ball> {
 public:
  explicit ponger(weir::handle<ball_port> pinger) : pinger_(std::move(pinger)) {}
  void on_message(ball& b) override { (void)pinger_.send(ball{b.count}); }

 private:
  weir::handle<ball_port> pinger_;
};

struct meet {
  weir::handle<ball_port> ponger;
};

// Serves the first ball when it meets its ponger; done after `round_trips`.
class pinger : public weir::actor<ball, meet> {
 public:
  pinger(int round_trips, std::promise<int>* done) : round_trips_(round_trips), done_(done) {}
  void on_message(meet& m) override {
    ponger_ = std::move(m.ponger);
    (void)ponger_.send(ball{1});
  }
  void on_message(ball& b) override {
    if (b.count < round_trips_) {
      (void)ponger_.send(ball{b.count + 1});
      return;
    }
    done_->set_value(b.count);
  }

 private:
  int round_trips_;
  std::promise<int>* done_;
  weir::handle<ball_port> ponger_;
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t round_trips = bench::arg_or(argc, argv, 1, 1'000'000);
  weir::system sys;
  std::promise<int> done;
  const bench::stopwatch watch;
  auto ping = sys.spawn<pinger>("pinger", static_cast<int>(round_trips), &done);
  auto pong = sys.spawn<ponger>("ponger", weir::handle<ball_port>(ping));
  (void)ping.send(meet{pong});
  const int seen = done.get_future().get();
  const double seconds = watch.seconds();
  if (!bench::expect_eq("bench_pingpong round trips", static_cast<std::size_t>(seen), round_trips)) return 1;
  bench::report("pingpong", "weir", static_cast<double>(round_trips) / seconds, "rt/s");
  return 0;
}
