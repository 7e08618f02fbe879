#include <weir/insight/metrics.hpp>

#include <weir/system.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace weir::insight {
namespace {

constexpr std::string_view other = "(other)";

// "/a/b/c" cut to `depth` segments; a label that is not a path ("ad hoc",
// "(outside)") is one of a fixed few and stays as it is.
std::string subtree(std::string_view path, std::size_t depth) {
  if (path.empty() || path.front() != '/') return std::string(path);
  std::size_t end = 0;
  for (std::size_t segment = 0; segment < depth; ++segment) {
    end = path.find('/', end + 1);
    if (end == std::string_view::npos) return std::string(path);
  }
  return std::string(path.substr(0, end));
}

struct actor_totals {
  std::uint64_t handled = 0;
  std::int64_t queued = 0;
  std::uint64_t dead_letters = 0;
  std::uint64_t restarts = 0;

  [[nodiscard]] std::uint64_t activity() const {
    return handled + static_cast<std::uint64_t>(std::max<std::int64_t>(queued, 0)) + dead_letters;
  }
  actor_totals& operator+=(const actor_totals& o) {
    handled += o.handled;
    queued += o.queued;
    dead_letters += o.dead_letters;
    restarts += o.restarts;
    return *this;
  }
};

struct edge_totals {
  edge_stats stats;                     // credits unused: a sum has none (see credits)
  std::optional<std::int64_t> credits;  // the sum over the bounded edges among them

  [[nodiscard]] std::uint64_t activity() const { return stats.sent; }
  edge_totals& operator+=(const edge_totals& o) {
    stats += o.stats;
    if (o.credits) credits = credits.value_or(0) + *o.credits;
    return *this;
  }
};

using edge_key = std::pair<std::string, std::string>;  // from, to

// The `max` most active keys (ties: by key, so the choice is stable), and
// the rest summed under `rest`, which is always present once anything is
// cut. Ordered by key.
template <class Key, class Totals>
std::map<Key, Totals> keep_most_active(std::map<Key, Totals> all, std::size_t max, const Key& rest) {
  if (all.size() <= max) return all;
  std::vector<typename std::map<Key, Totals>::const_iterator> order;
  order.reserve(all.size());
  for (auto it = all.cbegin(); it != all.cend(); ++it) order.push_back(it);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a->second.activity() > b->second.activity(); });
  std::map<Key, Totals> kept;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i < max) {
      kept.emplace(order[i]->first, order[i]->second);
    } else {
      kept[rest] += order[i]->second;
    }
  }
  return kept;
}

std::string escaped(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Writes families one after another: HELP and TYPE, then its samples.
class exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(text_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  template <class Value>
  void sample(std::string_view name, std::string_view labels, Value value) {
    if (labels.empty()) {
      fmt::format_to(std::back_inserter(text_), "{} {}\n", name, value);
    } else {
      fmt::format_to(std::back_inserter(text_), "{}{{{}}} {}\n", name, labels, value);
    }
  }
  template <class Value>
  void single(std::string_view name, std::string_view type, std::string_view help, Value value) {
    family(name, type, help);
    sample(name, "", value);
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

std::map<std::string, actor_totals> actors_by_subtree(const system_snapshot& snapshot, const metrics_config& config) {
  std::map<std::string, actor_totals> all;
  for (const actor_snapshot& a : snapshot.actors) {
    all[subtree(a.path, config.path_depth)] += actor_totals{a.handled, a.queued, a.dead_letters, a.restarts};
  }
  return keep_most_active(std::move(all), config.max_series, std::string(other));
}

// Splits "from -> to"; a label without the arrow ("(other closed edges)")
// is one sum of edges from and to anywhere.
edge_key edge_ends(std::string_view label, const metrics_config& config) {
  constexpr std::string_view arrow = " -> ";
  const std::size_t at = label.find(arrow);
  if (at == std::string_view::npos) return {std::string(other), std::string(other)};
  return {subtree(label.substr(0, at), config.path_depth),
          subtree(label.substr(at + arrow.size()), config.path_depth)};
}

std::map<edge_key, edge_totals> edges_by_subtree(const system_snapshot& snapshot, const metrics_config& config) {
  std::map<edge_key, edge_totals> all;
  for (const actor_snapshot& a : snapshot.actors) {
    for (const edge_snapshot& e : a.edges) {
      edge_totals t;
      t.stats.sent = e.sent;
      t.stats.handled = e.handled;
      t.stats.refused = e.refused;
      t.stats.dropped = e.dropped;
      t.stats.coalesced = e.coalesced;
      t.stats.dead_lettered = e.dead_lettered;
      t.stats.depth = e.depth;
      t.credits = e.credits;
      all[edge_ends(e.edge, config)] += t;
    }
  }
  for (const closed_edge_snapshot& closed : snapshot.closed_edges) {
    edge_totals t;
    t.stats = closed.totals;
    all[edge_ends(closed.edge, config)] += t;
  }
  return keep_most_active(std::move(all), config.max_series, edge_key{other, other});
}

void write_system(exposition& out, const system_snapshot& snapshot, const system_counters& counters) {
  out.single("weir_actors_live", "gauge", "Actors started and not yet stopped.", snapshot.live_actors);
  out.single("weir_actors_started_total", "counter", "Actors started since the system was made.",
             snapshot.started_actors);
  out.single("weir_crashes_total", "counter", "Exceptions that escaped actor code.", snapshot.crashes);
  out.single("weir_dead_letters_total", "counter", "Messages that reached a stopped actor, or crashed one.",
             snapshot.dead_letters);
  out.single("weir_cycles_detected_total", "counter", "Wait-for cycles (deadlocks) detected.", snapshot.deadlocks);
  out.single("weir_cycles_standing", "gauge", "Wait-for cycles standing now.", snapshot.cycles.size());

  out.family("weir_lints_raised_total", "counter", "Lints raised, by kind: once each time a condition begins.");
  for (std::size_t k = 0; k < lint_kinds; ++k) {
    out.sample("weir_lints_raised_total", fmt::format("kind=\"{}\"", to_string(static_cast<lint_kind>(k))),
               counters.lints_raised[k]);
  }
  out.family("weir_lints_holding", "gauge", "Lints whose condition holds now, by kind.");
  for (std::size_t k = 0; k < lint_kinds; ++k) {
    const auto kind = static_cast<lint_kind>(k);
    out.sample("weir_lints_holding", fmt::format("kind=\"{}\"", to_string(kind)),
               std::count_if(snapshot.lints.begin(), snapshot.lints.end(),
                             [kind](const lint& l) { return l.kind == kind; }));
  }
  out.single("weir_waits", "gauge", "Waits in the wait-for graph now: suspended senders and pending asks.",
             snapshot.waits);
  out.single("weir_waits_begun_total", "counter", "Waits that entered the wait-for graph.", counters.waits_begun);
  out.single("weir_requests_pending", "gauge", "system::request calls not yet ended.", counters.pending_requests);
  out.single("weir_late_request_replies_total", "counter", "Replies to requests that had timed out (dropped).",
             counters.late_request_replies);
  out.single("weir_uptime_seconds", "gauge", "Time since the system was made, on its clock.",
             static_cast<double>(snapshot.uptime.count()) / 1000.0);
}

void write_actors(exposition& out, const std::map<std::string, actor_totals>& actors) {
  struct counter {
    std::string_view name, help;
    std::uint64_t actor_totals::*field;
  };
  static constexpr counter counters[] = {
      {"weir_actor_handled_total", "Messages handled by the actors of a subtree.", &actor_totals::handled},
      {"weir_actor_dead_letters_total", "Dead letters of the actors of a subtree.", &actor_totals::dead_letters},
      {"weir_actor_restarts_total", "Restarts of the actors of a subtree.", &actor_totals::restarts},
  };
  std::vector<std::pair<std::string, const actor_totals*>> series;
  for (const auto& [path, totals] : actors) series.emplace_back(fmt::format("actor=\"{}\"", escaped(path)), &totals);
  for (const counter& c : counters) {
    out.family(c.name, "counter", c.help);
    for (const auto& [labels, totals] : series) out.sample(c.name, labels, totals->*c.field);
  }
  out.family("weir_actor_queued", "gauge", "User messages queued, not yet consumed, in a subtree.");
  for (const auto& [labels, totals] : series) out.sample("weir_actor_queued", labels, totals->queued);
}

void write_edges(exposition& out, const std::map<edge_key, edge_totals>& edges) {
  struct counter {
    std::string_view name, help;
    std::uint64_t edge_stats::*field;
  };
  static constexpr counter counters[] = {
      {"weir_edge_sent_total", "Sends on the edges from one subtree into another.", &edge_stats::sent},
      {"weir_edge_handled_total", "Messages of those edges handled.", &edge_stats::handled},
      {"weir_edge_dropped_total", "Messages of those edges dropped by their policy.", &edge_stats::dropped},
      {"weir_edge_refused_total", "Sends on those edges refused (would_block), the message handed back.",
       &edge_stats::refused},
      {"weir_edge_coalesced_total", "Messages of those edges merged into one already waiting.",
       &edge_stats::coalesced},
      {"weir_edge_dead_lettered_total", "Messages of those edges dead-lettered.", &edge_stats::dead_lettered},
  };
  std::vector<std::pair<std::string, const edge_totals*>> series;
  for (const auto& [ends, totals] : edges) {
    series.emplace_back(fmt::format("from=\"{}\",to=\"{}\"", escaped(ends.first), escaped(ends.second)), &totals);
  }
  for (const counter& c : counters) {
    out.family(c.name, "counter", c.help);
    for (const auto& [labels, totals] : series) out.sample(c.name, labels, totals->stats.*c.field);
  }
  out.family("weir_edge_depth", "gauge", "Messages accepted on those edges, not yet consumed.");
  for (const auto& [labels, totals] : series) out.sample("weir_edge_depth", labels, totals->stats.depth);
  out.family("weir_edge_credits", "gauge", "Credits left on the bounded ones among those edges.");
  for (const auto& [labels, totals] : series) {
    if (totals->credits) out.sample("weir_edge_credits", labels, *totals->credits);
  }
}

}  // namespace

void validate(const metrics_config& config) {
  if (config.path_depth == 0) throw std::invalid_argument("metrics_config::path_depth must be >= 1");
  if (config.max_series == 0) throw std::invalid_argument("metrics_config::max_series must be >= 1");
}

std::string metrics_text(const system_snapshot& snapshot, const system_counters& counters,
                         const metrics_config& config) {
  validate(config);
  exposition out;
  write_system(out, snapshot, counters);
  write_actors(out, actors_by_subtree(snapshot, config));
  write_edges(out, edges_by_subtree(snapshot, config));
  return out.take();
}

std::string metrics_text(const weir::system& system, const metrics_config& config) {
  validate(config);  // before the snapshot's cost
  system_counters counters;
  for (std::size_t k = 0; k < lint_kinds; ++k) counters.lints_raised[k] = system.lints_raised(static_cast<lint_kind>(k));
  counters.waits_begun = system.waits_begun();
  counters.late_request_replies = system.late_request_replies();
  counters.pending_requests = system.pending_requests();
  return metrics_text(system.snapshot(), counters, config);
}

}  // namespace weir::insight
