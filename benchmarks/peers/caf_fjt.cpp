// CAF peer of bench_fjt (Savina's fork-join throughput): a dispatcher sends
// M jobs to each of 60 workers, round-robin; a worker computes sin² of each
// job's ordinal and, after its M-th, reports its count and ordinal sum to a
// collector. Prints "fjt caf: X ms" and "fjt-rss caf: X MB".
//
// Usage: caf_fjt [--threads N] [jobs_per_worker]   (default 20,000)

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

constexpr std::size_t workers = 60;

using job_atom = caf::atom_constant<caf::atom("job")>;
using finished_atom = caf::atom_constant<caf::atom("finished")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

struct worker_state {
  std::uint64_t seen = 0;
  std::uint64_t ordinal_sum = 0;
  double work = 0;
};

caf::behavior worker(caf::stateful_actor<worker_state>* self, caf::actor collector,
                     std::uint64_t jobs) {
  return {
    [=](job_atom, std::uint64_t ordinal) {
      auto& st = self->state;
      const double s = std::sin(static_cast<double>(ordinal));
      st.work += s * s;
      st.ordinal_sum += ordinal;
      if (++st.seen == jobs) {
        self->send(collector, finished_atom::value, st.seen, st.ordinal_sum, st.work);
        self->quit();
      }
    },
  };
}

struct collector_state {
  std::uint64_t jobs = 0;
  std::uint64_t ordinal_sum = 0;
  double work = 0;
  std::size_t reports = 0;
};

caf::behavior collector(caf::stateful_actor<collector_state>* self, caf::actor observer) {
  return {
    [=](finished_atom, std::uint64_t jobs, std::uint64_t ordinal_sum, double work) {
      auto& st = self->state;
      st.jobs += jobs;
      st.ordinal_sum += ordinal_sum;
      st.work += work;
      if (++st.reports == workers) {
        self->send(observer, done_atom::value, st.jobs, st.ordinal_sum);
        self->quit();
      }
    },
  };
}

// Sends everything from its initial behaviour, then terminates.
void dispatcher(caf::event_based_actor* self, std::vector<caf::actor> targets, std::uint64_t jobs) {
  for (std::uint64_t ordinal = 0; ordinal < jobs; ++ordinal)
    for (const auto& target : targets)
      self->send(target, job_atom::value, ordinal);
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  const std::uint64_t jobs = bench::arg_or(argc, argv, 1, 20'000);

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  auto sink = sys.spawn(collector, caf::actor{self});
  std::vector<caf::actor> targets;
  for (std::size_t i = 0; i < workers; ++i)
    targets.push_back(sys.spawn(worker, sink, jobs));
  sys.spawn(dispatcher, std::move(targets), jobs);
  std::uint64_t got_jobs = 0;
  std::uint64_t ordinal_sum = 0;
  self->receive([&](done_atom, std::uint64_t j, std::uint64_t s) {
    got_jobs = j;
    ordinal_sum = s;
  });
  const double ms = watch.millis();

  if (!bench::expect_eq("caf_fjt jobs", got_jobs, workers * jobs) ||
      !bench::expect_eq("caf_fjt ordinal sum", ordinal_sum, workers * (jobs * (jobs - 1) / 2)))
    return 1;
  bench::report("fjt", "caf", ms, "ms");
  bench::report_peak_rss("fjt", "caf");
  return 0;
}
