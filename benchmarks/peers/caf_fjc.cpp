// CAF peer of bench_fjc (Savina's fork-join creation): main() spawns N
// actors and sends each one message; each computes sin² of its index, tells
// the sink its index and terminates. The indices must sum to N(N-1)/2.
// Prints "fjc caf: X ms" and "fjc-rss caf: X MB".
//
// Usage: caf_fjc [--threads N] [actors]   (default 100,000)

#include <cmath>
#include <cstddef>
#include <cstdint>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

using go_atom = caf::atom_constant<caf::atom("go")>;
using index_atom = caf::atom_constant<caf::atom("index")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

caf::behavior worker(caf::event_based_actor* self, std::uint64_t index, caf::actor sink) {
  return {
    [=](go_atom) {
      const double s = std::sin(static_cast<double>(index));
      self->send(sink, index_atom::value, index, s * s);
      self->quit();
    },
  };
}

struct sink_state {
  std::uint64_t index_sum = 0;
  std::uint64_t replies = 0;
  double work = 0;
};

caf::behavior sink(caf::stateful_actor<sink_state>* self, std::uint64_t expected,
                   caf::actor observer) {
  return {
    [=](index_atom, std::uint64_t index, double work) {
      auto& st = self->state;
      st.index_sum += index;
      st.work += work;
      if (++st.replies == expected) {
        self->send(observer, done_atom::value, st.index_sum);
        self->quit();
      }
    },
  };
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  const std::uint64_t actors = bench::arg_or(argc, argv, 1, 100'000);

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  auto the_sink = sys.spawn(sink, actors, caf::actor{self});
  for (std::uint64_t i = 0; i < actors; ++i)
    self->send(sys.spawn(worker, i, the_sink), go_atom::value);
  std::uint64_t index_sum = 0;
  self->receive([&](done_atom, std::uint64_t sum) { index_sum = sum; });
  const double ms = watch.millis();

  if (!bench::expect_eq("caf_fjc index sum", index_sum, actors * (actors - 1) / 2))
    return 1;
  bench::report("fjc", "caf", ms, "ms");
  bench::report_peak_rss("fjc", "caf");
  return 0;
}
