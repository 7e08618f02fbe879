// CAF peer of bench_skynet: the classic skynet tree. The root spawns 10
// children, each spawns 10, ... down to `leaves` leaf actors; a leaf replies
// its ordinal, an inner actor sums its 10 replies and replies that to its
// parent; every actor quits once it has replied. 1,111,111 actors for the
// default 1,000,000 leaves. Prints "skynet caf: X ms" and "skynet-rss caf: X MB".
//
// Usage: caf_skynet [--threads N] [leaves]   (default 1,000,000; must be a power of 10)

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

constexpr std::int64_t fan_out = 10;

struct skynet_state {
  std::int64_t sum = 0;
  std::int64_t pending = fan_out;
};

// Covers ordinals [first, first + size). Sums travel as plain int64 messages:
// a parent's only input is its children's results.
caf::behavior skynet(caf::stateful_actor<skynet_state>* self, caf::actor parent,
                     std::int64_t first, std::int64_t size) {
  if (size == 1) {
    self->send(parent, first);
    return {}; // an empty behaviour terminates the actor
  }
  const std::int64_t child_size = size / fan_out;
  for (std::int64_t i = 0; i < fan_out; ++i)
    self->spawn(skynet, caf::actor_cast<caf::actor>(self), first + i * child_size, child_size);
  return {
    [=](std::int64_t partial) {
      self->state.sum += partial;
      if (--self->state.pending == 0) {
        self->send(parent, self->state.sum);
        self->quit();
      }
    },
  };
}

bool is_power_of_ten(std::size_t n) {
  while (n % 10 == 0)
    n /= 10;
  return n == 1;
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  const std::size_t leaves = bench::arg_or(argc, argv, 1, 1'000'000);
  if (!is_power_of_ten(leaves)) {
    std::fprintf(stderr, "caf_skynet: the leaf count must be a power of 10\n");
    return 2;
  }

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  sys.spawn(skynet, caf::actor{self}, std::int64_t{0}, static_cast<std::int64_t>(leaves));
  std::int64_t sum = -1;
  self->receive([&](std::int64_t total) { sum = total; });
  const double millis = watch.millis();

  const std::uint64_t expected = std::uint64_t{leaves} * (leaves - 1) / 2;
  if (!bench::expect_eq("caf_skynet sum", static_cast<std::uint64_t>(sum), expected))
    return 1;
  bench::report("skynet", "caf", millis, "ms");
  bench::report("skynet-rss", "caf", bench::kb_to_mb(bench::peak_rss_kb()), "MB");
  return 0;
}
