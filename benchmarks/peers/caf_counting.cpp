// CAF peer of bench_counting: one sender actor sends N int messages to one
// receiver in a tight loop from its start; the receiver counts them.
// Measures mailbox throughput under an unbounded backlog, so peak RSS is
// reported too. Prints "counting caf: X msg/s" and "counting-rss caf: X MB".
//
// Usage: caf_counting [--threads N] [messages]   (default 10,000,000)

#include <climits>
#include <cstddef>
#include <cstdio>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

using done_atom = caf::atom_constant<caf::atom("done")>;

struct receiver_state {
  int received = 0;
};

// Counts messages; reports to `observer` once `total` have arrived.
caf::behavior receiver(caf::stateful_actor<receiver_state>* self, int total,
                       caf::actor observer) {
  return {
    [=](int) {
      if (++self->state.received == total) {
        self->send(observer, done_atom::value, self->state.received);
        self->quit();
      }
    },
  };
}

// Sends everything from its initial behaviour, then has nothing left to do;
// returning no behaviour terminates it.
void sender(caf::event_based_actor* self, caf::actor target, int total) {
  for (int i = 0; i < total; ++i)
    self->send(target, i);
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  const std::size_t messages = bench::arg_or(argc, argv, 1, 10'000'000);
  if (messages > INT_MAX) {
    std::fprintf(stderr, "caf_counting: at most %d messages\n", INT_MAX);
    return 2;
  }
  const int total = static_cast<int>(messages);

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  auto counter = sys.spawn(receiver, total, caf::actor{self});
  sys.spawn(sender, counter, total);
  int received = 0;
  self->receive([&](done_atom, int count) { received = count; });
  const double seconds = watch.seconds();

  if (!bench::expect_eq("caf_counting messages", static_cast<std::size_t>(received), messages))
    return 1;
  bench::report("counting", "caf", static_cast<double>(messages) / seconds, "msg/s");
  bench::report("counting-rss", "caf", bench::kb_to_mb(bench::peak_rss_kb()), "MB");
  return 0;
}
