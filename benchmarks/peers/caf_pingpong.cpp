// CAF peer of bench_pingpong: two event-based actors bounce an int counter;
// one round trip is ping -> pong -> ping. Prints "pingpong caf: X rt/s" and
// "pingpong-rss caf: X MB".
//
// Usage: caf_pingpong [--threads N] [round_trips]   (default 1,000,000)

#include <climits>
#include <cstddef>
#include <cstdio>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

using ping_atom = caf::atom_constant<caf::atom("ping")>;
using pong_atom = caf::atom_constant<caf::atom("pong")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

// Answers whoever pinged it. An explicit send to current_sender() rather
// than returning the reply from the handler: the return path goes through
// CAF's response-promise machinery and measured ~20% slower here.
caf::behavior pong(caf::event_based_actor* self) {
  return {
    [=](ping_atom, int count) {
      self->send(caf::actor_cast<caf::actor>(self->current_sender()), pong_atom::value, count);
    },
  };
}

// Serves the first ball on start and stops after `round_trips` returns,
// telling `observer` how many round trips it saw.
caf::behavior ping(caf::event_based_actor* self, caf::actor pong_actor, int round_trips,
                   caf::actor observer) {
  self->send(pong_actor, ping_atom::value, 1);
  return {
    [=](pong_atom, int count) {
      if (count < round_trips) {
        self->send(pong_actor, ping_atom::value, count + 1);
        return;
      }
      self->send(observer, done_atom::value, count);
      self->send_exit(pong_actor, caf::exit_reason::user_shutdown);
      self->quit();
    },
  };
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  const std::size_t round_trips = bench::arg_or(argc, argv, 1, 1'000'000);
  if (round_trips > INT_MAX) {
    std::fprintf(stderr, "caf_pingpong: at most %d round trips\n", INT_MAX);
    return 2;
  }

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  auto pong_actor = sys.spawn(pong);
  sys.spawn(ping, pong_actor, static_cast<int>(round_trips), caf::actor{self});
  int seen = 0;
  self->receive([&](done_atom, int count) { seen = count; });
  const double seconds = watch.seconds();

  if (!bench::expect_eq("caf_pingpong round trips", static_cast<std::size_t>(seen), round_trips))
    return 1;
  bench::report("pingpong", "caf", static_cast<double>(round_trips) / seconds, "rt/s");
  bench::report_peak_rss("pingpong", "caf");
  return 0;
}
