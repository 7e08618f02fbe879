// The weir side of the counting workload, shared by bench_counting (ad-hoc,
// unbounded sends) and bench_counting_bounded (a bounded edge): one sender
// actor sends N int messages to one receiver, which counts them. The two
// programs differ only in their sender, so the receiver, the timing and the
// reporting live here and cannot drift apart.
#pragma once

#include "bench.hpp"
#include "insight_switch.hpp"

#include <weir/weir.hpp>

#include <climits>
#include <cstddef>
#include <cstdio>
#include <future>
#include <string>
#include <string_view>

namespace bench::counting {

/// Counts int messages; fulfils `done` and stops once `total` have arrived.
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

/// Runs the workload: reads an optional "--threads N" (bench::take_threads)
/// and "--insight on|off" (see
/// insight_switch.hpp), then the size (default 10,000,000), spawns the
/// receiver and then the sender, `Sender(handle<receiver>, total)`, and
/// times until the receiver has counted everything. Prints
/// "<bench> weir: X msg/s", "<bench>-rss weir: X MB" (peak RSS: the
/// backlog the sender builds up is what the two senders differ in) and
/// "<bench>-waits weir: W waits/Mmsg" (waits the deadlock detector recorded),
/// each name suffixed with -insight-on or -insight-off when the switch is given.
/// Returns main()'s exit status.
template <class Sender>
int run(int argc, char** argv, std::string_view bench) {
  const std::size_t threads = take_threads(argc, argv);
  const insight_switch insight = parse_insight_switch(argc, argv);
  const std::size_t messages = arg_or(argc, argv, insight.size_arg, 10'000'000);
  if (messages > static_cast<std::size_t>(INT_MAX)) {
    std::fprintf(stderr, "%s: at most %d messages\n", argv[0], INT_MAX);
    return 2;
  }
  const int total = static_cast<int>(messages);
  weir::system sys(insight.config(threads));
  std::promise<int> done;
  const stopwatch watch;
  auto counter = sys.spawn<receiver>("receiver", total, &done);
  (void)sys.spawn<Sender>("sender", counter, total);
  const int received = done.get_future().get();
  const double seconds = watch.seconds();
  if (!expect_eq(std::string{bench} + " messages", static_cast<std::size_t>(received), messages)) return 1;
  report(insight.metric(bench), "weir", static_cast<double>(messages) / seconds, "msg/s");
  report(insight.metric(std::string{bench} + "-rss"), "weir", kb_to_mb(peak_rss_kb()), "MB");
  report_waits(insight, bench, sys, messages);
  return 0;
}

}  // namespace bench::counting
