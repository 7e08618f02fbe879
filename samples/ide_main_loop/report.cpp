#include "report.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace ide_main_loop {

namespace {

constexpr const char* watcher_edge = "file_watcher -> main_loop";
constexpr const char* indexer_edge = "main_loop -> indexer";

unsigned long long u(std::uint64_t v) { return static_cast<unsigned long long>(v); }
double us(weir::clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }
double ms(weir::clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::uint64_t accounted(const weir::edge_stats& e) {
  return e.handled + e.refused + e.dropped + e.coalesced + e.dead_lettered + static_cast<std::uint64_t>(e.depth);
}

request_waits waits_of(const scenario_result& r, std::size_t phase) {
  return phase < r.loop.waits.size() ? r.loop.waits[phase] : request_waits{};
}

std::uint64_t max_wait_messages(const scenario_result& r) {
  std::uint64_t most = 0;
  for (const request_waits& w : r.loop.waits) most = std::max(most, w.max_messages);
  return most;
}

// Everything the main loop handles while a request waits is another request
// ahead of it (fewer than the window), a response to one of those (fewer
// than the window), the scenario's sync, or a file batch, of which the
// coalescing edge keeps at most one waiting and fair draining serves at most
// one per two requests. Whatever the flood's size, that is under 4 windows.
std::uint64_t wait_bound(const settings& s) { return 4 * s.window; }

void print_setup(const scenario_result& r, const settings& s) {
  if (r.manual) {
    std::printf("ide_main_loop: client, main loop, worker, indexer and file watcher, turn by turn on virtual time (--manual)\n");
  } else {
    std::printf("ide_main_loop: client, main loop, worker, indexer and file watcher on a pool of %zu threads\n", r.threads);
  }
  std::printf("  edges      client -> main_loop        bounded(%zu), suspend: the client stops when the main loop is behind\n"
              "             main_loop -> worker        bounded(%zu), suspend: forward edge with credits\n"
              "             worker -> main_loop        unbounded, no penalty: a back edge never blocks\n"
              "             main_loop -> client        unbounded, no penalty: a back edge never blocks\n"
              "             file_watcher -> main_loop  keyed_edge<path>, key bound %zu: merges, or collapses into an overflow\n"
              "             main_loop -> indexer       pulse_edge: at most one rescan signal queued, however many are sent\n",
              s.request_capacity, s.max_in_flight + 1, s.key_bound);
  std::printf("  main loop  inboxes responses, file batches, requests, drained fairly %u:%u:%u; "
              "at most %zu requests in flight\n",
              s.inbox_weights.at(0), s.inbox_weights.at(1), s.inbox_weights.at(2), s.max_in_flight);
  std::printf("  load       %zu requests per keystroke, one every %.0f us, at most %zu unanswered; worker %.0f us a request\n"
              "             watcher reads up to %zu events every %.0f us; flood of %zu paths\n"
              "             indexer rescans all %zu files of the project in turns of %zu files\n\n",
              s.requests_per_tick, us(s.tick), s.window, us(s.job_time), s.read_size, us(s.read_interval),
              s.flood_paths, s.flood_paths, s.slice_files);
}

void print_phases(const scenario_result& r) {
  std::printf("  %-10s %7s %7s %9s %9s %7s %8s %8s %14s %16s\n", "phase", "events", "batches", "path sets",
              "overflows", "rescans", "took", "requests", "waited behind", "waited in inbox");
  std::printf("  %-10s %7s %7s %9s %9s %7s %8s %8s %14s %16s\n", "", "", "", "", "", "",
              r.manual ? "(virtual)" : "", "", "(messages, max)", r.manual ? "(virtual, max)" : "(us, mean / max)");
  for (std::size_t i = 0; i < r.phases.size(); ++i) {
    const phase_result& p = r.phases[i];
    const request_waits w = waits_of(r, i);
    char took[24];
    std::snprintf(took, sizeof took, "%.1f ms", ms(p.took));
    char waited[48] = "-";
    if (w.requests > 0 && !r.manual) {
      std::snprintf(waited, sizeof waited, "%.0f / %.0f", us(w.total_time) / static_cast<double>(w.requests),
                    us(w.max_time));
    } else if (w.requests > 0) {
      std::snprintf(waited, sizeof waited, "%.0f us", us(w.max_time));
    }
    std::printf("  %-10s %7llu %7llu %9llu %9llu %7llu %8s %8llu %14s %16s\n", p.name.c_str(), u(p.events),
                u(p.deliveries), u(p.handled.path_sets), u(p.handled.overflows), u(p.rescans), took, u(w.requests),
                w.requests > 0 ? std::to_string(w.max_messages).c_str() : "-", waited);
  }
  if (!r.manual) {
    std::printf("  (waited in inbox: from the client's send to the main loop's handler, including any wait for a\n"
                "   free pool thread while the indexer and the watcher use them; wall time on a shared machine)\n");
  }
  std::printf("\n");
}

weir::edge_stats stats_of(const scenario_result& r, const char* name) {
  for (const edge_ledger::entry& e : r.edges) {
    if (e.name == name) return e.stats;
  }
  return {};
}

void print_figures(const scenario_result& r, const settings& s) {
  const weir::edge_stats changes = stats_of(r, watcher_edge);
  const weir::edge_stats pulses = stats_of(r, indexer_edge);
  const file_counters& f = r.loop.files;
  std::printf("  coalescing keyed edge: %llu change events -> %llu batches: %llu path sets (%llu paths reindexed, "
              "at most %zu at once), %llu overflows\n",
              u(changes.sent), u(changes.handled), u(f.path_sets), u(f.paths_reindexed), f.largest_path_set,
              u(f.overflows));
  std::printf("             pulse edge: %llu rescan signals -> %llu deliveries -> %llu rescans (signals that arrive "
              "mid-rescan fold into one more)\n",
              u(pulses.sent), u(pulses.handled), u(r.index.rescans));
  std::printf("  requests   %llu sent, %llu answered, %llu out of order; %llu dropped by the editor, its window full;\n"
              "             keystrokes that used the client edge's last credit (a suspension follows): %llu\n",
              u(r.client.sent), u(r.client.answered), u(r.client.out_of_order), u(r.client.skipped),
              u(r.client.ran_dry));
  std::printf("  in flight  at most %zu at the worker (bound %zu); at most %zu queued in the main loop "
              "(bound %zu = window - in flight);\n"
              "             jobs that used the worker edge's last credit, suspending the main loop: %llu\n",
              r.loop.max_in_flight, s.max_in_flight, r.loop.max_queued, s.window - s.max_in_flight,
              u(r.loop.forward_ran_dry));
  std::printf("  waits      a request waited behind at most %llu main-loop messages in any phase "
              "(bound %llu, whatever the flood's size)\n\n",
              u(max_wait_messages(r)), u(wait_bound(s)));
}

void print_edges(const scenario_result& r) {
  std::printf("  edges, final counters (read after shutdown): sent = handled + refused + dropped + coalesced + "
              "dead + depth\n");
  std::printf("    %-26s %8s %8s %7s %7s %9s %5s %5s %10s  %s\n", "edge", "sent", "handled", "refused", "dropped",
              "coalesced", "dead", "depth", "suspended", "conserved");
  for (const edge_ledger::entry& e : r.edges) {
    const weir::edge_stats& s = e.stats;
    std::printf("    %-26s %8llu %8llu %7llu %7llu %9llu %5llu %5lld %7.2f ms  %s\n", e.name.c_str(), u(s.sent),
                u(s.handled), u(s.refused), u(s.dropped), u(s.coalesced), u(s.dead_lettered),
                static_cast<long long>(s.depth), ms(s.suspended), s.sent == accounted(s) ? "yes" : "NO");
  }
  std::printf("  system     %llu actor crashes, %llu dead letters\n", u(r.crashes), u(r.dead_letters));
}

}  // namespace

coalescing_totals totals(const scenario_result& r) {
  const weir::edge_stats changes = stats_of(r, watcher_edge);
  return {changes.sent, changes.handled};
}

void print_report(const scenario_result& result, const settings& config) {
  print_setup(result, config);
  print_phases(result);
  print_figures(result, config);
  print_edges(result);
}

std::vector<std::string> failed_checks(const scenario_result& r, const settings& s) {
  std::vector<std::string> failed;
  const auto expect = [&](bool ok, const std::string& what) {
    if (!ok) failed.push_back(what);
  };

  expect(r.crashes == 0, "actors crashed (see stderr)");
  expect(r.dead_letters == 0, std::to_string(r.dead_letters) + " dead letters");

  // Nothing lost, nothing reordered, everything bounded.
  expect(r.client.sent > 0 && r.client.answered == r.client.sent,
         std::to_string(r.client.answered) + " of " + std::to_string(r.client.sent) + " requests answered");
  expect(r.client.out_of_order == 0, std::to_string(r.client.out_of_order) + " answers out of order");
  expect(r.loop.requests == r.client.sent, "the main loop handled " + std::to_string(r.loop.requests) + " of " +
                                               std::to_string(r.client.sent) + " requests");
  expect(r.loop.max_in_flight <= s.max_in_flight,
         std::to_string(r.loop.max_in_flight) + " requests in flight, over the bound");
  expect(r.loop.forward_ran_dry == 0, "the main loop ran out of credit to the worker");
  expect(r.loop.max_queued <= s.window - s.max_in_flight,
         std::to_string(r.loop.max_queued) + " requests queued in the main loop, over window - in flight");
  expect(r.edges.size() == 6, std::to_string(r.edges.size()) + " edges in the ledger, expected 6");
  for (const edge_ledger::entry& e : r.edges) {
    expect(e.stats.sent == accounted(e.stats) && e.stats.depth == 0, e.name + ": counters do not add up to sent");
  }

  // Coalescing: bursts arrive as path sets, the flood as rescans.
  std::uint64_t deliveries = 0;
  for (std::size_t i = 1; i < r.phases.size(); ++i) {
    const phase_result& p = r.phases[i];
    deliveries += p.deliveries;
    const bool flood = p.events > s.key_bound;
    if (flood) {
      expect(p.deliveries < p.events && p.handled.overflows >= 1 && p.rescans >= 1 &&
                 p.rescans <= p.handled.overflows,
             p.name + ": the flood was not collapsed into rescans");
      expect(waits_of(r, i).requests > 0, p.name + ": no request was served during the flood");
    } else {
      expect(p.handled.overflows == 0 && p.handled.path_sets >= 1, p.name + ": the burst did not arrive as paths");
    }
    expect(p.handled.deliveries == p.deliveries, p.name + ": the main loop handled " +
                                                     std::to_string(p.handled.deliveries) + " of " +
                                                     std::to_string(p.deliveries) + " batches");
  }
  expect(r.loop.files.deliveries == deliveries, "batches handled after the last phase");
  expect(r.loop.files.largest_path_set <= s.key_bound, "a path set larger than the key bound");
  expect(r.index.pulses == r.loop.files.overflows && r.index.pulses_done == r.index.pulses,
         "the indexer missed rescan signals");

  // Responsiveness: never stuck behind the flood (served during it: above).
  const std::uint64_t max_wait = max_wait_messages(r);
  expect(max_wait <= wait_bound(s), "a request waited behind " + std::to_string(max_wait) + " messages");
  return failed;
}

}  // namespace ide_main_loop
