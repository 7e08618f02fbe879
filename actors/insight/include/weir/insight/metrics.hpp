#pragma once
// weir/insight/metrics.hpp — a running system in the Prometheus text exposition format.

#include <weir/insight/metrics_config.hpp>
#include <weir/snapshot.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace weir {
class system;
}

namespace weir::insight {

/// The counts the snapshot does not carry, read from the system beside it.
struct system_counters {
  std::uint64_t lints_raised[lint_kinds] = {};  ///< by lint_kind
  std::uint64_t waits_begun = 0;
  std::uint64_t late_request_replies = 0;
  std::size_t pending_requests = 0;
};

/// Throws std::invalid_argument naming the first invalid field of `config`.
void validate(const metrics_config& config);

/// `snapshot` and `counters` as Prometheus text (format 0.0.4), every family
/// named `weir_...` with its HELP and TYPE, in a fixed order:
///
///     weir_actors_live, weir_actors_started_total, weir_crashes_total,
///     weir_dead_letters_total, weir_cycles_detected_total, weir_cycles_standing,
///     weir_lints_raised_total{kind}, weir_lints_holding{kind}, weir_waits,
///     weir_waits_begun_total, weir_requests_pending,
///     weir_late_request_replies_total, weir_uptime_seconds;
///     weir_actor_{handled_total,queued,dead_letters_total,restarts_total}{actor};
///     weir_edge_{sent,handled,dropped,refused,coalesced,dead_lettered}_total{from,to},
///     weir_edge_depth{from,to}, weir_edge_credits{from,to} (bounded edges only).
///
/// A pure function of its arguments: any thread. Throws std::invalid_argument
/// for an invalid config.
[[nodiscard]] std::string metrics_text(const system_snapshot& snapshot, const system_counters& counters,
                                       const metrics_config& config = {});

/// The same for `system` now: its snapshot and counters. Any thread.
[[nodiscard]] std::string metrics_text(const weir::system& system, const metrics_config& config = {});

}  // namespace weir::insight
