// ide_main_loop — story S2, "sizing channels: deadlock freedom vs back pressure".
//
// An IDE's main loop relays the client's requests to a worker and back while
// a file watcher reports "path changed" faster than the main loop can take
// it. Each classic answer is one choice per edge (ide_main_loop_actors.hpp):
//
//   client -> main_loop        bounded(16), suspend: the client waits when the main loop is behind
//   main_loop -> worker        bounded with credits, and at most 4 requests in flight
//   worker -> main_loop        unbounded: back edges never block, so the two-way
//   main_loop -> client        unbounded  fixed-size-channel deadlock cannot happen
//   file_watcher -> main_loop  keyed_edge: paths merge into one set, past 64 into one "rescan everything"
//   main_loop -> indexer       pulse_edge: any number of rescans asked arrive as one
//
// and the main loop drains its inboxes weighted-fair, responses first. The
// checks are tests/samples/ide_main_loop.test.cpp. Usage: ide_main_loop [--flood PATHS] [--threads T]

#include "ide_main_loop_actors.hpp"

#include "../common/options.hpp"

#include <weir/system.hpp>

#include <cstdio>

using namespace ide_main_loop;

int main(int argc, char** argv) {
  samples::positive flood = 100'000, threads = 2;
  samples::po::options_description flags("options");
  flags.add_options()                                                                                     //
      ("flood", samples::po::value(&flood)->default_value(flood), "distinct paths a branch switch changes")  //
      ("threads", samples::po::value(&threads)->default_value(threads), "threads in the system's pool");
  samples::parse(argc, argv, "[options]", flags);

  weir::system_config config;
  config.threads = threads;
  weir::system sys(std::move(config));
  const settings s;
  counters c;  // read after shutdown
  const auto editor = sys.spawn<client>("client", s, c);
  const auto index = sys.spawn<indexer>("indexer", c);
  const auto loop = sys.spawn<main_loop>("main_loop", editor, index, s, c);
  const auto watcher = sys.spawn<file_watcher>("file_watcher", loop, s);
  editor.send(start_stream{loop});

  std::printf("ide_main_loop: client, main loop, worker, indexer and file watcher on %zu threads\n", sys.thread_count());
  const std::vector<std::string> saves = {"src/editor/buffer.cpp", "src/editor/buffer.hpp", "src/editor/undo.cpp"};
  const std::pair<const char*, std::size_t> phases[] = {{"burst (a)", 0}, {"flood (b)", flood}, {"burst (c)", 0}};
  const auto u = [](std::uint64_t n) { return static_cast<unsigned long long>(n); };
  weir::edge_stats before{};
  for (const auto& [name, paths] : phases) {  // a burst: four events per save
    emit_changes changes{paths == 0 ? saves : std::vector<std::string>{}, paths == 0 ? 4 * saves.size() : paths, {}};
    auto done = changes.done.get_future();
    watcher.send(std::move(changes));
    const weir::edge_stats after = done.get();
    const std::uint64_t events = after.sent - before.sent;
    const std::uint64_t batches = events - (after.coalesced - before.coalesced);
    std::printf("  %-10s %6llu change events -> %llu batches for the main loop\n", name, u(events), u(batches));
    before = after;
  }
  std::promise<void> drained;
  auto all_answered = drained.get_future();
  editor.send(stop_stream{std::move(drained)});
  all_answered.wait();
  sys.shutdown();

  std::printf("  requests   %llu sent, %llu answered, %llu out of order, %llu dropped by the editor (window full)\n",
              u(c.sent), u(c.answered), u(c.out_of_order), u(c.skipped));
  std::printf("  in flight  at most %zu at the worker, %zu queued in the main loop\n", c.max_in_flight, c.max_queued);
  std::printf("  files      %llu batches: %llu path sets (%llu paths), %llu overflows -> %llu rescans\n", u(c.batches),
              u(c.path_sets), u(c.paths_reindexed), u(c.overflows), u(c.rescans));
  if (c.answered != c.sent || c.out_of_order != 0 || sys.crashes() != 0) return 1;
  std::printf("ide_main_loop weir: %llu events coalesced into %llu deliveries\n", u(before.sent),
              u(before.sent - before.coalesced));
  return 0;
}
