#include <weir/detail/wait_graph.hpp>

#include <weir/detail/cell.hpp>
#include <weir/detail/edge_state.hpp>
#include <weir/detail/type_name.hpp>

#include <algorithm>
#include <unordered_map>

namespace weir::detail {

// Depth-first from the new arc's target, over the arcs of waiting actors,
// looking for the new arc's waiter. The graph is sparse (an actor waits on
// one edge, plus its asks), so this touches only actors that wait. Empty when
// the arc waits on its own waiter (a cycle of one); nullopt when no cycle.
std::optional<std::vector<const wait_arc*>> wait_graph::path_back(const wait_arc& arc) const {
  std::unordered_map<const cell*, const wait_arc*> reached_by{{arc.target, nullptr}};
  std::vector<const cell*> stack{arc.target};
  while (!stack.empty()) {
    const cell* at = stack.back();
    stack.pop_back();
    if (at == arc.waiter) {
      std::vector<const wait_arc*> path;  // arc.target ... -> arc.waiter, then reversed
      for (const wait_arc* step = reached_by[at]; step != nullptr; step = reached_by[step->waiter]) {
        path.push_back(step);
      }
      std::reverse(path.begin(), path.end());
      return path;
    }
    auto outs = out_.find(at);
    if (outs == out_.end()) continue;
    for (const wait_arc& next : outs->second) {
      if (!waiting(next)) continue;
      if (reached_by.emplace(next.target, &next).second) stack.push_back(next.target);
    }
  }
  return std::nullopt;
}

namespace {

deadlock_report::member describe(const wait_arc& arc) {
  deadlock_report::member m;
  m.id = arc.waiter->id();
  m.path = arc.waiter->path();
  m.kind = arc.kind;
  if (arc.kind == wait_kind::credit && arc.edge != nullptr) {
    m.on = arc.edge->describe();
    if (arc.edge->carries != nullptr) m.message_type = type_name(*arc.edge->carries);
    m.depth = arc.edge->in_flight();
    if (const bounded* b = arc.edge->as_bounded()) m.capacity = static_cast<std::int64_t>(b->capacity);
  } else {
    m.on = arc.target->path();
  }
  return m;
}

}  // namespace

// A credit wait whose credit is back is over, even if its waiter has not run
// yet to say so (its credit signal is queued): it closes no cycle.
bool wait_graph::waiting(const wait_arc& arc) noexcept {
  return arc.kind != wait_kind::credit || arc.edge == nullptr || !arc.edge->has_credit();
}

std::optional<deadlock_report> wait_graph::add(const wait_arc& arc, deadlock_remedy remedy) {
  added_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  out_[arc.waiter].push_back(arc);
  if (!waiting(arc)) return std::nullopt;
  const std::optional<std::vector<const wait_arc*>> found = path_back(arc);
  if (!found) return std::nullopt;
  const std::vector<const wait_arc*>& back = *found;
  deadlock_report report;
  report.remedy = remedy;
  report.cycle.push_back(describe(arc));
  for (const wait_arc* step : back) report.cycle.push_back(describe(*step));
  if (remedy == deadlock_remedy::grant_credit) {
    // The new arc first: its waiter is the one that just suspended.
    if (arc.kind == wait_kind::credit && arc.edge != nullptr) {
      arc.edge->grant_overflow_credit();
    } else {
      auto credit = std::find_if(back.begin(), back.end(),
                                 [](const wait_arc* a) { return a->kind == wait_kind::credit && a->edge != nullptr; });
      if (credit != back.end()) (*credit)->edge->grant_overflow_credit();
    }
  }
  return report;
}

void wait_graph::remove(const cell* waiter, wait_kind kind, std::uintptr_t key) noexcept {
  std::lock_guard lock(mutex_);
  auto outs = out_.find(waiter);
  if (outs == out_.end()) return;
  std::erase_if(outs->second, [&](const wait_arc& a) { return a.kind == kind && a.key == key; });
  if (outs->second.empty()) out_.erase(outs);
}

void wait_graph::remove_all(const cell* waiter) noexcept {
  std::lock_guard lock(mutex_);
  out_.erase(waiter);
}

std::size_t wait_graph::size() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [waiter, arcs] : out_) n += arcs.size();
  return n;
}

std::vector<wait_entry> wait_graph::entries() const {
  std::vector<wait_entry> out;
  std::lock_guard lock(mutex_);
  for (const auto& [waiter, arcs] : out_) {
    for (const wait_arc& arc : arcs) {
      deadlock_report::member m = describe(arc);
      out.push_back(wait_entry{m.id, std::move(m.path), wait_record{arc.kind, std::move(m.on), arc.target->id(), arc.since}});
    }
  }
  std::sort(out.begin(), out.end(), [](const wait_entry& a, const wait_entry& b) {
    return a.record.since != b.record.since ? a.record.since < b.record.since : a.waiter < b.waiter;
  });
  return out;
}

std::vector<deadlock_report> wait_graph::cycles(deadlock_remedy remedy) const {
  std::vector<deadlock_report> out;
  std::vector<std::vector<actor_id>> seen;  // each cycle's members, sorted
  std::lock_guard lock(mutex_);
  for (const auto& [waiter, arcs] : out_) {
    for (const wait_arc& arc : arcs) {
      if (!waiting(arc)) continue;
      const std::optional<std::vector<const wait_arc*>> back = path_back(arc);
      if (!back) continue;
      deadlock_report report;
      report.remedy = remedy;
      report.cycle.push_back(describe(arc));
      for (const wait_arc* step : *back) report.cycle.push_back(describe(*step));
      // Each cycle starts at its oldest actor, whichever arc found it.
      std::rotate(report.cycle.begin(),
                  std::min_element(report.cycle.begin(), report.cycle.end(),
                                   [](const auto& a, const auto& b) { return a.id < b.id; }),
                  report.cycle.end());
      std::vector<actor_id> members;
      for (const auto& m : report.cycle) members.push_back(m.id);
      std::sort(members.begin(), members.end());
      if (std::find(seen.begin(), seen.end(), members) != seen.end()) continue;
      seen.push_back(std::move(members));
      out.push_back(std::move(report));
    }
  }
  return out;
}

}  // namespace weir::detail

namespace weir {

std::string deadlock_report::to_string() const {
  std::string out;
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    const member& m = cycle[i];
    if (i > 0) out += "; ";
    out += m.path;
    if (m.kind == wait_kind::credit) {
      out += " waits for credit on " + m.on;
      out += " (" + (m.message_type.empty() ? std::string{"?"} : m.message_type) + ", " + std::to_string(m.depth) +
             " of " + std::to_string(m.capacity) + " unconsumed)";
    } else {
      out += " waits for a reply from " + m.on;
    }
  }
  out += "; the cycle closes there";
  return out;
}

}  // namespace weir
