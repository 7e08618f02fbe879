#pragma once
// ide_main_loop_actors.hpp — the actors of story S2, "sizing channels". Shared
// by the sample (main.cpp) and its test (tests/samples/ide_main_loop.test.cpp).

#include <weir/actor.hpp>
#include <weir/coalescing.hpp>
#include <weir/edge.hpp>
#include <weir/timer_handle.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ide_main_loop {

using namespace std::chrono_literals;

struct settings {
  std::size_t request_capacity = 16;  ///< client -> main loop: bounded, suspend
  std::size_t max_in_flight = 4;      ///< requests at the worker at once (application level)
  std::size_t key_bound = 64;         ///< more changed paths than this collapse into "rescan everything"
  std::vector<std::uint32_t> inbox_weights = {4, 1, 2};  ///< responses, file batches, requests
  std::size_t requests_per_tick = 5;  ///< the client's requests per keystroke...
  weir::clock::duration tick = 1ms;   ///< ...one keystroke a tick...
  std::size_t window = 32;            ///< ...at most this many unanswered
  weir::clock::duration job_time = 60us;  ///< the worker's external tool, per request
  std::size_t read_size = 4096;       ///< change events the watcher takes from the OS per read...
  weir::clock::duration read_interval = 1ms;  ///< ...one read each interval
};

/// What the actors did. Written on their strands (a field has one writer);
/// read when they are idle (manual system) or stopped (after shutdown).
struct counters {
  std::uint64_t sent = 0, answered = 0, out_of_order = 0, skipped = 0;  // client
  std::uint64_t requests = 0, batches = 0, path_sets = 0, overflows = 0, paths_reindexed = 0;  // main loop
  std::size_t largest_path_set = 0, max_in_flight = 0, max_queued = 0;
  std::uint64_t forward_ran_dry = 0, max_waited_behind = 0;  // main loop: credits, messages a request waited behind
  std::uint64_t pulses = 0, rescans = 0;                     // indexer
};

/// These actors' sends fail only if the receiver stopped mid-run: make that a crash.
inline void sent(weir::send_result r) {
  if (r != weir::send_result::ok) throw std::runtime_error("ide_main_loop: a receiver stopped mid-run");
}
/// bounded(capacity): past it, an actor sending is suspended until credit returns.
inline weir::bounded suspending(std::size_t capacity) {
  return {.capacity = capacity, .on_full = weir::overflow_reaction::suspend, .block_timeout = std::nullopt};
}
struct request { std::uint64_t id = 0; std::uint64_t loop_handled_at_send = 0; };
struct answer { std::uint64_t id = 0; };
struct job { std::uint64_t id = 0; };
struct job_done { std::uint64_t id = 0; };
using path_batch = weir::key_batch<std::string>;  ///< paths changed since the main loop looked, or overflow
struct rescan_tag;
using rescan_pulse = weir::pulse<rescan_tag>;     ///< "the index is stale, rescan everything"

/// Waits on its tool without holding a thread (a timer), answers on a back
/// edge that never blocks: a worker waiting for room in the main loop while
/// the main loop waits for room in the worker is the classic deadlock.
class worker : public weir::actor<job> {
 public:
  worker(weir::handle<weir::interface<job_done>> loop, weir::clock::duration job_time) : loop_(loop), job_time_(job_time) {}
  void on_start() override { to_loop_ = weir::connect(loop_, weir::unbounded{.penalty = std::nullopt}); }
  void on_message(job& j) override { start_timer(job_time_, [this, id = j.id] { sent(to_loop_.send(job_done{id})); }); }

 private:
  weir::handle<weir::interface<job_done>> loop_;
  weir::clock::duration job_time_;
  weir::edge<weir::interface<job_done>> to_loop_;
};

/// Rescans the whole project, off the main loop, once per delivery however many pulses it merges.
class indexer : public weir::actor<rescan_pulse> {
 public:
  explicit indexer(counters& c) : c_(c) {}
  void on_message(rescan_pulse& p) override {
    c_.pulses += p.count;
    ++c_.rescans;
  }

 private:
  counters& c_;
};

/// Three inboxes drained weighted-fair: responses first (each frees an
/// in-flight slot), and a stream of file batches cannot starve requests.
class main_loop : public weir::actor<weir::inbox<job_done>, weir::inbox<path_batch>, weir::inbox<request>> {
 public:
  main_loop(weir::handle<weir::interface<answer>> client, weir::handle<indexer> index, settings s, counters& c)
      : client_(client), indexer_(index), s_(std::move(s)), c_(c) {
    drain_fairly(s_.inbox_weights);
  }

  void on_start() override {
    auto w = spawn<worker>("worker", weir::handle<weir::interface<job_done>>(self()), s_.job_time);  // a child
    // Forward edge, bounded with credits; one spare credit lets the
    // in-flight limit bind first, so the main loop is never suspended on it.
    to_worker_ = weir::connect<weir::interface<job>>(w, suspending(s_.max_in_flight + 1));
    to_client_ = weir::connect(client_, weir::unbounded{.penalty = std::nullopt});  // a back edge never blocks
    to_indexer_ = weir::pulse_edge<rescan_tag>(indexer_);  // any number of rescans asked arrive as one
  }
  void on_message(request& r) override {
    ++c_.requests;
    c_.max_waited_behind = std::max(c_.max_waited_behind, self().handled() - r.loop_handled_at_send);
    queued_.push_back(r.id);
    forward_queued();
    c_.max_queued = std::max(c_.max_queued, queued_.size());
  }
  void on_message(job_done& done) override {
    --in_flight_;
    sent(to_client_.send(answer{done.id}));
    forward_queued();
  }
  void on_message(path_batch& batch) override {
    ++c_.batches;
    if (batch.overflow) {
      ++c_.overflows;
      to_indexer_.fire();
      return;
    }
    ++c_.path_sets;  // few paths: reindex them here, at once
    c_.paths_reindexed += batch.keys.size();
    c_.largest_path_set = std::max(c_.largest_path_set, batch.keys.size());
  }

 private:
  void forward_queued() {
    for (; in_flight_ < s_.max_in_flight && !queued_.empty(); queued_.pop_front()) {
      sent(to_worker_.send(job{queued_.front()}));
      if (to_worker_.stats().credits <= 0) ++c_.forward_ran_dry;  // weir would suspend the main loop now
      c_.max_in_flight = std::max(c_.max_in_flight, ++in_flight_);
    }
  }

  weir::handle<weir::interface<answer>> client_;
  weir::handle<indexer> indexer_;
  settings s_;
  counters& c_;
  weir::edge<weir::interface<job>> to_worker_;
  weir::edge<weir::interface<answer>> to_client_;
  weir::pulse_edge<rescan_tag> to_indexer_;
  std::deque<std::uint64_t> queued_;  // requests waiting for an in-flight slot
  std::size_t in_flight_ = 0;
};

struct start_stream { weir::handle<weir::interface<request>> loop; };
struct stop_stream { std::promise<void> all_answered; };

/// The editor: every keystroke sends a few requests while fewer than `window`
/// are unanswered (past it, it drops them, as it would a stale completion).
/// Its edge to the main loop is bounded: should the main loop fall behind,
/// weir suspends the client, keystroke timer included.
class client : public weir::actor<answer, start_stream, stop_stream> {
 public:
  client(settings s, counters& c) : s_(std::move(s)), c_(c) {}

  void on_message(start_stream& start) override {
    to_loop_ = weir::connect(start.loop, suspending(s_.request_capacity));
    keystrokes_ = start_periodic(s_.tick, [this] {
      for (std::size_t i = 0; i < s_.requests_per_tick; ++i) {
        if (c_.sent - c_.answered >= s_.window) {
          ++c_.skipped;
        } else {
          sent(to_loop_.send(request{c_.sent++, to_loop_.target().handled()}));
        }
      }
    });
  }
  void on_message(stop_stream& stop) override {
    keystrokes_.cancel();
    all_answered_ = std::move(stop.all_answered);
    on_answer();
  }
  void on_message(answer& a) override {
    if (a.id != c_.answered) ++c_.out_of_order;  // every hop is FIFO: answers come in request order
    ++c_.answered;
    on_answer();
  }

 private:
  void on_answer() {
    if (all_answered_ && c_.answered == c_.sent) std::exchange(all_answered_, std::nullopt)->set_value();
  }

  settings s_;
  counters& c_;
  weir::edge<weir::interface<request>> to_loop_;
  weir::timer_handle keystrokes_;
  std::optional<std::promise<void>> all_answered_;
};

/// Plays `events` change events: event i changes burst[i % burst.size()]
/// (saves), or project file i if burst is empty (a branch switch).
struct emit_changes {
  std::vector<std::string> burst;
  std::size_t events = 0;
  std::promise<weir::edge_stats> done;  ///< the keyed edge's counters after the last event
};

/// Takes read_size events from the OS per read and reports each on a keyed
/// edge: paths merge into the one batch waiting for the main loop, past the
/// key bound into one overflow. The main loop's file inbox holds one message,
/// however fast the OS (which nobody can push back on) changes files.
class file_watcher : public weir::actor<emit_changes> {
 public:
  file_watcher(weir::handle<weir::interface<path_batch>> loop, settings s) : loop_(loop), s_(std::move(s)) {}

  void on_start() override { to_loop_ = weir::keyed_edge<std::string>(loop_, weir::keyed_merge{.key_bound = s_.key_bound}); }
  void on_message(emit_changes& emit) override {
    script_ = std::move(emit);
    next_ = 0;
    reads_ = start_periodic(s_.read_interval, [this] { read(); });
  }

 private:
  void read() {
    for (const std::size_t end = std::min(script_.events, next_ + s_.read_size); next_ < end; ++next_) {
      to_loop_.changed(script_.burst.empty() ? "src/file_" + std::to_string(next_) + ".cpp"
                                              : script_.burst[next_ % script_.burst.size()]);
    }
    if (next_ < script_.events) return;
    reads_.cancel();
    script_.done.set_value(to_loop_.stats());
  }

  weir::handle<weir::interface<path_batch>> loop_;
  settings s_;
  weir::keyed_edge<std::string> to_loop_;
  weir::timer_handle reads_;
  emit_changes script_;
  std::size_t next_ = 0;
};

}  // namespace ide_main_loop
