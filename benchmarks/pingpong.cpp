// weir: two actors bounce an int counter; one round trip is ping -> pong ->
// ping. Same workload as peers/caf_pingpong.cpp. Prints "pingpong weir: X rt/s",
// "pingpong-waits weir: 0 waits/Mmsg" (the deadlock detector's work) and
// "pingpong-rss weir: X MB".
// With --insight on|off (see insight_switch.hpp) insight is on or off and
// the metrics are named pingpong-insight-on|off, pingpong-waits-insight-on|off,
// pingpong-rss-insight-on|off.
//
// Usage: bench_pingpong [--threads N] [--insight on|off] [round_trips]   (default 1,000,000)

#include "bench.hpp"
#include "insight_switch.hpp"

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
  const std::size_t threads = bench::take_threads(argc, argv);
  const bench::insight_switch insight = bench::parse_insight_switch(argc, argv);
  const std::size_t round_trips = bench::arg_or(argc, argv, insight.size_arg, 1'000'000);
  weir::system sys(insight.config(threads));
  std::promise<int> done;
  const bench::stopwatch watch;
  auto ping = sys.spawn<pinger>("pinger", static_cast<int>(round_trips), &done);
  auto pong = sys.spawn<ponger>("ponger", weir::handle<ball_port>(ping));
  (void)ping.send(meet{pong});
  const int seen = done.get_future().get();
  const double seconds = watch.seconds();
  if (!bench::expect_eq("bench_pingpong round trips", static_cast<std::size_t>(seen), round_trips)) return 1;
  bench::report(insight.metric("pingpong"), "weir", static_cast<double>(round_trips) / seconds, "rt/s");
  bench::report_waits(insight, "pingpong", sys, 2 * round_trips);  // ping and pong: two messages a round trip
  bench::report(insight.metric("pingpong-rss"), "weir", bench::kb_to_mb(bench::peak_rss_kb()), "MB");
  return 0;
}
