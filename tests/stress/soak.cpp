// soak.cpp — minutes of chaos at full load, then proof that nothing was lost.
//
//   ./build/tests/stress/soak --seconds 600 [--seed N]
//
// The tree: a root supervisor over one subsystem per restart strategy, one
// that escalates, and a supervisor of producers beside it:
//
//   /root (one_for_one)
//     ofo (one_for_one)   o0 o1 o2 o3                       leaves
//     rfo (rest_for_one)  r0 <-bounded- r1 <-penalty- r2     relays forward on
//     ofa (one_for_all)   a0 <-fail- a1 <-drop_oldest- a2    persistent edges
//     esc (one_for_one, at most 3 restarts a second)  e0
//   /load (one_for_one)   p0 p1 p2 p3                       actor producers
//   + 2 foreign std::threads sending through edges and handles
//
// Producers and threads send to o0..o3, r2, a2 and e0 over every policy:
// bounded suspend (threads block at most 1 ms, then get would_block), fail,
// drop_newest, drop_oldest, unbounded with and without the penalty, pulse,
// latest and keyed coalescing, and (threads) ad-hoc handle sends. Each job
// and reading carries a draw from its sender's seeded RNG; a worker crashes
// on a draw divisible by 100 (1%) and its supervisor restarts it (and, by
// strategy, its siblings). e0 crashes only when the main thread sends it a
// storm (every 2 s): it then also crashes in on_start until `esc` gives up;
// the root restarts `esc`, whose new e0 is a new actor. Senders find their
// sends to the old one answered `closed` (dead letters), look the path up
// again and open new edges; the old edges are checked and folded into the
// totals once nothing is in flight on them.
//
// After `--seconds` (scaled by WEIR_STRESS_SCALE, as the suite does under
// sanitizers) the load stops, the queues drain and everything shuts down.
// Then it proves, exiting 1 and naming each violation otherwise:
// - conservation, per edge and in total: what each sender counted itself
//   (one tally per send_result) equals what the edge counted, and
//   sent = handled + refused + dropped + coalesced + dead_lettered, depth 0;
//   the edges' handled and dead letters equal what the workers and the
//   system counted, and the crashes equal the throws the workers made;
// - no orphans: live_actors() never exceeds the tree's size while it runs,
//   nothing is left under /root once it has stopped, and none at all after
//   shutdown;
// - flat memory (not under a sanitizer, whose allocator keeps freed memory
//   on purpose): RSS at the end <= RSS after warm-up * 1.2 + 16 MiB.
// The figures are printed as one block on stdout.

#include <weir/supervisor.hpp>  // first: the header must be self-contained
#include <weir/weir.hpp>

#include "watchdog.hpp"

#include <spdlog/logger.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

// ---------------------------------------------------------------------------
// Messages and the crash decision.

struct job {
  std::uint64_t draw;
};
struct reading {
  std::uint64_t draw;
};
struct tick {};
struct go {};
/// Crash now, then `start_crashes` more times in on_start.
struct storm {
  int start_crashes;
};

using job_only = weir::interface<job>;

/// 1% of draws crash the worker that handles them.
bool fatal(std::uint64_t draw) { return draw % 100 == 0; }

/// The draw a relay forwards: a function of the one it got (splitmix64), so
/// a relayed job's fate is as reproducible as the original's.
std::uint64_t next_draw(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// ---------------------------------------------------------------------------
// Counting, on both ends, and the verdict.

/// What a sender saw its sends answer, one count per send_result.
struct sent_tally {
  std::uint64_t ok = 0;
  std::uint64_t closed = 0;
  std::uint64_t would_block = 0;
  std::uint64_t dropped = 0;

  void note(weir::send_result r) {
    switch (r) {
      case weir::send_result::ok: ++ok; break;
      case weir::send_result::closed: ++closed; break;
      case weir::send_result::would_block: ++would_block; break;
      case weir::send_result::dropped: ++dropped; break;
    }
  }
  [[nodiscard]] std::uint64_t total() const { return ok + closed + would_block + dropped; }
};

/// Sums of edge counters, and how many edges went into them.
struct totals : weir::edge_stats {
  std::uint64_t edges = 0;

  void add(const weir::edge_stats& s) {
    *this += s;
    ++edges;
  }
  void add(const totals& t) {
    *this += t;
    edges += t.edges;
  }
  [[nodiscard]] bool balanced() const { return sent == handled + refused + dropped + coalesced + dead_lettered; }
};

/// Violations found, each printed as found. One per checking thread.
class verdict {
 public:
  void require(bool ok, const std::string& what) {
    if (ok) return;
    if (++violations_ <= 20) std::printf("VIOLATION: %s\n", what.c_str());
  }
  [[nodiscard]] int violations() const { return violations_; }

 private:
  int violations_ = 0;
};

/// One edge once nothing is in flight on it: its own law, and the sender's
/// tally against its counters. `may_close`: its receiver may have stopped
/// for good (an escalation), so `closed` answers are expected.
void check_edge(verdict& v, const std::string& name, const weir::edge_stats& s, const sent_tally& t, bool ring,
                bool may_close, totals& sum) {
  v.require(s.depth == 0, name + ": depth " + std::to_string(s.depth) + " once quiet");
  v.require(s.sent == s.handled + s.refused + s.dropped + s.coalesced + s.dead_lettered,
            name + ": sent " + std::to_string(s.sent) + " != handled + refused + dropped + coalesced + dead");
  v.require(s.sent == t.total(), name + ": the edge counted " + std::to_string(s.sent) + " sent, the sender " +
                                     std::to_string(t.total()));
  v.require(s.refused == t.would_block, name + ": refused " + std::to_string(s.refused) +
                                            " != would_block answers " + std::to_string(t.would_block));
  // A drop_oldest ring accepts the new message (ok) and drops an old one.
  if (!ring) {
    v.require(s.dropped == t.dropped,
              name + ": dropped " + std::to_string(s.dropped) + " != dropped answers " + std::to_string(t.dropped));
  }
  v.require(may_close ? s.dead_lettered >= t.closed : t.closed == 0,
            name + ": " + std::to_string(t.closed) + " sends answered closed");
  sum.add(s);
}

// ---------------------------------------------------------------------------
// The workers.

/// What one worker handled, across all its restarts and incarnations (kept
/// outside it). Written on the worker's strand; read once everything stopped.
struct worker_book {
  std::atomic<std::uint64_t> jobs{0};
  std::atomic<std::uint64_t> readings{0};
  std::atomic<std::uint64_t> pulse_deliveries{0};
  std::atomic<std::uint64_t> pulses{0};  // the sum of their counts
  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> throws{0};  // in handlers and in on_start
  std::atomic<int> start_crashes_left{0};

  [[nodiscard]] std::uint64_t handled() const { return jobs + readings + pulse_deliveries + batches; }
};

/// A relay's edge downstream. Made by its first incarnation and kept across
/// restarts (same cell, same edge), so its counters cover the whole run.
struct relay_out {
  weir::edge_policy policy;
  weir::edge<job_only> edge;
  sent_tally tally;
};

/// chaotic: crashes on fatal draws. steady: only when a storm says so.
enum class temper : std::uint8_t { chaotic, steady };

class worker : public weir::actor<job, reading, weir::pulse<tick>, weir::key_batch<int>, storm> {
 public:
  worker(worker_book* book, temper t) : book_(book), temper_(t) {}
  worker(worker_book* book, relay_out* out, weir::handle<worker> downstream)
      : book_(book), temper_(temper::chaotic), out_(out), downstream_(std::move(downstream)) {}

  void on_start() override {
    if (book_->start_crashes_left.load() > 0) {
      book_->start_crashes_left.fetch_sub(1);
      crash("soak: storm, crashing on start");
    }
    if (out_ != nullptr && !out_->edge) out_->edge = weir::connect<job_only>(downstream_, out_->policy);
  }
  void on_message(job& j) override {
    crash_on(j.draw);
    book_->jobs.fetch_add(1, std::memory_order_relaxed);
    if (out_ != nullptr) out_->tally.note(out_->edge.send(job{next_draw(j.draw)}));
  }
  void on_message(reading& r) override {
    crash_on(r.draw);
    book_->readings.fetch_add(1, std::memory_order_relaxed);
  }
  void on_message(weir::pulse<tick>& p) override {
    book_->pulse_deliveries.fetch_add(1, std::memory_order_relaxed);
    book_->pulses.fetch_add(p.count, std::memory_order_relaxed);
  }
  void on_message(weir::key_batch<int>&) override { book_->batches.fetch_add(1, std::memory_order_relaxed); }
  void on_message(storm& s) override {
    book_->start_crashes_left.store(s.start_crashes);
    crash("soak: storm");
  }

 private:
  void crash_on(std::uint64_t draw) {
    if (temper_ == temper::chaotic && fatal(draw)) crash("soak: injected crash");
  }
  [[noreturn]] void crash(const char* why) {
    book_->throws.fetch_add(1, std::memory_order_relaxed);
    throw std::runtime_error(why);
  }

  worker_book* book_;
  temper temper_;
  relay_out* out_ = nullptr;
  weir::handle<worker> downstream_;
};

// ---------------------------------------------------------------------------
// Routes: every way a sender reaches a worker.

enum route : std::uint8_t { suspend, fail, drop_newest, drop_oldest, penalty, plain, pulse, latest, keyed, adhoc };
constexpr std::size_t route_count = 10;
constexpr std::array<const char*, route_count> route_names = {
    "bounded(16, suspend)", "bounded(16, fail)", "bounded(16, drop_newest)", "bounded(16, drop_oldest)",
    "unbounded(penalty)",   "unbounded",         "pulse",                    "latest",
    "keyed(8)",             "ad hoc"};

/// How often each route is taken, in percent. Most traffic is bounded and
/// suspending, which is what paces the senders: a worker drains its one
/// inbox in arrival order, so the unbounded traffic interleaved with it
/// cannot run ahead by more than its share (memory stays flat).
constexpr std::array<int, route_count> actor_weights = {28, 10, 10, 10, 14, 6, 8, 7, 7, 0};
constexpr std::array<int, route_count> thread_weights = {24, 10, 10, 10, 14, 6, 8, 7, 7, 4};

route pick(std::mt19937_64& rng, const std::array<int, route_count>& weights) {
  int dice = static_cast<int>(rng() % 100);
  for (std::size_t r = 0; r < route_count; ++r) {
    if (dice < weights[r]) return static_cast<route>(r);
    dice -= weights[r];
  }
  return suspend;
}

/// Everything one sender has towards one worker: an edge per policy and the
/// sender's own tally per route. Used by one sender at a time (its actor or
/// its thread); stats() from any thread.
struct lane {
  /// `escalates`: the target may be replaced by a new actor at its path.
  /// Ad-hoc sends to it then go over the plain edge instead: the ad-hoc
  /// edge belongs to the receiver and its counters die with it.
  lane(const weir::handle<worker>& to, std::optional<std::chrono::nanoseconds> block_timeout, bool escalates)
      : path(to.path()), target(to), escalates(escalates), pulse_edge(to), latest_edge(to),
        keyed_edge(to, weir::keyed_merge{.key_bound = 8}) {
    using weir::overflow_reaction;
    edges[suspend] = weir::connect<job_only>(to, weir::bounded{.capacity = 16, .block_timeout = block_timeout});
    edges[fail] = weir::connect<job_only>(to, weir::bounded{.capacity = 16, .on_full = overflow_reaction::fail});
    edges[drop_newest] =
        weir::connect<job_only>(to, weir::bounded{.capacity = 16, .on_full = overflow_reaction::drop_newest});
    edges[drop_oldest] =
        weir::connect<job_only>(to, weir::bounded{.capacity = 16, .on_full = overflow_reaction::drop_oldest});
    edges[penalty] = weir::connect<job_only>(to, weir::unbounded{});
    edges[plain] = weir::connect<job_only>(to, weir::unbounded{.penalty = std::nullopt});
  }

  void send(route r, std::uint64_t draw) {
    if (r == adhoc && escalates) r = plain;
    weir::send_result result;
    switch (r) {
      case pulse: result = pulse_edge.fire(); break;
      case latest: result = latest_edge.send(reading{draw}); break;
      case keyed: result = keyed_edge.changed(static_cast<int>(draw % 64)); break;
      case adhoc: result = target.send(job{draw}); break;
      default: result = edges[r].send(job{draw}); break;
    }
    tally[r].note(result);
    if (result == weir::send_result::closed) stale = true;
  }

  /// The edge's counters; nullopt for ad-hoc sends, whose edge is the
  /// receiver's own (shared by every ad-hoc sender, read from a snapshot).
  [[nodiscard]] std::optional<weir::edge_stats> stats(route r) const {
    switch (r) {
      case pulse: return pulse_edge.stats();
      case latest: return latest_edge.stats();
      case keyed: return keyed_edge.stats();
      case adhoc: return std::nullopt;
      default: return edges[r].stats();
    }
  }
  /// Nothing in flight on any of its edges.
  [[nodiscard]] bool quiet() const {
    for (std::size_t r = 0; r < route_count; ++r) {
      if (auto s = stats(static_cast<route>(r)); s && s->depth != 0) return false;
    }
    return true;
  }

  std::string path;
  weir::handle<worker> target;
  bool escalates;
  bool stale = false;  // a send answered closed: the target has stopped for good
  std::array<weir::edge<job_only>, 6> edges;
  weir::pulse_edge<tick> pulse_edge;
  weir::latest_edge<reading> latest_edge;
  weir::keyed_edge<int> keyed_edge;
  std::array<sent_tally, route_count> tally{};
};

/// One sender's lanes, kept outside it so the counters outlive it (they are
/// read after shutdown), and what it has checked and folded so far. Used by
/// its sender only, then by main once the sender has stopped.
struct sender_book {
  std::string who;
  std::optional<std::chrono::nanoseconds> block_timeout;
  std::vector<std::unique_ptr<lane>> lanes;     // one per target
  std::vector<std::unique_ptr<lane>> retiring;  // their target stopped for good; maybe still in flight
  verdict v;
  totals sum;
  std::array<totals, route_count> per_route{};
  std::uint64_t adhoc_sent = 0;
  std::uint64_t lanes_replaced = 0;

  void open(const weir::handle<worker>& to, bool escalates) {
    lanes.push_back(std::make_unique<lane>(to, block_timeout, escalates));
  }

  /// After an escalation a target's path holds a new actor: a stale lane is
  /// retired and a new one opened to it. Retired lanes are checked and
  /// folded into the totals once nothing is in flight on them, so memory
  /// stays flat however many escalations there are.
  void refresh(const weir::system& sys) {
    for (auto& l : lanes) {
      if (!l->stale) continue;
      const auto successor = sys.find<worker>(l->path);
      if (!successor || *successor == l->target) continue;  // not restarted yet
      auto fresh = std::make_unique<lane>(*successor, block_timeout, l->escalates);
      retiring.push_back(std::exchange(l, std::move(fresh)));
      ++lanes_replaced;
    }
    fold(false);
  }

  /// Checks and folds retired lanes that are quiet (all of them, and the
  /// current ones too, when `everything`: at the end).
  void fold(bool everything) {
    if (everything) {
      for (auto& l : lanes) retiring.push_back(std::move(l));
      lanes.clear();
    }
    std::erase_if(retiring, [&](const std::unique_ptr<lane>& l) {
      if (!everything && !l->quiet()) return false;
      for (std::size_t r = 0; r < route_count; ++r) {
        const auto kind = static_cast<route>(r);
        if (kind == adhoc) {
          adhoc_sent += l->tally[r].total();
          v.require(l->tally[r].total() == l->tally[r].ok, edge_name(*l, kind) + ": an ad-hoc send not ok");
          continue;
        }
        const weir::edge_stats s = *l->stats(kind);
        check_edge(v, edge_name(*l, kind), s, l->tally[r], kind == drop_oldest, l->escalates, sum);
        per_route[r].add(s);
      }
      return true;
    });
  }

  [[nodiscard]] std::string edge_name(const lane& l, route r) const {
    return who + " -> " + l.path + " " + route_names[r];
  }
};

/// Sends 64 messages a turn over random lanes and routes, then sends itself
/// `go` again, until told to stop. Suspended by a dry bounded edge, slowed
/// by a penalty: that is the back pressure under test.
class producer : public weir::actor<go> {
 public:
  producer(std::vector<weir::handle<worker>> targets, sender_book* book, std::uint64_t seed,
           const std::atomic<bool>* stop, weir::test::countdown* stopped)
      : targets_(std::move(targets)), book_(book), rng_(seed), stop_(stop), stopped_(stopped) {}

  void on_start() override {
    book_->who = path();
    for (const auto& t : targets_) book_->open(t, t.path().starts_with("/root/esc/"));
    self().send(go{});
  }
  void on_message(go&) override {
    for (int i = 0; i < 64; ++i) {
      lane& to = *book_->lanes[rng_() % book_->lanes.size()];
      const route r = pick(rng_, actor_weights);
      to.send(r, rng_());
    }
    book_->refresh(system());
    if (stop_->load(std::memory_order_acquire)) {
      stopped_->arrive();
    } else {
      self().send(go{});
    }
  }

 private:
  std::vector<weir::handle<worker>> targets_;
  sender_book* book_;
  std::mt19937_64 rng_;
  const std::atomic<bool>* stop_;
  weir::test::countdown* stopped_;
};

/// A plain std::thread sending until told to stop; its bounded suspend
/// edges block it for at most a millisecond, then answer would_block.
void foreign_sender(const weir::system& sys, const std::vector<weir::handle<worker>>& targets, sender_book* book,
                    std::uint64_t seed, const std::atomic<bool>* stop) {
  book->who = "(thread)";
  book->block_timeout = std::chrono::nanoseconds(1ms);
  for (const auto& t : targets) book->open(t, t.path().starts_with("/root/esc/"));
  std::mt19937_64 rng(seed);
  for (std::uint64_t n = 1; !stop->load(std::memory_order_acquire); ++n) {
    lane& to = *book->lanes[rng() % book->lanes.size()];
    const route r = pick(rng, thread_weights);
    to.send(r, rng());
    if (n % 256 == 0) book->refresh(sys);
  }
}

struct storm_edge {
  weir::edge<weir::interface<storm>> edge;
  sent_tally tally;
};

/// The main thread's storms for e0, over one edge per incarnation of e0.
/// An edge to an e0 that is gone holds its cell: it is checked and folded
/// into `sum` once quiet, so memory stays flat however many escalations.
struct storm_sender {
  std::optional<storm_edge> current;
  std::vector<storm_edge> retired;
  totals sum;

  void send(const weir::handle<worker>& e0, int start_crashes) {
    if (!current || !(current->edge.target() == e0)) {
      if (current) retired.push_back(std::move(*current));
      current.emplace(
          storm_edge{weir::connect<weir::interface<storm>>(e0, weir::unbounded{.penalty = std::nullopt}), {}});
    }
    current->tally.note(current->edge.send(storm{start_crashes}));
  }
  [[nodiscard]] bool quiet() const {
    if (current && current->edge.stats().depth != 0) return false;
    return std::all_of(retired.begin(), retired.end(), [](const auto& s) { return s.edge.stats().depth == 0; });
  }
  /// Checks and folds the retired edges that are quiet (all, and the
  /// current one, when `everything`: at the end).
  void fold(verdict& v, bool everything) {
    if (everything && current) {
      retired.push_back(std::move(*current));
      current.reset();
    }
    std::erase_if(retired, [&](const storm_edge& s) {
      const weir::edge_stats st = s.edge.stats();
      if (!everything && st.depth != 0) return false;
      check_edge(v, "storm -> " + s.edge.target().path(), st, s.tally, false, true, sum);
      return true;
    });
  }
};

// ---------------------------------------------------------------------------
// Memory.

/// Resident set size in bytes, from /proc/self/statm (pages).
std::uint64_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0;
  std::uint64_t resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

double mib(std::uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool sanitized = true;  // quarantine / shadow memory grow by design: RSS says nothing here
#else
constexpr bool sanitized = false;
#endif

// ---------------------------------------------------------------------------
// The run.

struct options {
  double seconds = 60;
  std::uint64_t seed = 1;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--seconds" || arg == "--seed") && i + 1 < argc) {
      const std::string value = argv[++i];
      try {
        if (arg == "--seconds") {
          o.seconds = std::stod(value);
          if (!(o.seconds > 0)) throw std::invalid_argument("not positive");
        } else {
          o.seed = std::stoull(value);
        }
      } catch (const std::exception&) {
        throw std::invalid_argument("soak: " + arg + " wants a positive number, got '" + value + "'");
      }
    } else {
      throw std::invalid_argument("soak: unknown argument '" + arg + "' (usage: soak [--seconds N] [--seed N])");
    }
  }
  return o;
}

std::string ull(std::uint64_t n) { return std::to_string(n); }

int run(const options& opt) {
  const char* scale_env = std::getenv("WEIR_STRESS_SCALE");
  const double scale = scale_env != nullptr && std::atof(scale_env) > 0 ? std::atof(scale_env) : 1.0;
  const double seconds = opt.seconds * scale;
  const auto duration = std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(seconds));
  // Warm-up: queues reach their working depth, the allocator its arenas.
  const auto warm_up = std::clamp<steady::duration>(duration / 6, 2s, 30s);
  weir::test::watchdog dog("soak", std::chrono::seconds(static_cast<long long>(seconds) + 300));

  weir::system_config config;
  config.threads = 2;
  config.logger = std::make_shared<spdlog::logger>("soak");  // no sinks: thousands of crash reports a second
  weir::system sys(config);

  // Who saw what; declared after the system, so destroyed while it still exists.
  constexpr std::size_t n_producers = 4;
  constexpr std::size_t n_threads = 2;
  constexpr int esc_intensity = 3;
  const std::vector<std::string> worker_paths = {
      "/root/ofo/o0", "/root/ofo/o1", "/root/ofo/o2", "/root/ofo/o3", "/root/rfo/r0", "/root/rfo/r1",
      "/root/rfo/r2", "/root/ofa/a0", "/root/ofa/a1", "/root/ofa/a2", "/root/esc/e0"};
  const std::string esc_worker = "/root/esc/e0";
  std::deque<worker_book> books(worker_paths.size());
  auto book = [&](const std::string& name) {
    for (std::size_t i = 0; i < worker_paths.size(); ++i) {
      if (worker_paths[i].ends_with("/" + name)) return &books[i];
    }
    throw std::logic_error("soak: no book for " + name);
  };
  std::deque<relay_out> relays;
  relays.push_back({weir::bounded{.capacity = 16}, {}, {}});                                            // r1 -> r0
  relays.push_back({weir::unbounded{}, {}, {}});                                                        // r2 -> r1
  relays.push_back({weir::bounded{.capacity = 16, .on_full = weir::overflow_reaction::fail}, {}, {}});  // a1 -> a0
  relays.push_back(
      {weir::bounded{.capacity = 16, .on_full = weir::overflow_reaction::drop_oldest}, {}, {}});  // a2 -> a1
  std::deque<sender_book> senders(n_producers + n_threads);
  storm_sender storms;

  // The tree. Intensity: never give up at this crash rate, yet the window
  // stays one second, so a supervisor's restart history stays small. Only
  // esc gives up, when a storm crashes e0 more than 3 times in a second.
  auto flags_for = [](weir::restart_strategy s, int intensity) {
    return weir::supervisor_flags{.strategy = s, .intensity = intensity, .period = 1s};
  };
  constexpr int tough = 1'000'000;
  std::vector<weir::child_spec> ofo;
  for (const char* name : {"o0", "o1", "o2", "o3"}) ofo.push_back(weir::worker<worker>(name, book(name), temper::chaotic));
  std::vector<weir::child_spec> rfo;
  rfo.push_back(weir::worker<worker>("r0", book("r0"), temper::chaotic));
  rfo.push_back(weir::worker<worker>("r1", book("r1"), &relays[0], weir::sibling<worker>{"r0"}));
  rfo.push_back(weir::worker<worker>("r2", book("r2"), &relays[1], weir::sibling<worker>{"r1"}));
  std::vector<weir::child_spec> ofa;
  ofa.push_back(weir::worker<worker>("a0", book("a0"), temper::chaotic));
  ofa.push_back(weir::worker<worker>("a1", book("a1"), &relays[2], weir::sibling<worker>{"a0"}));
  ofa.push_back(weir::worker<worker>("a2", book("a2"), &relays[3], weir::sibling<worker>{"a1"}));
  std::vector<weir::child_spec> esc;
  esc.push_back(weir::worker<worker>("e0", book("e0"), temper::steady));
  std::vector<weir::child_spec> subsystems;
  subsystems.push_back(
      weir::supervisor_child("ofo", flags_for(weir::restart_strategy::one_for_one, tough), std::move(ofo)));
  subsystems.push_back(
      weir::supervisor_child("rfo", flags_for(weir::restart_strategy::rest_for_one, tough), std::move(rfo)));
  subsystems.push_back(
      weir::supervisor_child("ofa", flags_for(weir::restart_strategy::one_for_all, tough), std::move(ofa)));
  subsystems.push_back(
      weir::supervisor_child("esc", flags_for(weir::restart_strategy::one_for_one, esc_intensity), std::move(esc)));
  auto root = sys.spawn<weir::supervisor>("root", flags_for(weir::restart_strategy::one_for_one, tough),
                                          std::move(subsystems));

  // A supervisor starts its children in its own turns: wait until all are there.
  std::vector<weir::handle<worker>> workers;
  for (const auto& p : worker_paths) {
    std::optional<weir::handle<worker>> found;
    while (!(found = sys.find<worker>(p))) std::this_thread::yield();
    workers.push_back(*found);
  }
  const std::vector<weir::handle<worker>> targets = {workers[0], workers[1], workers[2], workers[3],
                                                     workers[6], workers[9], workers[10]};

  std::atomic<bool> stop{false};
  weir::test::countdown producers_stopped(n_producers);
  std::vector<weir::child_spec> producer_specs;
  for (std::size_t p = 0; p < n_producers; ++p) {
    producer_specs.push_back(weir::worker<producer>("p" + std::to_string(p), targets, &senders[p],
                                                    opt.seed * 1000 + p, &stop, &producers_stopped));
  }
  auto load = sys.spawn<weir::supervisor>("load", weir::supervisor_flags{}, std::move(producer_specs));
  const auto tree_size = static_cast<std::int64_t>(1 + 4 + worker_paths.size() + 1 + n_producers);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < n_threads; ++t) {
    threads.emplace_back(foreign_sender, std::cref(sys), std::cref(targets), &senders[n_producers + t],
                         opt.seed * 1000 + 100 + t, &stop);
  }

  // The load runs. Once a second: RSS, no actor beyond the tree's; every
  // other second a storm for e0, which makes esc give up.
  verdict v;
  const auto started = steady::now();
  std::optional<std::uint64_t> rss_warm;
  std::uint64_t rss_peak = 0;
  std::int64_t live_max = 0;
  std::uint64_t snapshots = 0;
  for (std::uint64_t second = 1; steady::now() - started < duration; ++second) {
    std::this_thread::sleep_for(std::min<steady::duration>(1s, duration - (steady::now() - started)));
    const std::uint64_t rss = rss_bytes();
    rss_peak = std::max(rss_peak, rss);
    if (!rss_warm && steady::now() - started >= warm_up) rss_warm = rss;
    live_max = std::max(live_max, sys.live_actors());
    live_max = std::max(live_max, static_cast<std::int64_t>(sys.snapshot().actors.size()));
    ++snapshots;
    if (second % 2 == 0) {
      if (const auto e0 = sys.find<worker>(esc_worker)) storms.send(*e0, esc_intensity);
      storms.fold(v, false);
    }
  }
  const std::uint64_t rss_end = rss_bytes();
  rss_peak = std::max(rss_peak, rss_end);
  if (!rss_warm) rss_warm = rss_end;
  const double load_seconds = std::chrono::duration<double>(steady::now() - started).count();
  const std::uint64_t crashes_under_load = sys.crashes();

  // Stop the load, then drain: senders' edges first, then the relays' in
  // chain order (a relay forwards before its handler returns), so one pass
  // that finds every depth 0 means nothing is left anywhere.
  stop.store(true, std::memory_order_release);
  for (auto& t : threads) t.join();
  producers_stopped.wait();
  auto drained = [&] {
    for (const auto& s : senders) {
      for (const auto* list : {&s.lanes, &s.retiring}) {
        if (!std::all_of(list->begin(), list->end(), [](const auto& l) { return l->quiet(); })) return false;
      }
    }
    if (!storms.quiet()) return false;
    for (std::size_t i : {1U, 0U, 3U, 2U}) {
      if (relays[i].edge.stats().depth != 0) return false;
    }
    return std::all_of(workers.begin(), workers.end(), [](const auto& w) { return w.stopped() || w.queued() == 0; });
  };
  const auto drain_deadline = steady::now() + 60s;
  bool drain_ok = true;
  while (!drained()) {
    if (steady::now() > drain_deadline) {
      drain_ok = false;
      break;
    }
    std::this_thread::sleep_for(1ms);  // polls a condition: the verdict does not depend on timing
  }
  v.require(drain_ok, "the queues did not drain within 60 s of stopping the load");

  // Quiescent: read what only a snapshot shows (ad-hoc edges, restarts).
  const weir::system_snapshot quiet = sys.snapshot();
  std::uint64_t restarts = 0;
  std::uint64_t escalations = 0;
  totals adhoc_rows;
  for (const auto& a : quiet.actors) {
    if (a.path.starts_with("/root/")) restarts += a.restarts;
    if (a.path == "/root/esc") escalations = a.restarts;
    if (a.path == "/root/ofo" || a.path == "/root/rfo" || a.path == "/root/ofa") {
      v.require(a.restarts == 0, a.path + " gave up and was restarted " + ull(a.restarts) + " times");
    }
    if (!a.path.starts_with("/root/") || a.path == esc_worker) continue;
    for (const auto& in : a.edges) {
      if (!in.edge.starts_with("ad hoc")) continue;
      v.require(in.depth == 0 && in.sent == in.handled + in.refused + in.dropped + in.coalesced + in.dead_lettered,
                in.edge + ": the ad-hoc edge does not balance");
      adhoc_rows.add(weir::edge_stats{.sent = in.sent, .handled = in.handled, .refused = in.refused,
                                      .dropped = in.dropped, .coalesced = in.coalesced,
                                      .dead_lettered = in.dead_lettered});
    }
  }

  // No orphans: the root stops its subsystems, they their workers. Its
  // descendants are gone once wait_for returns (a parent finishes only
  // after its last child); /root itself leaves the tree at the guardian's
  // next turn, as it entered it (see system::snapshot).
  root.stop();
  const weir::exit_reason root_exit = sys.wait_for(root);
  v.require(root_exit.kind == weir::exit_kind::shutdown, "/root ended " + root_exit.to_string());
  for (const auto& a : sys.snapshot().actors) {
    v.require(!a.path.starts_with("/root/"), a.path + " still lives after /root stopped");
  }
  const auto unlink_deadline = steady::now() + 10s;
  auto root_listed = [&] {
    const auto actors = sys.snapshot().actors;
    return std::any_of(actors.begin(), actors.end(), [](const auto& a) { return a.path == "/root"; });
  };
  while (root_listed() && steady::now() < unlink_deadline) std::this_thread::yield();
  v.require(!root_listed(), "/root is still in the tree 10 s after it stopped");
  v.require(sys.live_actors() == static_cast<std::int64_t>(1 + n_producers),
            "after /root stopped " + std::to_string(sys.live_actors()) + " actors live, expected the " +
                std::to_string(1 + n_producers) + " of /load");
  load.stop();
  (void)sys.wait_for(load);
  sys.shutdown();
  v.require(sys.live_actors() == 0, std::to_string(sys.live_actors()) + " actors live after shutdown");
  v.require(live_max <= tree_size,
            "up to " + std::to_string(live_max) + " actors lived, the tree has " + std::to_string(tree_size));
  const std::uint64_t rss_after = rss_bytes();

  // Conservation, edge by edge, then in total.
  totals sum;
  std::array<totals, route_count> per_route{};
  std::uint64_t adhoc_sent_by_threads = 0;
  std::uint64_t lanes_replaced = 0;
  int violations = 0;
  for (auto& s : senders) {
    s.fold(true);
    sum.add(s.sum);
    for (std::size_t r = 0; r < route_count; ++r) per_route[r].add(s.per_route[r]);
    adhoc_sent_by_threads += s.adhoc_sent;
    lanes_replaced += s.lanes_replaced;
    violations += s.v.violations();
  }
  for (const auto& rel : relays) {
    const bool ring = std::holds_alternative<weir::bounded>(rel.policy) &&
                      std::get<weir::bounded>(rel.policy).on_full == weir::overflow_reaction::drop_oldest;
    check_edge(v, "relay -> " + rel.edge.target().path(), rel.edge.stats(), rel.tally, ring, false, sum);
  }
  storms.fold(v, true);
  sum.add(storms.sum);
  sum.add(adhoc_rows);
  v.require(adhoc_rows.sent == adhoc_sent_by_threads, "ad-hoc edges counted " + ull(adhoc_rows.sent) +
                                                          " sent, the threads " + ull(adhoc_sent_by_threads));
  v.require(sum.balanced(), "in total, sent != handled + refused + dropped + coalesced + dead letters");

  std::uint64_t worker_handled = 0;
  std::uint64_t throws = 0;
  std::uint64_t pulses_seen = 0;
  for (const auto& b : books) {
    worker_handled += b.handled();
    throws += b.throws;
    pulses_seen += b.pulses;
  }
  v.require(sum.handled == worker_handled,
            "edges counted " + ull(sum.handled) + " handled, the workers " + ull(worker_handled));
  v.require(sum.dead_lettered == sys.dead_letters(),
            "edges counted " + ull(sum.dead_lettered) + " dead letters, the system " + ull(sys.dead_letters()));
  v.require(sys.crashes() == throws,
            "the system counted " + ull(sys.crashes()) + " crashes, the workers threw " + ull(throws));
  v.require(sys.crashes() > 0 && restarts > 0, "no crash or no restart: the chaos did not happen");
  v.require(storms.sum.sent == 0 || escalations > 0, ull(storms.sum.sent) + " storms and esc never gave up");
  v.require(sys.deadlocks() == 0, ull(sys.deadlocks()) + " wait-for cycles in a tree that has none");
  // Every pulse sent is in exactly one delivered count, unless a delivery was dead-lettered.
  if (per_route[pulse].dead_lettered == 0) {
    v.require(pulses_seen == per_route[pulse].sent,
              "pulse counts delivered " + ull(pulses_seen) + " != pulses sent " + ull(per_route[pulse].sent));
  }

  // Flat memory.
  const std::uint64_t rss_limit = *rss_warm + *rss_warm / 5 + 16 * 1024 * 1024;
  if (!sanitized) {
    v.require(rss_end <= rss_limit, "RSS grew from " + std::to_string(mib(*rss_warm)) + " MiB after warm-up to " +
                                        std::to_string(mib(rss_end)) + " MiB (limit " +
                                        std::to_string(mib(rss_limit)) + " MiB)");
  }
  violations += v.violations();

  const auto per_s = [&](std::uint64_t n) { return static_cast<double>(n) / load_seconds; };
  const auto u = [](std::uint64_t n) { return static_cast<unsigned long long>(n); };
  std::printf("== soak: %.0f s at full load (asked %.0f s x WEIR_STRESS_SCALE %.2f), seed %llu\n", load_seconds,
              opt.seconds, scale, u(opt.seed));
  std::printf("tree            %lld actors: /root > ofo (one_for_one), rfo (rest_for_one), ofa (one_for_all), "
              "esc (gives up) > 11 workers; /load > %zu producers; + %zu threads\n",
              static_cast<long long>(tree_size), n_producers, n_threads);
  std::printf("sent            %llu  (%.0f msg/s)\n", u(sum.sent), per_s(sum.sent));
  std::printf("handled         %llu  (%.0f msg/s)\n", u(sum.handled), per_s(sum.handled));
  std::printf("refused         %llu\ndropped         %llu\ncoalesced       %llu\ndead letters    %llu\n",
              u(sum.refused), u(sum.dropped), u(sum.coalesced), u(sum.dead_lettered));
  std::printf("conservation    sent %s handled + refused + dropped + coalesced + dead letters, over %llu edges\n",
              sum.balanced() ? "==" : "!=", u(sum.edges));
  for (std::size_t r = 0; r + 1 < route_count; ++r) {
    const totals& t = per_route[r];
    std::printf("  %-24s sent %llu handled %llu refused %llu dropped %llu coalesced %llu dead %llu\n",
                route_names[r], u(t.sent), u(t.handled), u(t.refused), u(t.dropped), u(t.coalesced),
                u(t.dead_lettered));
  }
  std::printf("  %-24s sent %llu (threads, through handles)\n", route_names[adhoc], u(adhoc_rows.sent));
  std::printf("crashes         %llu  (%llu under load, %.0f/s)\n", u(sys.crashes()), u(crashes_under_load),
              per_s(crashes_under_load));
  std::printf("restarts        %llu, of which esc gave up %llu times (%llu storms; %llu sender lanes reopened)\n",
              u(restarts), u(escalations), u(storms.sum.sent), u(lanes_replaced));
  std::printf("orphans         %lld live after shutdown; at most %lld live under load (tree %lld), %llu snapshots\n",
              static_cast<long long>(sys.live_actors()), static_cast<long long>(live_max),
              static_cast<long long>(tree_size), u(snapshots));
  std::printf("RSS             start (after %.0f s warm-up) %.1f MiB, end %.1f MiB, peak %.1f MiB, after shutdown "
              "%.1f MiB; limit %.1f MiB%s\n",
              std::chrono::duration<double>(warm_up).count(), mib(*rss_warm), mib(rss_end), mib(rss_peak),
              mib(rss_after), mib(rss_limit), sanitized ? " (not checked under a sanitizer)" : "");
  std::printf("verdict         %s (%d violations)\n", violations == 0 ? "PASS" : "FAIL", violations);
  return violations == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
