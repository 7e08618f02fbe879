// CAF peer of bench_idle: memory cost of an idle actor. Spawns N event-based
// actors that wait for a message they never get, waits until every one has
// run its initialisation, and prints the RSS growth per actor as
// "idle-actor caf: X B/actor". Then shuts them all down cleanly.
//
// Usage: caf_idle [actors]   (default 1,000,000)

#include <algorithm>
#include <cstddef>
#include <vector>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

using ready_atom = caf::atom_constant<caf::atom("ready")>;
using wake_atom = caf::atom_constant<caf::atom("wake")>;

constexpr std::size_t ready_batch = 10'000;

// Announces that it has started, then idles on a behaviour nobody triggers.
caf::behavior idle(caf::event_based_actor* self, caf::actor observer) {
  self->send(observer, ready_atom::value);
  return {
    [](wake_atom) {},
  };
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t count = bench::arg_or(argc, argv, 1, 1'000'000);

  bench::caf_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  // The handles keep the actors alive (CAF destroys unreachable actors).
  // Sized, and so paged in, before the baseline: they are harness
  // bookkeeping, not part of an actor's footprint.
  std::vector<caf::actor> actors(count);
  const std::size_t rss_before = bench::current_rss_kb();

  // Spawn in batches and collect each batch's "ready" before the next one:
  // a backlog of a million unread messages would otherwise inflate RSS.
  const caf::actor observer{self};
  std::size_t ready = 0;
  for (std::size_t next = 0; next < count;) {
    const std::size_t batch_end = std::min(count, next + ready_batch);
    for (; next < batch_end; ++next)
      actors[next] = sys.spawn(idle, observer);
    self->receive_for(ready, batch_end)([](ready_atom) {});
  }
  const std::size_t rss_after = bench::current_rss_kb();

  for (const auto& actor : actors)
    self->send_exit(actor, caf::exit_reason::user_shutdown);
  actors.clear();

  if (!bench::expect_eq("caf_idle ready actors", ready, count))
    return 1;
  const double grown_kb = static_cast<double>(rss_after) - static_cast<double>(rss_before);
  bench::report("idle-actor", "caf", grown_kb * 1024.0 / static_cast<double>(count), "B/actor");
  return 0;
}
