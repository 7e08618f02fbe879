// CAF peer of bench_chameneos (Savina's chameneos): 100 chameneos meet
// through a mall; after M meetings the mall answers every request with
// `closing`, each chameneo reports its meetings, and the total must be 2 M.
// Prints "chameneos caf: X ms" and "chameneos-rss caf: X MB".
//
// Usage: caf_chameneos [--threads N] [meetings]   (default 400,000)

#include <cstddef>
#include <cstdint>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"
#include "chameneos_colour.hpp"

namespace {

using bench::chameneos::colour;

constexpr std::size_t chameneos = 100;

using meet_atom = caf::atom_constant<caf::atom("meet")>;
using partner_atom = caf::atom_constant<caf::atom("partner")>;
using change_atom = caf::atom_constant<caf::atom("change")>;
using closing_atom = caf::atom_constant<caf::atom("closing")>;
using meetings_atom = caf::atom_constant<caf::atom("meetings")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

// Colours travel as their underlying integer: CAF 0.17 would want an
// announced type for the enum.
using colour_code = std::uint8_t;

struct mall_state {
  std::uint64_t meetings_left = 0;
  caf::actor waiting;  // a chameneo waiting for a partner, if any
  colour_code waiting_colour = 0;
  std::uint64_t total = 0;
  std::size_t reports = 0;
};

caf::behavior mall(caf::stateful_actor<mall_state>* self, std::uint64_t meetings,
                   caf::actor observer) {
  self->state.meetings_left = meetings;
  return {
    [=](meet_atom, colour_code mine, caf::actor from) {
      auto& st = self->state;
      if (st.meetings_left == 0) {
        self->send(from, closing_atom::value);
      } else if (!st.waiting) {
        st.waiting = std::move(from);
        st.waiting_colour = mine;
      } else {
        --st.meetings_left;
        self->send(st.waiting, partner_atom::value, mine, std::move(from));
        st.waiting = nullptr;
      }
    },
    [=](meetings_atom, std::uint64_t count) {
      auto& st = self->state;
      st.total += count;
      if (++st.reports == chameneos) {
        self->send(observer, done_atom::value, st.total);
        self->quit();
      }
    },
  };
}

struct chameneo_state {
  colour now = colour::red;
  std::uint64_t meetings = 0;
};

caf::behavior chameneo(caf::stateful_actor<chameneo_state>* self, caf::actor the_mall,
                       colour start) {
  self->state.now = start;
  auto ask_mall = [=] {
    self->send(the_mall, meet_atom::value, static_cast<colour_code>(self->state.now),
               caf::actor_cast<caf::actor>(self));
  };
  ask_mall();
  return {
    [=](partner_atom, colour_code theirs, caf::actor who) {
      auto& st = self->state;
      st.now = bench::chameneos::complement(st.now, static_cast<colour>(theirs));
      ++st.meetings;
      self->send(who, change_atom::value, static_cast<colour_code>(st.now));
      ask_mall();
    },
    [=](change_atom, colour_code to) {
      self->state.now = static_cast<colour>(to);
      ++self->state.meetings;
      ask_mall();
    },
    [=](closing_atom) {
      self->send(the_mall, meetings_atom::value, self->state.meetings);
      self->quit();
    },
  };
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  const std::uint64_t meetings = bench::arg_or(argc, argv, 1, 400'000);

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  auto the_mall = sys.spawn(mall, meetings, caf::actor{self});
  for (std::size_t i = 0; i < chameneos; ++i)
    sys.spawn(chameneo, the_mall, static_cast<colour>(i % 3));
  std::uint64_t total = 0;
  self->receive([&](done_atom, std::uint64_t t) { total = t; });
  const double ms = watch.millis();

  if (!bench::expect_eq("caf_chameneos meetings", total, 2 * meetings))
    return 1;
  bench::report("chameneos", "caf", ms, "ms");
  bench::report_peak_rss("chameneos", "caf");
  return 0;
}
