#pragma once
// weir/insight/metrics_config.hpp — how many series /metrics may hold (see metrics.hpp).

#include <cstddef>

namespace weir::insight {

/// How many series /metrics may hold. Actor paths are as many as actors, so
/// labels never carry a path whole:
///
/// - an `actor`, `from` or `to` label is the path cut to its first
///   `path_depth` segments ("/shop/db/conn17" at depth 2 is "/shop/db"), and
///   carries the sums over that subtree;
/// - of those, the `max_series` most active (handled + queued + dead letters
///   for actors, sent for edges) get a series each, and the rest are summed
///   under "(other)" (from="(other)",to="(other)" for edges);
/// - other label values are fixed sets: `kind` (the four lint kinds), and an
///   edge's sender "ad hoc" or "(outside)" when no actor opened it.
///
/// So each family has at most max_series + 1 series, whatever the load.
/// Counters are sums over live actors (and, for edges, closed ones too), so a
/// subtree's actor counter goes down when an actor in it stops; Prometheus'
/// rate() reads that as a counter reset.
///
/// Invalid values are rejected by metrics_text and http_server with std::invalid_argument
/// naming the field.
struct metrics_config {
  /// Path segments kept in a label. Must be >= 1.
  std::size_t path_depth = 2;
  /// Series per labelled family, "(other)" aside. Must be >= 1.
  std::size_t max_series = 50;
};

}  // namespace weir::insight
