#pragma once
// weir/snapshot.hpp — every actor of a running system, as one value.

#include <weir/deadlock.hpp>
#include <weir/edge_stats.hpp>
#include <weir/lint.hpp>
#include <weir/wait_record.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

/// What an actor is doing at the moment it is read.
enum class actor_state : std::uint8_t {
  starting,       ///< spawned, on_start not yet run
  idle,           ///< nothing to do: asleep until a message arrives
  scheduled,      ///< has work, waiting for a thread
  running,        ///< a thread runs one of its handlers right now
  suspended,      ///< out of credit on a bounded edge (see waits)
  waiting_reply,  ///< has asks pending (and still serves other messages)
  paused,         ///< not taking messages: paying a soft penalty, or its inbox paused
  stopping,       ///< stopping its children, or running on_stop
  exited,         ///< supervised, ended, its supervisor has not decided yet
};

constexpr std::string_view to_string(actor_state s) noexcept {
  switch (s) {
    case actor_state::starting: return "starting";
    case actor_state::idle: return "idle";
    case actor_state::scheduled: return "scheduled";
    case actor_state::running: return "running";
    case actor_state::suspended: return "suspended";
    case actor_state::waiting_reply: return "waiting-reply";
    case actor_state::paused: return "paused";
    case actor_state::stopping: return "stopping";
    case actor_state::exited: return "exited";
  }
  return "?";
}

/// One edge into an actor, with its policy, credit and counters (see
/// edge_stats for their meaning). Capacity and credit belong to edges, not
/// to inboxes, so what waits for an actor is reported per edge.
struct edge_snapshot {
  std::string edge;         ///< "/sender -> /receiver", "ad hoc -> /receiver", "(outside) -> /receiver"
  std::string carries;      ///< the message interface the edge was opened for ("" for ad hoc: all)
  std::string policy;       ///< "bounded(16, suspend)", "unbounded", "unbounded(penalty)", "pulse", ...
  std::int64_t depth = 0;   ///< accepted, not yet consumed (held ones included)
  std::int64_t held = 0;    ///< of depth: held at the sender's end for want of credit (see bounded)
  std::optional<std::int64_t> capacity;  ///< bounded edges only
  std::optional<std::int64_t> credits;   ///< bounded edges only: capacity - in flight at the receiver (+ overflow credit)
  std::uint64_t sent = 0;
  std::uint64_t handled = 0;
  std::uint64_t refused = 0;
  std::uint64_t dropped = 0;
  std::uint64_t coalesced = 0;
  std::uint64_t dead_lettered = 0;
  std::uint64_t approx_bytes = 0;  ///< depth x the largest message node seen on the edge
};

/// Edges closed for good, with their final counts: the sender let go of the
/// edge with nothing left in flight (a restarted sender whose new behaviour
/// did not reopen it, an edge member reset), or its receiver stopped for
/// good (edges to it from then on only count dead letters). Edges alike (same
/// label, interface and policy) are summed into one entry, so restarts and
/// short-lived actors do not grow snapshots: past 1,024 distinct entries,
/// the rest are summed as "(other closed edges)". Edges that carried
/// nothing are left out.
///
/// With the live actors' edges they account for every message sent on
/// any edge in the system's run: summed over both, the law of edge_stats
/// holds.
struct closed_edge_snapshot {
  std::string edge;         ///< as edge_snapshot::edge; or "(other closed edges)"
  std::string carries;      ///< as edge_snapshot::carries
  std::string policy;       ///< as edge_snapshot::policy
  std::uint64_t edges = 0;  ///< how many closed edges this entry sums
  /// Their counters summed; depth is what edges into stopped receivers still
  /// hold (0 once those are gone); credits is -1: a closed edge has none.
  edge_stats totals;
};

/// One actor, read without stopping it (see system::snapshot for consistency).
struct actor_snapshot {
  actor_id id = 0;
  actor_id parent = 0;    ///< 0 for a top-level actor
  std::string name;
  std::string path;
  std::string type;       ///< the behaviour's class
  actor_state state = actor_state::idle;
  /// While running: the message type being handled, and for how long.
  std::string handling;
  std::chrono::milliseconds handling_for{0};
  std::vector<edge_snapshot> edges;  ///< edges into it that are still open or hold messages
  std::int64_t queued = 0;            ///< user messages not yet consumed, all edges and inboxes
  std::uint64_t approx_bytes_queued = 0;
  std::uint64_t handled = 0;
  std::uint64_t dead_letters = 0;
  std::uint32_t restarts = 0;
  std::vector<wait_record> waits;       ///< the edge or reply it waits on
  /// Since it last finished a handler (or started): the watchdog's resolution.
  std::chrono::milliseconds since_progress{0};
  /// The longest a handler of this actor has run, to the watchdog's resolution.
  std::chrono::milliseconds longest_handler{0};
};

/// The whole system at one call. Actors come in tree order: every parent
/// before its children, siblings oldest first.
struct system_snapshot {
  std::chrono::milliseconds uptime{0};  ///< on the system's clock
  std::vector<actor_snapshot> actors;
  std::vector<deadlock_report> cycles;  ///< wait-for cycles standing now
  std::vector<lint> lints;              ///< lints raised and still holding
  std::vector<closed_edge_snapshot> closed_edges;  ///< by edge label, then interface, then policy
  std::int64_t live_actors = 0;
  std::uint64_t started_actors = 0;
  std::uint64_t dead_letters = 0;
  std::uint64_t crashes = 0;
  std::uint64_t deadlocks = 0;  ///< cycles detected so far
  std::size_t waits = 0;

  /// The tree as text, one line per actor indented under its parent, then
  /// the cycles and lints, and the closed edges' totals if there are any:
  /// what system::tree_text() and the SIGUSR1 dump print.
  [[nodiscard]] std::string to_text() const;
  /// The actor with `path`, or null.
  [[nodiscard]] const actor_snapshot* find(std::string_view path) const;
};

}  // namespace weir
