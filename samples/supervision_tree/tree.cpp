#include "tree.hpp"

#include "station.hpp"

#include <chrono>
#include <cstdio>

namespace supervision_tree {

using namespace std::chrono_literals;

namespace {

weir::supervisor_flags flags(weir::restart_strategy strategy, int intensity, weir::clock::duration period) {
  weir::supervisor_flags f;
  f.strategy = strategy;
  f.intensity = intensity;
  f.period = period;
  return f;  // no back-off: restarts are immediate, as OTP's
}

weir::child_spec worker_spec(const worker_layout& w) {
  // A station stops at once; a second is plenty before it is cut off.
  const auto stop_within = weir::shutdown_policy::after(1s);
  if (w.feeds.empty()) return weir::worker<station>(w.name, w.tick).with(w.restart).with(stop_within);
  return weir::worker<station>(w.name, w.tick, weir::sibling<station>{w.feeds}).with(w.restart).with(stop_within);
}

}  // namespace

const subsystem_layout* tree_layout::find(const std::string& name) const {
  for (const auto& s : subsystems) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

tree_layout default_layout() {
  tree_layout tree;
  tree.root_flags = flags(weir::restart_strategy::one_for_one, 3, 10s);
  tree.subsystems = {
      {"ingest",
       flags(weir::restart_strategy::one_for_one, 3, 5s),
       {{"enricher", "", 0ms},
        {"parser", "enricher", 0ms},
        {"source", "parser", 100ms},
        {"backfill", "parser", 150ms, weir::restart_type::transient}}},
      {"storage",
       flags(weir::restart_strategy::rest_for_one, 3, 5s),
       {{"db", "", 0ms}, {"cache", "db", 120ms}, {"writer", "db", 80ms}}},
      {"api",
       flags(weir::restart_strategy::one_for_all, 1, 5s),
       {{"auth", "", 0ms}, {"sessions", "auth", 0ms}, {"gateway", "sessions", 100ms}}},
  };
  return tree;
}

std::vector<weir::child_spec> child_specs(const tree_layout& tree) {
  std::vector<weir::child_spec> subsystems;
  for (const auto& s : tree.subsystems) {
    std::vector<weir::child_spec> workers;
    for (const auto& w : s.workers) workers.push_back(worker_spec(w));
    subsystems.push_back(weir::supervisor_child(s.name, s.flags, std::move(workers)));
  }
  return subsystems;
}

std::string describe(const weir::supervisor_flags& f) {
  const auto seconds = std::chrono::duration_cast<std::chrono::milliseconds>(f.period).count() / 1000.0;
  char period[32];
  std::snprintf(period, sizeof period, "%g", seconds);
  return std::string(to_string(f.strategy)) + ", at most " + std::to_string(f.intensity) +
         (f.intensity == 1 ? " restart" : " restarts") + " in " + period + " s";
}

}  // namespace supervision_tree
