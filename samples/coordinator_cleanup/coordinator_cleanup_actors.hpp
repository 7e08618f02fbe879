#pragma once
// coordinator_cleanup_actors.hpp — the actors of story S4, "no orphans": a
// coordinator that spawns workers running jobs that never end. Shared by the
// sample (main.cpp) and its test (tests/samples/coordinator_cleanup.test.cpp).

#include <weir/actor.hpp>

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

struct job {  ///< coordinator -> worker: run job `index`, forever
  std::size_t index = 0;
};
struct boom {};  ///< -> coordinator or worker: throw from the handler, i.e. crash

class roster;

/// A "long job": a slice of work every `slice`, forever. Nothing in the job
/// ends it: only its coordinator's death (or its own crash) can.
class worker : public weir::actor<job, boom> {
 public:
  worker(std::shared_ptr<roster> board, weir::clock::duration slice) : board_(std::move(board)), slice_(slice) {}

  void on_message(job& j) override;
  void on_message(boom&) override { throw std::runtime_error("worker " + name() + " failed its job"); }

 protected:
  void on_stop() override;

 private:
  std::shared_ptr<roster> board_;
  weir::clock::duration slice_;
  std::uint64_t state_ = 0;
  bool has_job_ = false;
};

/// What the actors tell the outside world. Written on the actors' strands,
/// read from any thread: everything is atomic or under the mutex.
class roster {
 public:
  void add(weir::handle<worker> w) {
    std::lock_guard lock(mutex_);
    workers_.push_back(std::move(w));
  }
  [[nodiscard]] std::vector<weir::handle<worker>> workers() const {
    std::lock_guard lock(mutex_);
    return workers_;
  }

  std::atomic<bool> coordinator_started{false};  ///< its on_start ran (its first handler)
  std::atomic<std::size_t> working{0};           ///< workers with a job whose on_stop has not run
  std::atomic<std::uint64_t> slices{0};          ///< slices of work done, all workers together

 private:
  mutable std::mutex mutex_;
  std::vector<weir::handle<worker>> workers_;
};

inline void worker::on_message(job& j) {
  state_ = j.index + 1;
  board_->working.fetch_add(1);
  has_job_ = true;
  start_periodic(slice_, [this] {
    for (int i = 0; i < 256; ++i) state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    board_->slices.fetch_add(1, std::memory_order_relaxed);
  });
}

inline void worker::on_stop() {
  if (has_job_) board_->working.fetch_sub(1);
}

struct group_settings {
  std::size_t workers = 64;
  /// Workers spawned per ramp-up tick: a kill from outside can land between
  /// two batches, in the middle of spawning, while the first ones already work.
  std::size_t batch = 8;
  weir::clock::duration ramp_tick = std::chrono::microseconds(200);
  weir::clock::duration slice = std::chrono::milliseconds(1);
  /// If set, the coordinator throws on its own once it has spawned this many
  /// workers: a crash in the very handler that is spawning children.
  std::optional<std::size_t> crash_after;
};

/// Spawns the workers, `batch` at a time every `ramp_tick`, and hands each a job.
///
/// The workers are the coordinator's children, and that alone is the "no
/// orphans" guarantee: a child is in its parent's tree before it ever runs,
/// and a parent stops its children before it stops, whether stopped from
/// outside or crashed. spawn_linked adds the other direction: a worker that
/// crashes takes the coordinator down, and with it every other worker, so a
/// job group never runs on with a member missing (OTP's spawn_link).
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

  void crash_if_planned() const {
    if (settings_.crash_after != spawned_) return;
    throw std::runtime_error("coordinator crashed while spawning, " + std::to_string(spawned_) + " workers spawned");
  }

  std::shared_ptr<roster> board_;
  group_settings settings_;
  std::size_t spawned_ = 0;
};

}  // namespace coordinator_cleanup
