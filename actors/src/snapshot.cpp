#include <weir/detail/take_snapshot.hpp>

#include <weir/detail/runtime.hpp>
#include <weir/detail/tree_walk.hpp>
#include <weir/detail/type_name.hpp>
#include <weir/detail/watchdog.hpp>

#include <algorithm>
#include <unordered_map>

namespace weir::detail {
namespace {

struct running_handler {
  const std::type_info* message = nullptr;
  std::int64_t since_ms = 0;
};

actor_state state_of(const cell& c, bool running) {
  switch (c.current_phase()) {
    case phase::created: return actor_state::starting;
    case phase::stopping: return actor_state::stopping;
    case phase::exited: return actor_state::exited;
    case phase::stopped: return actor_state::stopping;  // its last turn is ending as we read
    case phase::running: break;
  }
  if (running) return actor_state::running;
  if (c.is_suspended()) return actor_state::suspended;
  if (c.is_paused()) return actor_state::paused;
  if (c.pending_asks() > 0) return actor_state::waiting_reply;
  if (!c.is_asleep()) return actor_state::scheduled;
  // Asleep with messages queued: it chose not to take them (pause_inbox,
  // testing::hold). Queued counts are published before an actor sleeps.
  return c.queued() > 0 ? actor_state::paused : actor_state::idle;
}

// A cell's 32-bit stamp against the snapshot's clock. A handler that ends
// while the snapshot runs may stamp a time a little after `now_ms`: that is
// no age at all, not 49 days.
std::uint32_t age_ms(std::int64_t now_ms, std::uint32_t stamp) {
  const std::uint32_t age = static_cast<std::uint32_t>(now_ms) - stamp;
  constexpr std::uint32_t ahead = 0xFFFF0000u;  // a stamp up to ~65 s in the future
  return age > ahead ? 0 : age;
}

edge_snapshot describe_edge(const edge_state& edge) {
  const edge_stats stats = edge.stats();
  edge_snapshot in;
  in.edge = edge.describe();
  in.carries = edge.carries != nullptr ? type_name(*edge.carries) : std::string{};
  in.policy = edge.policy_text();
  in.depth = stats.depth;
  in.held = stats.held;
  if (const bounded* b = edge.as_bounded()) {
    in.capacity = static_cast<std::int64_t>(b->capacity);
    in.credits = stats.credits;
  }
  in.sent = stats.sent;
  in.handled = stats.handled;
  in.refused = stats.refused;
  in.dropped = stats.dropped;
  in.coalesced = stats.coalesced;
  in.dead_lettered = stats.dead_lettered;
  in.approx_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(stats.depth, 0)) * edge.largest_message();
  return in;
}

}  // namespace

system_snapshot take_snapshot(runtime& rt, const cell& root, const watchdog* lints) {
  system_snapshot out;
  const std::int64_t now_ms = rt.advance_coarse_clock(rt.clock->now());
  out.uptime = std::chrono::milliseconds(now_ms);

  std::unordered_map<actor_id, running_handler> running;
  rt.slots.for_each([&](const turn_slot& slot) {
    if (const actor_id id = slot.actor.load(std::memory_order_relaxed); id != 0) {
      running[id] = {slot.message.load(std::memory_order_relaxed), slot.since_ms.load(std::memory_order_relaxed)};
    }
  });

  // The walk's references keep every cell alive until the edges are matched
  // to them, so an edge's receiver is only ever read through these.
  std::vector<cell_ptr> cells;
  std::unordered_map<const cell*, std::size_t> index;
  walk_tree(root, [&](const cell_ptr& c, const cell& parent) {
    const auto at = running.find(c->id());
    actor_snapshot a;
    a.id = c->id();
    a.parent = &parent == &root ? 0 : parent.id();
    a.name = c->name();
    a.path = c->path();
    a.type = c->behavior_type() != nullptr ? type_name(*c->behavior_type()) : std::string{};
    a.state = state_of(*c, at != running.end());
    if (at != running.end() && at->second.message != nullptr) {
      a.handling = type_name(*at->second.message);
      a.handling_for = std::chrono::milliseconds(std::max<std::int64_t>(0, now_ms - at->second.since_ms));
    }
    a.queued = c->queued();
    a.handled = c->handled();
    a.dead_letters = c->dead_letters();
    a.restarts = c->restarts();
    a.waits = c->waits();
    if (rt.insight) {
      a.since_progress = std::chrono::milliseconds(age_ms(now_ms, c->last_progress_ms()));
      a.longest_handler = std::chrono::milliseconds(c->longest_handler_ms());
    }
    index.emplace(c.get(), out.actors.size());
    out.actors.push_back(std::move(a));
    cells.push_back(c);
  });

  closed_edge_totals into_stopped;
  closed_edge_totals closed = rt.edges.visit([&](const edge_state& edge) {
    const auto at = index.find(&edge.receiver);  // compares addresses only
    if (at != index.end()) {
      actor_snapshot& a = out.actors[at->second];
      a.edges.push_back(describe_edge(edge));
      a.approx_bytes_queued += a.edges.back().approx_bytes;
      return;
    }
    // Not in the tree: its receiver stopped for good (the edge is closed),
    // or has not been adopted yet. Its receiver is alive to be asked: a live
    // edge's receiver is held by the sender's handle or a parked edge's
    // book, or else frees its edges (queued messages) before it is freed,
    // which takes the lock held here.
    if (edge.receiver.current_phase() == phase::stopped) add_closed(into_stopped, edge);
  });
  for (auto& [key, sum] : into_stopped) {
    closed_edge_sum& into = closed[key];
    into.edges += sum.edges;
    into.totals += sum.totals;
  }
  out.closed_edges.reserve(closed.size());
  for (auto& [key, sum] : closed) {
    out.closed_edges.push_back({key.edge, key.carries, key.policy, sum.edges, sum.totals});
  }

  out.cycles = rt.waits.cycles(rt.config.deadlock);
  if (lints != nullptr) out.lints = lints->lints();
  out.live_actors = rt.live.load(std::memory_order_relaxed);
  out.started_actors = rt.started.load(std::memory_order_relaxed);
  out.dead_letters = rt.dead_letters.load(std::memory_order_relaxed);
  out.crashes = rt.crashes.load(std::memory_order_relaxed);
  out.deadlocks = rt.deadlocks.load(std::memory_order_relaxed);
  out.waits = rt.waits.size();
  return out;
}

}  // namespace weir::detail

namespace weir {

std::string system_snapshot::to_text() const {
  std::string out;
  std::unordered_map<actor_id, std::size_t> depth_of;
  for (const actor_snapshot& a : actors) {
    const std::size_t depth = a.parent == 0 ? 0 : depth_of[a.parent] + 1;
    depth_of[a.id] = depth;
    out.append(2 * depth, ' ');
    out += a.path + "  " + std::string(to_string(a.state));
    if (!a.handling.empty()) out += " (" + a.handling + " for " + std::to_string(a.handling_for.count()) + " ms)";
    out += "  handled=" + std::to_string(a.handled) + " queued=" + std::to_string(a.queued);
    if (a.restarts > 0) out += " restarts=" + std::to_string(a.restarts);
    for (const wait_record& w : a.waits) {
      out += w.kind == wait_kind::credit ? "  waits for credit on " : "  waits for a reply from ";
      out += w.on;
    }
    out += '\n';
  }
  for (const deadlock_report& cycle : cycles) out += "cycle: " + cycle.to_string() + '\n';
  for (const lint& l : lints) out += "lint: " + l.to_string() + '\n';
  if (!closed_edges.empty()) {
    std::uint64_t edges = 0;
    edge_stats sum;
    for (const closed_edge_snapshot& c : closed_edges) {
      edges += c.edges;
      sum += c.totals;
    }
    out += "closed edges: " + std::to_string(edges) + " sent=" + std::to_string(sum.sent) +
           " handled=" + std::to_string(sum.handled) + " refused=" + std::to_string(sum.refused) +
           " dropped=" + std::to_string(sum.dropped) + " coalesced=" + std::to_string(sum.coalesced) +
           " dead_lettered=" + std::to_string(sum.dead_lettered) + " depth=" + std::to_string(sum.depth) + '\n';
  }
  return out;
}

const actor_snapshot* system_snapshot::find(std::string_view path) const {
  for (const actor_snapshot& a : actors) {
    if (a.path == path) return &a;
  }
  return nullptr;
}

}  // namespace weir
