// CAF peer of bench_fanin: 64 sender actors each send M int messages
// (0 .. M-1) to one receiver from their initial behaviour; the receiver
// counts and sums them and reports once all 64 M have arrived. Prints
// "fanin caf: X msg/s" and "fanin-rss caf: X MB".
//
// Usage: caf_fanin [--threads N] [messages_per_sender]   (default 30,000; 64 senders)

#include <cstddef>
#include <cstdint>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

constexpr std::uint64_t senders = 64;

using done_atom = caf::atom_constant<caf::atom("done")>;

struct receiver_state {
  std::uint64_t messages = 0;
  std::uint64_t value_sum = 0;
};

// Counts and sums; reports both to `observer` once `expected` have arrived.
caf::behavior receiver(caf::stateful_actor<receiver_state>* self, std::uint64_t expected,
                       caf::actor observer) {
  return {
    [=](std::uint64_t value) {
      self->state.value_sum += value;
      if (++self->state.messages == expected) {
        self->send(observer, done_atom::value, self->state.messages, self->state.value_sum);
        self->quit();
      }
    },
  };
}

// Sends everything from its initial behaviour; returning no behaviour
// terminates it.
void sender(caf::event_based_actor* self, caf::actor target, std::uint64_t messages) {
  for (std::uint64_t i = 0; i < messages; ++i)
    self->send(target, i);
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  const std::uint64_t messages = bench::arg_or(argc, argv, 1, 30'000);

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  auto sink = sys.spawn(receiver, senders * messages, caf::actor{self});
  for (std::uint64_t i = 0; i < senders; ++i)
    sys.spawn(sender, sink, messages);
  std::uint64_t received = 0;
  std::uint64_t value_sum = 0;
  self->receive([&](done_atom, std::uint64_t count, std::uint64_t sum) {
    received = count;
    value_sum = sum;
  });
  const double seconds = watch.seconds();

  if (!bench::expect_eq("caf_fanin messages", received, senders * messages) ||
      !bench::expect_eq("caf_fanin value sum", value_sum, senders * (messages * (messages - 1) / 2)))
    return 1;
  bench::report("fanin", "caf", static_cast<double>(received) / seconds, "msg/s");
  bench::report_peak_rss("fanin", "caf");
  return 0;
}
