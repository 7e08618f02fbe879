// CAF peer of bench_bounded_buffer (Savina's ProdConsBoundedBuffer): 40
// producers and 40 consumers trade items through a manager that holds at most
// 50, with explicit demand (a producer makes its next item on `produce`, a
// consumer announces itself `available`). The workload is
// common/bounded_buffer_workload.hpp, shared with weir. Prints
// "bounded-buffer caf: X ms" and "bounded-buffer-rss caf: X MB".
//
// Usage: caf_bounded_buffer [--threads N] [items_per_producer]   (default 4,000)

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include <caf/all.hpp>

#include "bench.hpp"
#include "bounded_buffer_workload.hpp"
#include "caf_config.hpp"

namespace {

using bench::bounded_buffer::process_item;
using bench::bounded_buffer::tally;
using bench::bounded_buffer::workload;

using produce_atom = caf::atom_constant<caf::atom("produce")>;
using item_atom = caf::atom_constant<caf::atom("item")>;
using available_atom = caf::atom_constant<caf::atom("available")>;
using pdone_atom = caf::atom_constant<caf::atom("pdone")>;
using close_atom = caf::atom_constant<caf::atom("close")>;
using consumed_atom = caf::atom_constant<caf::atom("consumed")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

struct producer_state {
  std::uint64_t next_id = 0;
};

caf::behavior producer(caf::stateful_actor<producer_state>* self, caf::actor manager,
                       std::uint64_t first_id, std::uint64_t count) {
  const std::uint64_t end_id = first_id + count;
  auto make_one = [=] {
    const std::uint64_t id = self->state.next_id++;
    self->send(manager, item_atom::value, id, process_item(id), caf::actor_cast<caf::actor>(self));
  };
  self->state.next_id = first_id;
  make_one();
  return {
    [=](produce_atom) {
      if (self->state.next_id == end_id) {
        self->send(manager, pdone_atom::value);
        self->quit();
        return;
      }
      make_one();
    },
  };
}

struct consumer_state {
  tally what;
};

caf::behavior consumer(caf::stateful_actor<consumer_state>* self, caf::actor manager) {
  self->send(manager, available_atom::value, caf::actor_cast<caf::actor>(self));
  return {
    [=](item_atom, std::uint64_t id, std::uint64_t mix, const caf::actor&) {
      self->state.what.consume(id, mix);
      self->send(manager, available_atom::value, caf::actor_cast<caf::actor>(self));
    },
    [=](close_atom) {
      const tally& t = self->state.what;
      self->send(manager, consumed_atom::value, t.items, t.id_sum, t.mix);
      self->quit();
    },
  };
}

struct buffered_item {
  std::uint64_t id;
  std::uint64_t mix;
  caf::actor producer;
};

struct manager_state {
  std::vector<caf::actor> consumers;
  std::deque<buffered_item> buffer;
  std::vector<caf::actor> idle_consumers;
  std::vector<caf::actor> held_producers;
  std::size_t finished_producers = 0;
  std::size_t reports = 0;
  tally total;
};

caf::behavior manager(caf::stateful_actor<manager_state>* self, workload work,
                      caf::actor observer) {
  const auto me = caf::actor_cast<caf::actor>(self);
  for (std::size_t p = 0; p < work.producers; ++p)
    self->spawn(producer, me, work.first_id(p), work.items_per_producer);
  for (std::size_t c = 0; c < work.consumers; ++c)
    self->state.consumers.push_back(self->spawn(consumer, me));
  auto close_if_finished = [=] {
    auto& st = self->state;
    if (st.finished_producers < work.producers || st.idle_consumers.size() < work.consumers)
      return;
    for (const auto& c : st.consumers)
      self->send(c, close_atom::value);
  };
  return {
    [=](item_atom, std::uint64_t id, std::uint64_t mix, caf::actor producer) {
      auto& st = self->state;
      if (st.idle_consumers.empty()) {
        st.buffer.push_back(buffered_item{id, mix, producer});
      } else {
        self->send(st.idle_consumers.back(), item_atom::value, id, mix, producer);
        st.idle_consumers.pop_back();
      }
      if (work.holds_producers_back(st.buffer.size()))
        st.held_producers.push_back(std::move(producer));
      else
        self->send(producer, produce_atom::value);
    },
    [=](available_atom, caf::actor consumer) {
      auto& st = self->state;
      if (st.buffer.empty()) {
        st.idle_consumers.push_back(std::move(consumer));
        close_if_finished();
        return;
      }
      const buffered_item& next = st.buffer.front();
      self->send(consumer, item_atom::value, next.id, next.mix, next.producer);
      st.buffer.pop_front();
      if (!st.held_producers.empty()) {
        self->send(st.held_producers.back(), produce_atom::value);
        st.held_producers.pop_back();
      }
    },
    [=](pdone_atom) {
      ++self->state.finished_producers;
      close_if_finished();
    },
    [=](consumed_atom, std::uint64_t items, std::uint64_t id_sum, std::uint64_t mix) {
      auto& st = self->state;
      st.total += tally{items, id_sum, mix};
      if (++st.reports == work.consumers) {
        self->send(observer, done_atom::value, st.total.items, st.total.id_sum);
        self->quit();
      }
    },
  };
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t threads = bench::take_threads(argc, argv);
  workload work;
  work.items_per_producer = bench::arg_or(argc, argv, 1, work.items_per_producer);

  bench::caf_config cfg{threads};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  const bench::stopwatch watch;
  sys.spawn(manager, work, caf::actor{self});
  std::uint64_t items = 0;
  std::uint64_t id_sum = 0;
  self->receive([&](done_atom, std::uint64_t i, std::uint64_t s) {
    items = i;
    id_sum = s;
  });
  const double ms = watch.millis();

  if (!bench::expect_eq("caf_bounded_buffer items", items, work.items()) ||
      !bench::expect_eq("caf_bounded_buffer id sum", id_sum, work.id_sum()))
    return 1;
  bench::report("bounded-buffer", "caf", ms, "ms");
  bench::report_peak_rss("bounded-buffer", "caf");
  return 0;
}
