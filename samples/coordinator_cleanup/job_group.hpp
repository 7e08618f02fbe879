#pragma once
// job_group.hpp — the actors of sample S4 ("no orphans"): a coordinator that
// spawns workers running jobs that never end. Header-only: the sample and
// tests/coordinator_cleanup.test.cpp share it.

#include <weir/actor.hpp>
#include <weir/testing/manual_system.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace coordinator_cleanup {

/// coordinator -> worker: run job `index` (forever, a slice per period).
struct job {
  std::size_t index = 0;
};
/// -> coordinator or worker: throw from the handler, i.e. crash.
struct boom {};

using steady = std::chrono::steady_clock;

class roster;

/// Runs one "long job": every `slice`, a slice of work, forever. Nothing in
/// the job ever ends it: only its coordinator's death (or a crash) can.
class worker : public weir::actor<job, boom> {
 public:
  worker(std::shared_ptr<roster> board, weir::clock::duration slice) : board_(std::move(board)), slice_(slice) {}

  void on_message(job& j) override;
  void on_message(boom&) override { throw std::runtime_error("worker " + name() + " failed its job"); }

 protected:
  void on_stop() override;

 private:
  void work_a_slice();

  std::shared_ptr<roster> board_;
  weir::clock::duration slice_;
  std::uint64_t state_ = 0;
  bool has_job_ = false;
};

/// What the actors tell the outside world. Written on the actors' strands,
/// read from anywhere: everything is atomic or under the mutex. Shared
/// (shared_ptr) so it outlives whichever actor touches it last.
class roster {
 public:
  /// The coordinator spawned `w` (called in spawn order).
  void add(weir::handle<worker> w) {
    std::lock_guard lock(mutex_);
    workers_.push_back(std::move(w));
  }
  /// A snapshot of every worker spawned so far.
  [[nodiscard]] std::vector<weir::handle<worker>> workers() const {
    std::lock_guard lock(mutex_);
    return workers_;
  }
  [[nodiscard]] std::size_t spawned() const {
    std::lock_guard lock(mutex_);
    return workers_.size();
  }

  std::atomic<bool> coordinator_started{false};  ///< its on_start ran (its first handler)
  std::atomic<std::size_t> working{0};           ///< workers with a job that have not stopped yet
  std::atomic<std::uint64_t> slices{0};          ///< slices of work done, all workers together
  /// When the coordinator threw on its own (crash_after), steady_clock ticks; 0 until then.
  std::atomic<steady::rep> crashed_at{0};

 private:
  mutable std::mutex mutex_;
  std::vector<weir::handle<worker>> workers_;
};

inline void worker::on_message(job& j) {
  state_ = j.index + 1;
  board_->working.fetch_add(1);
  has_job_ = true;
  start_periodic(slice_, [this] { work_a_slice(); });
}

inline void worker::on_stop() {
  if (has_job_) board_->working.fetch_sub(1);
}

inline void worker::work_a_slice() {
  for (int i = 0; i < 256; ++i) state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
  board_->slices.fetch_add(1, std::memory_order_relaxed);
}

struct group_settings {
  std::size_t workers = 64;
  /// Workers spawned per ramp-up tick: the coordinator admits its jobs a
  /// batch at a time, so a kill from outside can land between two batches,
  /// i.e. in the middle of spawning, while the first workers already work.
  std::size_t batch = 8;
  weir::clock::duration ramp_tick = std::chrono::microseconds(200);
  weir::clock::duration slice = std::chrono::milliseconds(1);
  /// If set, the coordinator throws on its own right after spawning this
  /// many workers (0: first thing in on_start; 3: in the middle of its first
  /// batch): a crash in the very handler that is spawning children.
  std::optional<std::size_t> crash_after;
};

/// Spawns the workers, `batch` at a time every `ramp_tick`, and hands each a job.
///
/// Why spawn_linked rather than spawn: either way the workers are the
/// coordinator's children, and that alone is the "no orphans" guarantee
/// this sample shows — the child is in its parent's tree before it ever
/// runs, and a parent stops its children before it stops, whether it was
/// stopped from outside or crashed. (A stop that arrives before the
/// coordinator's first turn still lets its on_start run first, so its first
/// batch is spawned and then stopped with it.) The link
/// adds the other direction: a worker that crashes takes the coordinator
/// down with it (and so, as its children, all the other workers). A job
/// group then never runs on with a member missing (OTP's spawn_link).
class coordinator : public weir::actor<boom> {
 public:
  coordinator(std::shared_ptr<roster> board, group_settings settings)
      : board_(std::move(board)), settings_(settings) {}

  void on_message(boom&) override { throw std::runtime_error("coordinator killed by a crash"); }

 protected:
  void on_start() override {
    board_->coordinator_started.store(true);
    spawn_batch();
  }

 private:
  void spawn_batch() {
    for (std::size_t n = 0; n < settings_.batch && spawned_ < settings_.workers; ++n) {
      crash_if_planned();
      weir::handle<worker> w = spawn_linked<worker>("w" + std::to_string(spawned_), board_, settings_.slice);
      board_->add(w);
      w.send(job{spawned_});
      ++spawned_;
    }
    crash_if_planned();
    if (spawned_ < settings_.workers) start_timer(settings_.ramp_tick, [this] { spawn_batch(); });
  }

  void crash_if_planned() {
    if (settings_.crash_after != spawned_) return;
    board_->crashed_at.store(steady::now().time_since_epoch().count());
    throw std::runtime_error("coordinator crashed in the middle of spawning, " + std::to_string(spawned_) +
                             " workers spawned");
  }

  std::shared_ptr<roster> board_;
  group_settings settings_;
  std::size_t spawned_ = 0;
};

/// How a coordinator is killed.
enum class kill_kind {
  stop,             ///< handle.stop() from outside
  crash_message,    ///< a `boom` from outside: it throws in its next handler
  crash_mid_spawn,  ///< it throws on its own, in the middle of spawning (crash_after)
};

inline const char* to_string(kill_kind k) {
  switch (k) {
    case kill_kind::stop: return "stop";
    case kill_kind::crash_message: return "crash";
    case kill_kind::crash_mid_spawn: return "crash-mid-spawn";
  }
  return "?";
}

/// Kills `c` from outside (crash_mid_spawn needs nothing: it kills itself).
inline void kill(const weir::handle<coordinator>& c, kill_kind kind) {
  if (kind == kill_kind::stop) c.stop();
  if (kind == kill_kind::crash_message) c.send(boom{});
}

/// Manual mode: one deterministic step. One turn if any can run; otherwise
/// virtual time moves on to the next timer (a ramp-up tick, workers'
/// slices), which fires, and the next steps run what it queued.
inline void step(weir::testing::manual_system& t) {
  if (!t.run_one()) t.clock->advance_to_next();
}

}  // namespace coordinator_cleanup
