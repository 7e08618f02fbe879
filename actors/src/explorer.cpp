#include <weir/testing/explorer.hpp>

#include <weir/detail/cell.hpp>
#include <weir/detail/edge_state.hpp>
#include <weir/detail/runtime.hpp>
#include <weir/snapshot.hpp>

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <exception>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace weir::testing {

// ---------------------------------------------------------------------------
// Built-in checks.

std::string check_edge_laws(weir::system& sys) {
  // Straight from the edge registry, not a snapshot: it runs after every
  // step of every schedule, and a snapshot would spend that time on strings.
  std::string wrong;
  (void)sys.runtime().edges.visit([&](const detail::edge_state& edge) {
    if (!wrong.empty()) return;
    const edge_stats in = edge.stats();
    const auto accounted =
        static_cast<std::int64_t>(in.handled + in.refused + in.dropped + in.coalesced + in.dead_lettered) + in.depth;
    if (in.depth < 0 || static_cast<std::int64_t>(in.sent) != accounted) {
      std::ostringstream out;
      out << "edge " << edge.describe() << " breaks its law: sent " << in.sent << " != handled " << in.handled
          << " + refused " << in.refused << " + dropped " << in.dropped << " + coalesced " << in.coalesced
          << " + dead-lettered " << in.dead_lettered << " + depth " << in.depth;
      wrong = out.str();
    }
  });
  return wrong;
}

std::string check_quiescent(weir::system& sys) {
  const system_snapshot snap = sys.snapshot();
  const bool deadlocked = snap.deadlocks > 0;
  for (const actor_snapshot& actor : snap.actors) {
    switch (actor.state) {
      case actor_state::exited:
      case actor_state::stopping:
        return "actor " + actor.path + " stays " + std::string(to_string(actor.state)) +
               " with nothing left to run (its supervisor neither restarted it nor gave up)";
      case actor_state::suspended:
      case actor_state::waiting_reply:
      case actor_state::paused:
        if (!deadlocked) {
          return "actor " + actor.path + " stays " + std::string(to_string(actor.state)) +
                 " with nothing left to run and no deadlock reported";
        }
        continue;
      case actor_state::scheduled:
      case actor_state::running:
      case actor_state::starting:
        return "actor " + actor.path + " is " + std::string(to_string(actor.state)) + " at quiescence";
      case actor_state::idle:
        break;
    }
    if (actor.queued != 0) {
      return "actor " + actor.path + " is idle with " + std::to_string(actor.queued) +
             " message(s) queued and no turn to run them (a lost wake-up)";
    }
    for (const edge_snapshot& in : actor.edges) {
      if (in.depth != 0) {
        return "edge " + in.edge + " still counts " + std::to_string(in.depth) + " in flight into idle " +
               actor.path + " (credit lost)";
      }
      if (!deadlocked && in.capacity && in.credits != in.capacity) {
        return "edge " + in.edge + " has " + std::to_string(*in.credits) + " credits of " +
               std::to_string(*in.capacity) + " with nothing in flight";
      }
    }
  }
  return {};
}

std::string check_shut_down(weir::system& sys) {
  if (sys.live_actors() != 0) {
    return std::to_string(sys.live_actors()) + " actor(s) still alive after shutdown (orphans):\n" +
           sys.tree_text();
  }
  if (sys.waits() != 0) return std::to_string(sys.waits()) + " wait(s) left in the wait-for graph after shutdown";
  return {};
}

// ---------------------------------------------------------------------------
// schedule_run

namespace {

system_config for_exploring(system_config config) {
  if (!config.logger) {
    // Scenarios crash actors by the thousand: keep their logs out of the way.
    static const auto quiet = std::make_shared<spdlog::logger>("weir-explorer", std::make_shared<spdlog::sinks::null_sink_mt>());
    config.logger = quiet;
  }
  config.insight.watchdog_thread = false;
  config.insight.dump_on_sigusr1 = false;
  return config;
}

}  // namespace

schedule_run::schedule_run(const system_config& config, std::uint64_t seed)
    : t(for_exploring(config)), system(t.system), rng(seed) {}

void schedule_run::script(std::string label, std::function<void()> event) {
  script_.push_back({std::move(label), std::move(event)});
}
void schedule_run::invariant(std::string label, check_fn check) {
  invariants_.push_back({std::move(label), std::move(check)});
}
void schedule_run::at_quiescence(std::string label, check_fn check) {
  at_quiescence_.push_back({std::move(label), std::move(check)});
}
void schedule_run::after_shutdown(std::string label, check_fn check) {
  after_shutdown_.push_back({std::move(label), std::move(check)});
}

// ---------------------------------------------------------------------------
// One schedule: the choices ready at each step, taking one, the checks.

/// A choice point of a schedule: which option was taken, out of how many.
struct choice_point {
  std::size_t chosen = 0;
  std::size_t count = 0;
};

/// Picks the option at a choice point that lies beyond the replayed prefix.
using chooser = std::function<std::size_t(std::size_t count)>;

struct violation {
  std::string text;
};

class schedule_driver {
 public:
  explicit schedule_driver(schedule_run& run) : run_(run), rt_(run.system.runtime()), clock_(*run.t.clock) {}

  /// Runs the schedule: the first `prefix` choices as given, the rest as
  /// `pick` says, recording every choice point in `path`. Throws violation.
  void run(std::vector<choice_point>& path, std::size_t prefix, const chooser& pick, std::size_t max_steps) {
    check(run_.invariants_, true);
    for (std::size_t step = 0;; ++step) {
      drain_asio();
      const std::vector<option> ready = options();
      if (ready.empty()) break;
      if (step >= max_steps) fail("livelock", "still busy after " + std::to_string(max_steps) + " steps");
      std::size_t chosen = 0;
      if (step < prefix) {
        if (path[step].count != ready.size()) {
          fail("determinism", "replay found " + std::to_string(ready.size()) + " choices at step " +
                                  std::to_string(step) + " where the first run found " +
                                  std::to_string(path[step].count) + ": the scenario is not deterministic");
        }
        chosen = path[step].chosen;
      } else {
        chosen = pick(ready.size());
        path.push_back({chosen, ready.size()});
      }
      take(ready[chosen]);
      check(run_.invariants_, true);
    }
    check(run_.at_quiescence_, false, check_quiescent);
    run_.system.shutdown();
    check(run_.after_shutdown_, false, check_shut_down);
  }

  [[nodiscard]] const std::vector<std::string>& trace() const noexcept { return trace_; }

 private:
  enum class kind : std::uint8_t { turn, event, timer };
  struct option {
    kind what;
    std::size_t index;
  };

  std::vector<option> options() const {
    std::vector<option> out;
    const std::size_t turns = rt_.manual->size();
    for (std::size_t i = 0; i < turns; ++i) out.push_back({kind::turn, i});
    if (run_.next_event_ < run_.script_.size()) out.push_back({kind::event, 0});
    if (clock_.pending() > 0) out.push_back({kind::timer, 0});
    return out;
  }

  void take(const option& o) {
    switch (o.what) {
      case kind::turn: {
        detail::cell* ready = rt_.manual->take(o.index);
        trace_.push_back("turn " + (ready->parent() == nullptr ? std::string{"/"} : ready->path()));
        ready->run_turn();
        return;
      }
      case kind::event: {
        auto& event = run_.script_[run_.next_event_++];
        trace_.push_back("event: " + event.label);
        event.event();
        return;
      }
      case kind::timer:
        trace_.push_back("timer");
        clock_.advance_to_next();
        return;
    }
  }

  // Asio handlers (guarded completions) run in order: the explorer's
  // choices are among actors, not inside Asio.
  void drain_asio() {
    while (rt_.io->poll_one() > 0) {
    }
  }

  void check(const std::vector<schedule_run::named_check>& checks, bool per_step,
             std::string (*built_in)(weir::system&) = nullptr) {
    if (per_step) {
      if (std::string wrong = check_edge_laws(run_.system); !wrong.empty()) fail("edge law", wrong);
    }
    if (built_in != nullptr) {
      if (std::string wrong = built_in(run_.system); !wrong.empty()) {
        fail(built_in == &check_quiescent ? "quiescence" : "shutdown", wrong);
      }
    }
    for (const auto& c : checks) {
      if (std::string wrong = c.check(); !wrong.empty()) fail(c.label, wrong);
    }
  }

  [[noreturn]] void fail(const std::string& label, const std::string& what) const {
    throw violation{label + ": " + what};
  }

  schedule_run& run_;
  detail::runtime& rt_;
  manual_clock& clock_;
  std::vector<std::string> trace_;
};

// ---------------------------------------------------------------------------
// The searches.

namespace {

struct one_result {
  std::optional<std::string> failure;
  std::size_t steps = 0;
};

one_result run_schedule(const scenario& s, const explore_bounds& bounds, std::uint64_t seed,
                        std::vector<choice_point>& path, std::size_t prefix, const chooser& pick) {
  one_result result;
  std::vector<std::string> trace;
  try {
    auto run = std::make_unique<schedule_run>(bounds.config, seed);
    s(*run);
    schedule_driver driver(*run);
    try {
      driver.run(path, prefix, pick, bounds.max_steps);
    } catch (...) {
      trace = driver.trace();
      throw;
    }
    result.steps = driver.trace().size();
  } catch (const violation& v) {
    result.failure = v.text;
  } catch (const std::exception& e) {
    result.failure = std::string("exception: ") + e.what();
  }
  if (result.failure) {
    std::string text = *result.failure + "\nschedule (" + std::to_string(trace.size()) + " steps):";
    for (const auto& line : trace) text += "\n  " + line;
    result.failure = std::move(text);
    result.steps = trace.size();
  }
  return result;
}

std::vector<std::size_t> choices_of(const std::vector<choice_point>& path) {
  std::vector<std::size_t> out;
  out.reserve(path.size());
  for (const auto& p : path) out.push_back(p.chosen);
  return out;
}

std::size_t deviations(const std::vector<choice_point>& path, std::size_t upto) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < upto; ++i) n += path[i].chosen != 0 ? 1 : 0;
  return n;
}

exploration explore_randomly(const scenario& s, const explore_bounds& bounds) {
  exploration out;
  for (std::size_t i = 0; i < bounds.random_schedules; ++i) {
    const std::uint64_t seed = bounds.seed + i;
    std::mt19937_64 choices(seed ^ 0x5DEECE66DULL);
    std::vector<choice_point> path;
    const one_result r = run_schedule(s, bounds, seed, path, 0, [&](std::size_t count) {
      return static_cast<std::size_t>(choices() % count);
    });
    ++out.schedules;
    out.steps += r.steps;
    if (r.failure) {
      out.failure = *r.failure + "\nreplay: seed " + std::to_string(seed);
      out.failing_choices = choices_of(path);
      out.failing_seed = seed;
      return out;
    }
  }
  return out;
}

}  // namespace

exploration explore(const scenario& s, const explore_bounds& bounds) {
  if (bounds.random_schedules > 0) return explore_randomly(s, bounds);
  exploration out;
  std::vector<choice_point> path;
  for (;;) {
    const std::size_t prefix = path.size();
    const one_result r = run_schedule(s, bounds, bounds.seed, path, prefix, [](std::size_t) { return 0; });
    ++out.schedules;
    out.steps += r.steps;
    if (r.failure) {
      out.failure = *r.failure + "\nreplay: choices {" + [&] {
        std::string list;
        for (std::size_t c : choices_of(path)) list += (list.empty() ? "" : ", ") + std::to_string(c);
        return list;
      }() + "}";
      out.failing_choices = choices_of(path);
      out.failing_seed = bounds.seed;
      return out;
    }
    // Depth first: the deepest choice point with an option left (within the
    // deviation bound) takes its next option; everything after it is new.
    while (!path.empty()) {
      choice_point& last = path.back();
      const bool within = !bounds.max_deviations || deviations(path, path.size() - 1) + 1 <= *bounds.max_deviations;
      if (last.chosen + 1 < last.count && within) {
        ++last.chosen;
        break;
      }
      path.pop_back();
    }
    if (path.empty()) {
      out.exhausted = true;
      return out;
    }
    if (out.schedules >= bounds.max_schedules) return out;
  }
}

exploration replay(const scenario& s, const std::vector<std::size_t>& choices, std::uint64_t seed,
                   const explore_bounds& bounds) {
  exploration out;
  std::vector<choice_point> path;
  std::size_t next = 0;
  const one_result r = run_schedule(s, bounds, seed, path, 0, [&](std::size_t count) {
    const std::size_t c = next < choices.size() ? choices[next] : 0;
    ++next;
    return c < count ? c : 0;
  });
  out.schedules = 1;
  out.steps = r.steps;
  out.failure = r.failure;
  if (r.failure) {
    out.failing_choices = choices_of(path);
    out.failing_seed = seed;
  }
  return out;
}

std::string exploration::summary() const {
  std::string text = std::to_string(schedules) + " schedules, " + std::to_string(steps) + " steps";
  text += exhausted ? ", exhaustive within the bound" : "";
  text += failure ? "; FAILED: " + *failure : "; all checks hold";
  return text;
}

}  // namespace weir::testing
