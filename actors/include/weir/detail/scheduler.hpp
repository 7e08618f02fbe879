#pragma once
// weir/detail/scheduler.hpp — the threads that run actor turns.

#include <weir/detail/run_node.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace weir::detail {

/// A work-stealing thread pool for actor turns, in the shape of CAF's and
/// tokio's schedulers.
///
/// Each worker has a LIFO slot and a local queue. An actor woken by a turn
/// goes to its worker (`next` into the slot, `soon` to the front of the
/// queue); one made ready by another thread (an Asio completion, a timer, a
/// plain thread's send) goes to a shared injection queue. A worker runs its
/// slot (at most `max_lifo_streak` times in a row, so a ping-pong pair cannot
/// starve its queue), then its queue front to back, and every
/// `global_interval` turns looks at the injection queue first so that work
/// from outside is never starved by a busy worker. A worker without work
/// steals the oldest half of another's queue: the oldest entries are the
/// largest subtrees of a spawn tree, the newest stay with the thread whose
/// cache holds them. So a spawn tree runs depth-first on each thread and the
/// live actors stay few.
///
/// Idle and wake: a worker out of work first searches (spins over the other
/// queues for a few rounds), then parks on a futex. Making work ready wakes
/// at most one parked worker, and none while another worker is searching
/// (it will find the work); a searcher that finds work and was the last one
/// wakes the next. So a burst costs a few wake-ups, not one per message,
/// and a ping-pong chain stays on one thread with the other asleep.
///
/// No lost wake-up: a worker registers as idle and stops searching, then
/// looks at every queue once more before it sleeps; a thread that makes
/// work ready publishes it, then looks for idle workers. Both sides use
/// sequentially consistent operations, so at least one sees the other.
///
/// Thread safety: schedule() from any thread; start() and stop() from the
/// owning system's thread.
class scheduler {
 public:
  using run_fn = void (*)(run_node& node, void* context);

  /// `workers` threads (at least 1) that call `run(node, context)` for each
  /// ready node. `on_thread_start` runs first on each worker.
  scheduler(std::size_t workers, run_fn run, void* context, std::function<void()> on_thread_start = {});
  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;
  ~scheduler();

  void start();
  /// Lets the workers finish what is queued, then joins them.
  void stop();

  /// `node` has a turn to run.
  void schedule(run_node& node, run_order order) noexcept;

  /// True on one of this scheduler's worker threads.
  [[nodiscard]] bool on_worker() const noexcept;

  [[nodiscard]] std::size_t workers() const noexcept { return workers_.size(); }

  /// Counters for benchmarks and tests (relaxed reads).
  struct stats {
    std::uint64_t steals = 0;   ///< nodes taken from another worker's queue
    std::uint64_t parks = 0;    ///< times a worker went to sleep
    std::uint64_t wakeups = 0;  ///< times a parked worker was woken for work
  };
  [[nodiscard]] stats counters() const noexcept;

  static constexpr unsigned max_lifo_streak = 16;
  static constexpr unsigned global_interval = 61;
  static constexpr unsigned search_rounds = 32;

 private:
  struct worker;
  /// An intrusive deque of run_nodes under a mutex; `size` readable without it.
  struct queue {
    std::mutex mutex;
    run_node* head = nullptr;
    run_node* tail = nullptr;
    std::atomic<std::size_t> size{0};
    void push_front(run_node& node) noexcept;
    void push_back(run_node& node) noexcept;
    run_node* pop_front() noexcept;
    /// Moves the oldest half (at least one) of this queue to `into`'s back;
    /// returns the first moved, which the caller runs at once (not queued).
    run_node* steal_half_into(queue& into) noexcept;
  };

  void run_worker(worker& self);
  run_node* next_local(worker& self);
  run_node* search(worker& self);
  void stop_searching(worker& self) noexcept;
  run_node* pop_global() noexcept;
  bool any_work_visible() const noexcept;
  /// Parks `self` until woken; false when the scheduler stops.
  bool park(worker& self);
  /// Takes `self` off the idle list; false if a waker already had.
  bool leave_idle(worker& self) noexcept;
  void wake_one() noexcept;

  run_fn run_;
  void* context_;
  std::function<void()> on_thread_start_;
  std::vector<std::unique_ptr<worker>> workers_;
  queue global_;

  std::mutex idle_mutex_;
  std::vector<worker*> idle_;  // parked workers, guarded by idle_mutex_
  std::atomic<std::size_t> idle_count_{0};
  std::atomic<std::size_t> searching_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> steals_{0};
  std::atomic<std::uint64_t> parks_{0};
  std::atomic<std::uint64_t> wakeups_{0};
};

}  // namespace weir::detail
