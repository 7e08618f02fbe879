// CAF peer of bench_big (Savina's big): 120 workers each ping a random
// worker (itself included) and wait for its pong, N times. A worker with its
// N pongs tells the sink; once all have, the sink reports the pong total
// (must be 120 N) and stops the workers. One std::minstd_rand per worker
// seeded with its index, as in bench_big. Prints "big caf: X ms" and
// "big-rss caf: X MB".
//
// Usage: caf_big [--threads N] [pings_per_worker]   (default 6,000)

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

constexpr std::size_t workers = 120;

using ping_atom = caf::atom_constant<caf::atom("ping")>;
using pong_atom = caf::atom_constant<caf::atom("pong")>;
using start_atom = caf::atom_constant<caf::atom("start")>;
using finished_atom = caf::atom_constant<caf::atom("finished")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

// Filled by main() once every worker is spawned, before any is started.
using roster = std::vector<caf::actor>;

struct worker_state {
  std::minstd_rand random;
  std::uint64_t pongs = 0;
};

caf::behavior worker(caf::stateful_actor<worker_state>* self, std::uint32_t index,
                     std::uint64_t pings, caf::actor sink, std::shared_ptr<const roster> all) {
  self->state.random.seed(index + 1);
  auto ping_someone = [=] {
    self->send((*all)[self->state.random() % all->size()], ping_atom::value, index);
  };
  return {
    [=](start_atom) { ping_someone(); },
    [=](ping_atom, std::uint32_t from) { self->send((*all)[from], pong_atom::value); },
    [=](pong_atom) {
      if (++self->state.pongs == pings) {
        self->send(sink, finished_atom::value, self->state.pongs);
        return;
      }
      ping_someone();
    },
  };
}

struct sink_state {
  std::uint64_t pongs = 0;
  std::size_t reports = 0;
};

caf::behavior sink(caf::stateful_actor<sink_state>* self, caf::actor observer,
                   std::shared_ptr<const roster> all) {
  return {
    [=](finished_atom, std::uint64_t pongs) {
      self->state.pongs += pongs;
      if (++self->state.reports < workers)
        return;
      self->send(observer, done_atom::value, self->state.pongs);
      for (const auto& w : *all) // no ping is in flight any more
        self->send_exit(w, caf::exit_reason::user_shutdown);
      self->quit();
    },
  };
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  const std::uint64_t pings = bench::arg_or(argc, argv, 1, 6'000);

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  auto all = std::make_shared<roster>();
  auto the_sink = sys.spawn(sink, caf::actor{self}, std::shared_ptr<const roster>{all});
  for (std::uint32_t i = 0; i < workers; ++i)
    all->push_back(sys.spawn(worker, i, pings, the_sink, std::shared_ptr<const roster>{all}));
  for (const auto& w : *all)
    self->send(w, start_atom::value);
  std::uint64_t pongs = 0;
  self->receive([&](done_atom, std::uint64_t p) { pongs = p; });
  const double ms = watch.millis();

  if (!bench::expect_eq("caf_big pongs", pongs, workers * pings))
    return 1;
  bench::report("big", "caf", ms, "ms");
  bench::report_peak_rss("big", "caf");
  return 0;
}
