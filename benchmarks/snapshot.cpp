// weir: what a live snapshot of a big system costs (issue #5). Builds a tree
// of N actors (default 100,000) in a realistic mix, then times
// system.snapshot() and system.tree_text() on it, and a bare walk over the
// same tree as the baseline (CAF has no equivalent to compare with: it
// keeps no actor tree and offers no snapshot).
//
//   /root                          supervisor, one_for_one
//     /root/sub-0 .. sub-9         supervisors
//       .../group-0 .. group-9     workers under them (100 groups)
//         .../session-0 .. -9      spawned by each group (1,000 sessions)
//           .../inbox              a session's sink: it pauses its inbox, so
//                                  what is sent to it stays queued
//           .../leaf-0 .. leaf-L   the rest, ~98 per session: the first 4
//                                  each have a bounded(8) edge into the sink
//                                  with 4 messages queued; in every 10th
//                                  session leaf-4 sent 9 and is suspended
//
// So the snapshot reports, besides ~100k actor lines, 4,000 bounded edges
// holding 16,000 messages, 100 suspended actors (100 waits in the wait-for
// graph) and the lints the watchdog raises about them (insight is on, with
// its watchdog thread, as in production).
//
// Prints, each the median of `repeat` calls:
//   snapshot weir: X ms              system.snapshot()
//   snapshot-per-actor weir: X us/actor
//   tree-text weir: X ms             system.tree_text() (a snapshot, then its text)
//   tree-walk weir: X ms             baseline: the same tree walked, three counters read per actor
// and the memory:
//   snapshot-bytes weir: X B/actor   the snapshot value, strings included (malloc overhead not)
//   tree-text-bytes weir: X B/actor  the text
//   tree-rss weir: X MB              RSS with the tree built, before any snapshot
//   snapshot-rss weir: X MB          peak RSS of the process, after the snapshots (two
//                                    snapshots and two texts at a time, at most)
//
// Usage: bench_snapshot [actors] [repeat]   (default 100,000 and 5; actors >= 2,111)

#include "bench.hpp"
#include "start_gate.hpp"

#include <weir/detail/tree_walk.hpp>
#include <weir/edge.hpp>
#include <weir/supervisor.hpp>
#include <weir/weir.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;

constexpr std::size_t subsystems = 10;
constexpr std::size_t groups_per_subsystem = 10;
constexpr std::size_t sessions_per_group = 10;
constexpr std::size_t sessions = subsystems * groups_per_subsystem * sessions_per_group;
// Everything above the leaves: the root, its subsystems, the groups, the
// sessions and their sinks.
constexpr std::size_t upper_actors = 1 + subsystems + subsystems * groups_per_subsystem + 2 * sessions;
constexpr std::size_t supervisors = 1 + subsystems;  // weir's own: they do not report to the start gate

constexpr std::size_t edge_capacity = 8;
constexpr std::size_t feeders_per_session = 4;
constexpr std::size_t messages_per_feeder = 4;         // under capacity: queued, not suspended
constexpr std::size_t suspended_every = 10;             // sessions
constexpr std::size_t past_capacity = edge_capacity + 1;  // what a suspended leaf sends: the last is held

struct job {
  std::size_t n;
};

// Takes nothing: pauses its inbox before its first message, so everything
// sent to it stays queued, as in an actor stuck behind slow I/O.
class sink : public weir::actor<job> {
 public:
  explicit sink(bench::start_gate* gate) : gate_(gate) {}
  void on_start() override {
    pause_inbox();
    gate_->arrive();
  }
  void on_message(job&) override {}

 private:
  bench::start_gate* gate_;
};

// An idle actor, or (sends > 0) one that sends `sends` jobs over its own
// bounded edge into the session's sink: up to the capacity they just stay
// queued; past it, the leaf is suspended after on_start.
class leaf : public weir::actor<job> {
 public:
  leaf(bench::start_gate* gate, weir::handle<sink> to, std::size_t sends)
      : gate_(gate), to_(std::move(to)), sends_(sends) {}
  void on_start() override {
    if (sends_ > 0) {
      // Every field spelled out: block_timeout has no default member initializer.
      out_ = weir::connect(to_, weir::bounded{.capacity = edge_capacity,
                                              .on_full = weir::overflow_reaction::suspend,
                                              .block_timeout = std::nullopt});
      for (std::size_t i = 0; i < sends_; ++i) (void)out_.send(job{i});
    }
    gate_->arrive();
  }
  void on_message(job&) override {}

 private:
  bench::start_gate* gate_;
  weir::handle<sink> to_;
  std::size_t sends_;
  weir::edge<sink> out_;
};

// What a group needs to build its share of the tree; copied into each start.
struct shape {
  bench::start_gate* gate = nullptr;
  std::size_t first_session = 0;  // global index of the group's first session
  std::size_t leaves_total = 0;   // over all sessions
};

// Leaves of global session `s`: the total spread as evenly as it goes.
std::size_t leaves_of(const shape& sh, std::size_t s) {
  return sh.leaves_total / sessions + (s < sh.leaves_total % sessions ? 1 : 0);
}

class session : public weir::actor<job> {
 public:
  session(shape sh, std::size_t index) : shape_(sh), index_(index) {}
  void on_start() override {
    const weir::handle<sink> inbox = spawn<sink>("inbox", shape_.gate);
    const std::size_t leaves = leaves_of(shape_, index_);
    for (std::size_t i = 0; i < leaves; ++i) {
      std::size_t sends = i < feeders_per_session ? messages_per_feeder : 0;
      if (i == feeders_per_session && index_ % suspended_every == 0) sends = past_capacity;
      (void)spawn<leaf>("leaf-" + std::to_string(i), shape_.gate, inbox, sends);
    }
    shape_.gate->arrive();
  }
  void on_message(job&) override {}

 private:
  shape shape_;
  std::size_t index_;
};

class group : public weir::actor<job> {
 public:
  explicit group(shape sh) : shape_(sh) {}
  void on_start() override {
    for (std::size_t i = 0; i < sessions_per_group; ++i) {
      (void)spawn<session>("session-" + std::to_string(i), shape_, shape_.first_session + i);
    }
    shape_.gate->arrive();
  }
  void on_message(job&) override {}

 private:
  shape shape_;
};

std::size_t suspended_expected(const shape& sh) {
  std::size_t n = 0;
  for (std::size_t s = 0; s < sessions; s += suspended_every) n += leaves_of(sh, s) > feeders_per_session ? 1 : 0;
  return n;
}

weir::handle<weir::supervisor> spawn_tree(weir::system& sys, const shape& base) {
  using namespace weir;
  const supervisor_flags flags{.strategy = restart_strategy::one_for_one, .intensity = 1, .period = 5s};
  std::vector<child_spec> subs;
  for (std::size_t s = 0; s < subsystems; ++s) {
    std::vector<child_spec> groups;
    for (std::size_t g = 0; g < groups_per_subsystem; ++g) {
      shape sh = base;
      sh.first_session = (s * groups_per_subsystem + g) * sessions_per_group;
      groups.push_back(worker<group>("group-" + std::to_string(g), sh));
    }
    subs.push_back(supervisor_child("sub-" + std::to_string(s), flags, std::move(groups)));
  }
  return sys.spawn<supervisor>("root", flags, std::move(subs));
}

// The heap a string owns beyond the object itself (libstdc++ keeps up to 15
// characters inside it).
std::size_t heap_of(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }

// The snapshot value's size: what holding one costs, allocator overhead aside.
std::size_t bytes_of(const weir::system_snapshot& snap) {
  std::size_t bytes = sizeof snap + snap.actors.capacity() * sizeof(weir::actor_snapshot);
  for (const weir::actor_snapshot& a : snap.actors) {
    bytes += heap_of(a.name) + heap_of(a.path) + heap_of(a.type) + heap_of(a.handling);
    bytes += a.edges.capacity() * sizeof(weir::edge_snapshot);
    for (const weir::edge_snapshot& in : a.edges) bytes += heap_of(in.edge) + heap_of(in.carries) + heap_of(in.policy);
    bytes += a.waits.capacity() * sizeof(weir::wait_record);
    for (const weir::wait_record& w : a.waits) bytes += heap_of(w.on);
  }
  bytes += snap.lints.capacity() * sizeof(weir::lint);
  for (const weir::lint& l : snap.lints) bytes += heap_of(l.path) + heap_of(l.detail);
  return bytes;
}

// Median wall time of `repeat` calls of `fn`, in ms.
template <class Fn>
double median_ms(std::size_t repeat, Fn&& fn) {
  std::vector<double> ms;
  for (std::size_t i = 0; i < repeat; ++i) {
    const bench::stopwatch watch;
    fn();
    ms.push_back(watch.millis());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t actors = bench::arg_or(argc, argv, 1, 100'000);
  const std::size_t repeat = bench::arg_or(argc, argv, 2, 5);
  if (actors < upper_actors) {
    std::fprintf(stderr, "%s: at least %zu actors (the tree above the leaves)\n", argv[0], upper_actors);
    return 2;
  }
  weir::system sys;
  // 100 long waits and a quiet spell with waiters are lints, logged as
  // warnings: real, but not what is measured here.
  sys.log().set_level(spdlog::level::err);
  bench::start_gate gate;
  const shape base{.gate = &gate, .first_session = 0, .leaves_total = actors - upper_actors};
  const bench::stopwatch build;
  const auto root = spawn_tree(sys, base);
  gate.wait_for(actors - supervisors);
  // The last suspensions take effect as their on_start returns, just after
  // arrive(): wait for the wait-for graph to hold them all. Setup only,
  // not timed; bounded by a deadline.
  const std::size_t waits = suspended_expected(base);
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (sys.waits() < waits && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
  std::fprintf(stderr, "bench_snapshot: %zu actors built in %.0f ms\n", actors, build.millis());
  const std::size_t tree_rss_kb = bench::current_rss_kb();

  std::optional<weir::system_snapshot> snap;
  const double snapshot_ms = median_ms(repeat, [&] { snap = sys.snapshot(); });
  std::string text;
  const double text_ms = median_ms(repeat, [&] { text = sys.tree_text(); });
  // Baseline: the same walk over the tree (the children of each parent copied
  // under its lock), reading three counters per actor and building nothing.
  std::uint64_t checksum = 0;
  std::size_t walked = 0;
  const double walk_ms = median_ms(repeat, [&] {
    walked = 1;  // the root
    weir::detail::walk_tree(weir::detail_cell(root), [&](const weir::detail::cell_ptr& c, const weir::detail::cell&) {
      checksum += c->id() + static_cast<std::uint64_t>(c->queued()) + c->handled();
      ++walked;
    });
  });

  // The snapshot must be the tree that was built, or the timing means nothing.
  std::size_t suspended = 0;
  std::int64_t queued = 0;
  std::size_t bounded_edges = 0;
  for (const weir::actor_snapshot& a : snap->actors) {
    suspended += a.state == weir::actor_state::suspended ? 1 : 0;
    queued += a.queued;
    for (const weir::edge_snapshot& in : a.edges) bounded_edges += in.capacity ? 1 : 0;
  }
  const std::size_t feeders = sessions * feeders_per_session;
  std::fprintf(stderr,
               "bench_snapshot: %zu actors in the snapshot (%zu walked, checksum %llu), %zu suspended, %zu bounded "
               "edges, %lld messages queued, %zu waits, %zu lints, text %zu lines\n",
               snap->actors.size(), walked, static_cast<unsigned long long>(checksum), suspended, bounded_edges,
               static_cast<long long>(queued), snap->waits, snap->lints.size(),
               static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  if (!bench::expect_eq("bench_snapshot actors in the snapshot", snap->actors.size(), actors) ||
      !bench::expect_eq("bench_snapshot actors walked", walked, actors) ||
      !bench::expect_eq("bench_snapshot suspended actors", suspended, waits) ||
      !bench::expect_eq("bench_snapshot bounded edges", bounded_edges, feeders + waits) ||
      !bench::expect_eq("bench_snapshot messages queued", static_cast<std::uint64_t>(queued),
                        feeders * messages_per_feeder + waits * edge_capacity)) {
    return 1;
  }

  const auto per_actor = [&](double total) { return total / static_cast<double>(actors); };
  bench::report("snapshot", "weir", snapshot_ms, "ms");
  bench::report("snapshot-per-actor", "weir", per_actor(snapshot_ms * 1e3), "us/actor");
  bench::report("tree-text", "weir", text_ms, "ms");
  bench::report("tree-walk", "weir", walk_ms, "ms");
  bench::report("snapshot-bytes", "weir", per_actor(static_cast<double>(bytes_of(*snap))), "B/actor");
  bench::report("tree-text-bytes", "weir", per_actor(static_cast<double>(text.size())), "B/actor");
  bench::report("tree-rss", "weir", bench::kb_to_mb(tree_rss_kb), "MB");
  bench::report("snapshot-rss", "weir", bench::kb_to_mb(bench::peak_rss_kb()), "MB");
  return 0;
}
