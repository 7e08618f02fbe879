#pragma once
// settings.hpp — every size and pace of the ide_main_loop scenario, in one place.

#include <weir/clock.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ide_main_loop {

using namespace std::chrono_literals;

/// The knobs of the scenario. The edge choices under demonstration are the
/// first group; the rest only shape the load.
struct settings {
  // --- the per-edge answers of SPEC S2 --------------------------------------
  /// client -> main loop: bounded, on_full = suspend. Bounds the requests the
  /// main loop has not looked at yet; the client is suspended past it.
  std::size_t request_capacity = 16;
  /// Requests forwarded to the worker and not yet answered (application
  /// level). The bounded main loop -> worker edge gets one credit more, so it
  /// never runs dry and the main loop is never suspended on it (main_loop.cpp).
  std::size_t max_in_flight = 4;
  /// file watcher -> main loop keyed edge: more distinct paths than this
  /// since the main loop last looked collapse into one "rescan everything".
  std::size_t key_bound = 64;
  /// Weighted-fair draining of the main loop's inboxes {responses, file
  /// batches, requests}: responses are preferred (each frees an in-flight
  /// slot) and a stream of file batches cannot starve requests.
  std::vector<std::uint32_t> inbox_weights = {4, 1, 2};

  // --- the load --------------------------------------------------------------
  /// The client sends this many requests per keystroke (more than
  /// max_in_flight, so the in-flight limit binds)...
  std::size_t requests_per_tick = 5;
  /// ...one keystroke every tick (well under the worker's capacity)...
  weir::clock::duration tick = 1ms;
  /// ...and keeps at most this many unanswered (like HTTP/2's max concurrent
  /// streams). This, not the client edge, bounds the main loop's local queue.
  std::size_t window = 32;
  /// The worker waits this long on its external tool per request, one at a time.
  weir::clock::duration job_time = 60us;
  /// The watcher takes at most this many events from the OS per read...
  std::size_t read_size = 4096;
  /// ...one read every interval while a phase lasts.
  weir::clock::duration read_interval = 1ms;
  /// Distinct paths touched by the flood (a branch switch); also the size of
  /// the project a rescan walks.
  std::size_t flood_paths = 100'000;
  /// Files the indexer re-reads per turn of a rescan (about 0.35 ms of CPU).
  std::size_t slice_files = 2000;
  /// Answers the client gets before any file changes (a baseline).
  std::size_t warmup_answers = 120;
};

}  // namespace ide_main_loop
