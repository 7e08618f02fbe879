#pragma once
// weir/insight/json.hpp — a system snapshot as JSON (the shape snapshot.schema.json describes).

#include <weir/clock.hpp>
#include <weir/snapshot.hpp>

#include <boost/json/value.hpp>

namespace weir {
class system;
}

namespace weir::insight {

/// The snapshot as a JSON value, field for field, in the shape that
/// actors/insight/snapshot.schema.json describes:
///
/// - durations are whole milliseconds, in fields named `..._ms`;
/// - a wait's start becomes its age at `now` (`waits[].for_ms`, never
///   negative), so the JSON needs no clock to be read;
/// - enums are their to_string() text ("waiting-reply", "long_wait");
/// - a value the snapshot leaves out (an edge's capacity and credits on an
///   edge that is not bounded; a cycle member's depth and capacity for a
///   reply wait) is null;
/// - ids are integers, 0 meaning "none" exactly as in the snapshot (the
///   parent of a top-level actor, the actor of a system-wide lint);
/// - every deadlock report and lint also carries its to_string() as `text`.
///
/// Pure functions of their arguments: any thread.
[[nodiscard]] boost::json::value to_json(const system_snapshot& snapshot, clock::time_point now);
[[nodiscard]] boost::json::value to_json(const actor_snapshot& actor, clock::time_point now);
[[nodiscard]] boost::json::value to_json(const edge_snapshot& edge);
/// Its totals flattened beside the label: `edges`, `depth`, `sent`, ...,
/// `suspensions` and `suspended_ms` (no credits: a closed edge has none).
[[nodiscard]] boost::json::value to_json(const closed_edge_snapshot& closed);
[[nodiscard]] boost::json::value to_json(const wait_record& wait, clock::time_point now);
[[nodiscard]] boost::json::value to_json(const deadlock_report& cycle);
[[nodiscard]] boost::json::value to_json(const lint& finding);

/// `system.snapshot()` as JSON, its waits aged on the system's clock read
/// just after the snapshot. Any thread (system::snapshot's consistency).
[[nodiscard]] boost::json::value snapshot_json(const weir::system& system);

}  // namespace weir::insight
