#pragma once
// supervision_tree_actors.hpp — the demo's tree, its workers and its script,
// shared by the sample (main.cpp) and its checks (tests/samples/supervision_tree.test.cpp).
//
//   /root              one_for_one,  3 restarts in 10 s
//     /root/ingest     one_for_one,  3 in 5 s: enricher <- parser <- source, backfill (transient) -> parser
//     /root/storage    rest_for_one, 3 in 5 s: db <- cache, db <- writer
//     /root/api        one_for_all,  1 in 5 s: auth <- sessions <- gateway
//
// (a <- b: b feeds a, so a starts first and b finds it as weir::sibling.)

#include <weir/actor.hpp>
#include <weir/ask.hpp>
#include <weir/supervisor.hpp>
#include <weir/system.hpp>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace supervision_tree {

using namespace std::chrono_literals;

struct item {
  std::uint64_t n = 0;
};
/// The script's poison: the station throws `why`, a crash.
struct fault {
  std::string why;
};
/// The script's "your job is done": the station exits normally.
struct finish {};
/// Items made or handled since this incarnation started (a restart starts at 0).
struct items_seen {
  weir::reply_to<std::uint64_t> reply;
};

/// A worker: with a positive `tick` it makes one item per tick; every item it
/// makes or receives goes on to `next`, the sibling it feeds, if any.
///
/// Thread safety: an actor; talk to it with messages.
class station : public weir::actor<item, fault, finish, items_seen> {
 public:
  explicit station(weir::clock::duration tick, weir::handle<station> next = {}) : tick_(tick), next_(std::move(next)) {}

 protected:
  void on_start() override {
    if (tick_ > weir::clock::duration::zero()) (void)start_periodic(tick_, [this] { pass_on(items_ + 1); });
  }
  void on_message(item& in) override { pass_on(in.n); }
  void on_message(fault& f) override { throw std::runtime_error(f.why); }
  void on_message(finish&) override { quit(); }
  void on_message(items_seen& ask) override { ask.reply.send(items_); }

 private:
  // Ad-hoc sends never refuse: while `next` is down its items wait in its mailbox.
  void pass_on(std::uint64_t n) {
    ++items_;
    if (next_) next_.send(item{n});
  }

  weir::clock::duration tick_;
  weir::handle<station> next_;
  std::uint64_t items_ = 0;
};

inline weir::supervisor_flags flags(weir::restart_strategy strategy, int intensity, weir::clock::duration period) {
  return {.strategy = strategy, .intensity = intensity, .period = period};  // no back-off: restarts are immediate
}

/// The root's flags; `intensity` 0 makes it give up at the first escalation.
inline weir::supervisor_flags root_flags(int intensity = 3) {
  return flags(weir::restart_strategy::one_for_one, intensity, 10s);
}

/// A subsystem's flags: "ingest", "storage" or "api".
inline weir::supervisor_flags subsystem_flags(const std::string& name) {
  if (name == "ingest") return flags(weir::restart_strategy::one_for_one, 3, 5s);
  if (name == "storage") return flags(weir::restart_strategy::rest_for_one, 3, 5s);
  return flags(weir::restart_strategy::one_for_all, 1, 5s);
}

/// The root's children: one supervisor per subsystem, its stations in start order.
inline std::vector<weir::child_spec> subsystems() {
  const auto stop_within = weir::shutdown_policy::after(1s);
  const auto w = [&](const char* name, weir::clock::duration tick) { return weir::worker<station>(name, tick).with(stop_within); };
  const auto feeding = [&](const char* name, const char* next, weir::clock::duration tick) {
    return weir::worker<station>(name, tick, weir::sibling<station>{next}).with(stop_within);
  };
  return {
      weir::supervisor_child("ingest", subsystem_flags("ingest"),
                             {w("enricher", 0ms), feeding("parser", "enricher", 0ms), feeding("source", "parser", 100ms),
                              feeding("backfill", "parser", 150ms).with(weir::restart_type::transient)}),
      weir::supervisor_child("storage", subsystem_flags("storage"),
                             {w("db", 0ms), feeding("cache", "db", 120ms), feeding("writer", "db", 80ms)}),
      weir::supervisor_child("api", subsystem_flags("api"),
                             {w("auth", 0ms), feeding("sessions", "auth", 0ms), feeding("gateway", "sessions", 100ms)}),
  };
}

/// One scripted event: at `at` after the start, `crashes` poison messages
/// queued at once for the worker (0: a finish message instead).
struct step {
  weir::clock::duration at;
  std::string worker;  ///< below the root: "ingest/parser"
  std::size_t crashes;
  const char* story;
};

/// One restart under each strategy, a transient worker finishing, and a crash
/// loop (the mailbox survives restarts) that makes storage give up.
inline std::vector<step> script() {
  return {
      {300ms, "ingest/parser", 1, "ingest is one_for_one: only the parser restarts"},
      {600ms, "storage/cache", 1, "storage is rest_for_one: the cache and the writer started after it restart, the db runs on"},
      {900ms, "api/sessions", 1, "api is one_for_all: auth, sessions and gateway all restart"},
      {1200ms, "ingest/backfill", 0, "backfill is transient: a normal exit is not restarted"},
      {1500ms, "ingest/parser", 1, "the parser again: its second restart"},
      {1800ms, "storage/db", 1, "the db, first in storage: with rest_for_one all three restart"},
      {2100ms, "storage/db", 3,
       "a crash loop: three poison messages queued for the db, and its mailbox survives each restart;\n"
       "         storage passes its intensity, gives up, and the root restarts the whole subsystem"},
  };
}

/// Sends step `number`'s messages to the worker now at its path; false if none is alive there.
inline bool play(weir::system& system, const step& s, std::size_t number) {
  const auto target = system.find<station>("/root/" + s.worker);
  if (!target) return false;
  if (s.crashes == 0) target->send(finish{});
  for (std::size_t k = 1; k <= s.crashes; ++k) {
    const std::string which = s.crashes == 1 ? "" : ", poison message " + std::to_string(k) + " of " + std::to_string(s.crashes);
    target->send(fault{"scripted fault (step " + std::to_string(number) + which + ")"});
  }
  return true;
}

/// One actor of the tree as its supervisor reports it (which_children).
struct row {
  std::string path;
  int depth = 0;
  bool running = true;
  std::uint32_t restarts = 0;
  std::int64_t items = -1;  ///< a running worker's items_seen; -1 for supervisors
};

/// The tree, depth first in start order, through the public API only.
/// `get(future)` waits for a request's reply (by running a manual system, or blocking).
template <class Get>
std::vector<row> rows_of(weir::system& system, const weir::handle<weir::supervisor>& sup, int depth, Get&& get) {
  std::vector<row> rows;
  if (depth == 0) rows.push_back({sup.path(), 0, !sup.stopped(), 0, -1});
  if (sup.stopped()) return rows;
  auto children = system.request(sup, weir::which_children{}, 2s);
  for (const weir::child_info& c : get(children)) {
    rows.push_back({c.path, depth + 1, c.running, c.restarts, -1});
    if (!c.running) continue;
    if (c.kind == weir::child_kind::supervisor) {
      if (auto sub = system.find<weir::supervisor>(c.path)) {
        auto below = rows_of(system, *sub, depth + 1, get);
        rows.insert(rows.end(), below.begin(), below.end());
      }
    } else if (auto worker = system.find<station>(c.path)) {
      auto items = system.request(*worker, items_seen{}, 2s);
      rows.back().items = static_cast<std::int64_t>(get(items));
    }
  }
  return rows;
}

}  // namespace supervision_tree
