// CAF peer of bench_thread_ring (Savina's thread ring): 503 actors in a ring
// pass one token T hops; the member that gets it with no hops left reports
// its place, which must be T mod 503. Prints "thread-ring caf: X ms" and
// "thread-ring-rss caf: X MB".
//
// Usage: caf_thread_ring [--threads N] [hops]   (default 2,000,000)

#include <cstddef>
#include <cstdint>
#include <vector>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

constexpr std::size_t members = 503;

using token_atom = caf::atom_constant<caf::atom("token")>;
using next_atom = caf::atom_constant<caf::atom("next")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

struct member_state {
  caf::actor next;
};

// The ring is closed after every member is spawned, so each learns its
// successor by message.
caf::behavior member(caf::stateful_actor<member_state>* self, std::size_t place,
                     caf::actor observer) {
  return {
    [=](next_atom, caf::actor next) { self->state.next = std::move(next); },
    [=](token_atom, std::uint64_t hops_left) {
      if (hops_left == 0) {
        self->send(observer, done_atom::value, static_cast<std::uint64_t>(place));
        return;
      }
      self->send(self->state.next, token_atom::value, hops_left - 1);
    },
  };
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  const std::uint64_t hops = bench::arg_or(argc, argv, 1, 2'000'000);

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  std::vector<caf::actor> ring;
  for (std::size_t i = 0; i < members; ++i)
    ring.push_back(sys.spawn(member, i, caf::actor{self}));
  for (std::size_t i = 0; i < members; ++i)
    self->send(ring[i], next_atom::value, ring[(i + 1) % members]);
  self->send(ring[0], token_atom::value, hops);
  std::uint64_t last = 0;
  self->receive([&](done_atom, std::uint64_t place) { last = place; });
  const double ms = watch.millis();

  // The members hold each other: the ring never ends by itself.
  for (const auto& m : ring)
    self->send_exit(m, caf::exit_reason::user_shutdown);
  if (!bench::expect_eq("caf_thread_ring last member", last, hops % members))
    return 1;
  bench::report("thread-ring", "caf", ms, "ms");
  bench::report_peak_rss("thread-ring", "caf");
  return 0;
}
