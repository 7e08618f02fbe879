#pragma once
// weir/detail/cell.hpp — the runtime half of an actor: mailbox, turns, place in the tree.

#include <weir/detail/cell_envelope.hpp>
#include <weir/detail/cell_ptr.hpp>
#include <weir/detail/child_tree.hpp>
#include <weir/detail/edge_state.hpp>
#include <weir/detail/run_node.hpp>
#include <weir/detail/runtime.hpp>
#include <weir/detail/wait_registry.hpp>
#include <weir/exit_reason.hpp>
#include <weir/monitor.hpp>
#include <weir/mailbox/envelope_fifo.hpp>
#include <weir/mailbox/fifo_set.hpp>
#include <weir/mailbox/mailbox_queue.hpp>
#include <weir/send_result.hpp>
#include <weir/wait_record.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

namespace weir {
class actor_base;
using actor_id = std::uint64_t;
}  // namespace weir

namespace weir::detail {

/// Life of a cell. Only its own strand writes it; others read a snapshot.
///
///     created -> running -> stopping -> stopped
///                   ^          |
///                   |          v  (supervised only)
///                   +------ exited --release--> stopped
///                  restart
///
/// `exited`: a supervised actor whose behaviour has ended and whose
/// supervisor has not decided yet. The cell, its mailbox and its edges stay:
/// messages keep queueing and are handled by the restarted behaviour.
enum class phase : std::uint8_t { created, running, stopping, exited, stopped };

/// Makes the behaviour of a supervised actor; called on the actor's strand
/// inside a construction_scope, at every (re)start.
using behavior_factory = std::function<std::unique_ptr<actor_base>()>;

/// Someone to tell when a cell stops for good: a monitor, a waiting thread.
/// `notify` runs on the stopping actor's strand (or, for a cell already
/// stopped, on the thread that set the watch) and must only hand over.
struct watcher {
  std::uint64_t ref = 0;
  std::function<void(const cell& stopped, const exit_reason& reason)> notify;
};

struct timer_state;
class ask_book;
struct pending_ask;
struct cell_extras;
class edge_book;
class crash_report;

/// The part of an actor that outlives its behaviour object: identity, mailbox,
/// turns, parent and children. Handles point here.
///
/// Scheduling protocol (one turn in flight at most, so no locks in actor code):
///
///     sender: push --queued_and_woke--> wake(): schedule a turn
///     turn:   take_all -> per-inbox FIFOs -> handle up to `batch` messages
///             -> empty? try_sleep() (a racing push fails it: keep going)
///             -> budget spent? schedule the next turn later (yield to others)
///
/// Turns run on the system's scheduler (scheduler.hpp), or in manual mode
/// wherever the test says (manual_turns.hpp). Wakes raised while a turn runs
/// on this thread are held in a one-entry slot: if the turn then ends, the
/// woken actor runs next on this thread (run_order::next), which keeps
/// request/reply chains on one core and spawn trees depth-first; if the turn
/// does anything else first, the held wake goes to the front of this
/// thread's queue, where an idle thread can steal it. A sender looping over
/// many sends never strands its receiver.
///
/// Stop protocol (OTP order): stop children newest first, one at a time, each
/// confirming with a child_stopped signal; then on_stop(), cancel timers,
/// destroy the behaviour, close the mailbox (leftovers become dead letters),
/// and tell the parent, as the very last act of the last turn.
///
/// Thread safety: enqueue_*(), request_stop() and the const observers from any
/// thread; everything else only on the cell's strand (inside its turn).
class cell : public run_node, public tree_node {
 public:
  cell(std::shared_ptr<runtime> rt, cell_ptr parent, std::string name, std::size_t user_inboxes);
  cell(const cell&) = delete;
  cell& operator=(const cell&) = delete;
  ~cell();

  // --- identity (any thread) ----------------------------------------------
  [[nodiscard]] actor_id id() const noexcept { return id_; }
  [[nodiscard]] cell* parent() const noexcept { return parent_.get(); }
  /// "/name/child/grandchild" from the top-level actor down.
  [[nodiscard]] std::string path() const;
  [[nodiscard]] runtime& rt() const noexcept { return *rt_; }
  [[nodiscard]] const std::shared_ptr<runtime>& rt_shared() const noexcept { return rt_; }
  [[nodiscard]] phase current_phase() const noexcept { return phase_.load(std::memory_order_acquire); }
  [[nodiscard]] std::uint64_t handled() const noexcept { return handled_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t dead_letters() const noexcept {
    return dead_letters_.load(std::memory_order_relaxed);
  }

  /// User messages queued and not yet consumed, all inboxes together.
  [[nodiscard]] std::int64_t queued() const noexcept { return queued_.load(std::memory_order_relaxed); }

  // --- any thread ---------------------------------------------------------
  /// Sends the message at `payload` on `edge` (which must lead here), applying
  /// the edge's policy: credit, overflow reaction, soft penalty. `payload` is
  /// moved from only if the result is `ok` or `closed`.
  [[nodiscard]] send_result send_on(edge_state& edge, make_node_fn make, void* payload);
  /// The edge ad-hoc sends (handle::send) travel on: unbounded with the soft
  /// penalty. Made on first use.
  edge_state& adhoc_edge();
  /// Tells this (suspended) actor that `edge` has credit again.
  void signal_credit(edge_state& edge) noexcept;
  /// Strand only: this actor lets go of `edge`, which may hold its messages:
  /// it must not be served after the handler (its held messages die with it).
  void forget_dry(const edge_state& edge) noexcept;
  /// Strand only: `edge` holds messages of this actor for want of credit;
  /// after its user code the actor sends them on as credit allows (see
  /// on_credit), and while they wait is suspended if `suspends` (a handler
  /// held them), else keeps working (held by an earlier behaviour).
  void note_holding(edge_state& edge, bool suspends);
  /// Queues a message that its sender held for credit, now that it has it.
  void queue_held(cell_envelope& node) noexcept;
  /// Queues the carrier node of a carrier edge (see carrier_state.hpp).
  [[nodiscard]] send_result post_carrier(edge_state& edge, cell_envelope& carrier) noexcept;
  /// Counts `n` messages that died with this actor without an envelope of
  /// their own (a carrier edge's buffer, a reply to a stopped asker).
  void count_dead_letters(std::uint64_t n) noexcept;
  /// Ends ask `id` with an error (an ask_error value) as a turn of this actor.
  void fail_ask_later(std::uint64_t id, std::uint8_t error) noexcept;
  /// Queues a runtime signal; on a closed mailbox deletes it and returns false.
  bool enqueue_system(cell_envelope* signal) noexcept;
  /// Asks the actor to stop with `kind` (ignored once it is stopping).
  void request_stop(exit_kind kind) noexcept;
  /// Tells `w` when this actor stops for good; at once if it already has.
  void watch_later(watcher w) noexcept;
  /// Adds `peer` to this actor's links (the other half of peer's link()); if
  /// this actor has stopped, peer gets its exit at once.
  void link_later(cell_ptr peer) noexcept;
  void unlink_later(const cell& peer) noexcept;
  /// Queues a down notice for this actor's on_down (a monitor fired).
  void down_later(down notice) noexcept;
  /// Tells this actor that `from`, linked to it, stopped for good.
  void exit_from_link_later(cell_ptr from, exit_reason reason) noexcept;
  /// Times this actor was restarted by its supervisor.
  [[nodiscard]] std::uint32_t restarts() const noexcept { return restarts_.load(std::memory_order_relaxed); }
  /// Why it last ended. Stable once stopped; a snapshot before.
  [[nodiscard]] exit_reason last_reason() const;
  /// The live children, oldest first (references, so they stay valid).
  /// Any thread: walks the tree under each parent's small lock.
  [[nodiscard]] std::vector<cell_ptr> children() const;
  /// The first child named `name` that has not stopped for good (nor been
  /// released by its supervisor), or null. Any thread, like children().
  [[nodiscard]] cell_ptr child_named(std::string_view name) const;

  // --- names of children (any thread; see child_tree.hpp) -----------------
  /// Reserves `child`'s name among this cell's children, at spawn, before it
  /// is handed over: two live siblings never share a name, even when spawned
  /// from two threads at once. Throws std::invalid_argument naming the path
  /// if a live child (adopted or still on its way) already has it.
  void reserve_child_name(cell& child);
  /// Frees `child`'s name for a successor: once it has stopped for good, its
  /// supervisor released it, or it was cut off. Idempotent.
  void free_child_name(cell& child) noexcept;
  /// The behaviour's dynamic type (fixed at spawn; the same across restarts).
  [[nodiscard]] const std::type_info* behavior_type() const noexcept { return behavior_type_; }
  /// The edges this actor opened that a restart parked for its next
  /// behaviour (see edge_book); null if it never parked any. Strand only,
  /// or the spawning thread before the cell runs.
  [[nodiscard]] edge_book* parked_edges() const noexcept;

  // --- spawning (the spawning thread owns the new cell until it launches) ---
  void attach_behavior(std::unique_ptr<actor_base> behavior) noexcept;
  /// Watches or links before the cell runs: atomic with the spawn.
  void add_watcher(watcher w);
  void add_link(const cell_ptr& peer);
  /// Hands a freshly built cell to its parent, which links and launches it
  /// (or, if the parent is already stopping, stops it before it ever runs).
  static void hand_to_parent(const cell_ptr& child);
  /// The root of a system's tree: no behaviour, parent of top-level actors.
  static cell_ptr make_guardian(const std::shared_ptr<runtime>& rt);
  /// Stops a cell that was never launched (its parent stopped first).
  void abort_unstarted();

  // --- strand only ----------------------------------------------------------
  [[nodiscard]] actor_base* behavior() const noexcept { return behavior_.get(); }
  [[nodiscard]] bool is_running() const noexcept { return current_phase() == phase::running; }
  /// Stop normally once the current handler returns.
  void quit() noexcept { quit_requested_ = true; }
  void adopt(const cell_ptr& child);
  void on_child_stopped(cell& child);
  void on_child_exited(cell& child, const exit_reason& reason);
  void begin_stop(exit_reason reason);
  void on_stop_timeout(cell& child);
  void restart(behavior_factory& make);
  void release();
  // Links and monitors, on this actor's strand.
  std::uint64_t next_monitor_ref() noexcept;
  void on_down(down notice);
  void on_linked_exit(const cell& from, const exit_reason& reason);
  void deliver_linked_exit(linked_exit notice);
  void drop_link(const cell& peer) noexcept;
  void demonitor(std::uint64_t ref) noexcept;
  void set_trap_exit(bool trap) noexcept;
  std::shared_ptr<timer_state> start_timer(clock::duration first, clock::duration period,
                                           std::function<void()> callback);
  void cancel_timer(timer_state& timer) noexcept;
  void on_timer(const std::shared_ptr<timer_state>& timer);
  void on_credit(const edge_state* edge);

  /// Asks: records a pending request to `target` and arms its timeout.
  /// Returns the id its reply token carries.
  std::uint64_t begin_ask(const cell& target, clock::duration timeout, std::function<void(void*)> on_reply,
                          std::function<void(std::uint8_t)> on_error);
  /// The ask's reply arrived: runs its continuation, or counts a late reply.
  void complete_ask(std::uint64_t id, void* reply);
  /// The ask failed or timed out: runs its error continuation, once.
  void fail_ask(std::uint64_t id, std::uint8_t error);
  void on_penalty_paid();
  /// Inbox order: strict priority (declaration order, the default) or
  /// weighted-fair with one weight per user inbox.
  void drain_fairly(std::vector<std::uint32_t> weights);
  void drain_strictly() noexcept;

  /// Testing: stop handling anything but control signals until released.
  void set_held(bool held) noexcept { held_ = held; }
  /// Testing (manual mode): no turn of this actor runs until unstalled, as
  /// if a handler blocked its thread. Messages and signals keep queueing.
  void stall() noexcept { stalled_.store(true, std::memory_order_relaxed); }
  void unstall();
  /// Testing: hold or release the actor from any thread (a control signal).
  void hold_later() noexcept;
  void release_hold_later() noexcept;
  /// Stop taking user messages (timers and ask continuations still run)
  /// until resumed; takes effect before the next message.
  void pause_inbox() noexcept { inbox_paused_ = true; }
  /// Resumes from the actor's own strand: wakes it through a control signal,
  /// since it may have gone to sleep with messages taken but paused.
  void resume_inbox_later() noexcept;
  void set_inbox_paused(bool paused) noexcept { inbox_paused_ = paused; }

  // --- observers for insight (any thread; snapshots) ------------------------
  /// True while suspended: messages held on a bounded edge wait for credit.
  [[nodiscard]] bool is_suspended() const noexcept { return suspended_flag_.load(std::memory_order_acquire); }
  /// True while waiting out a soft-penalty pause.
  [[nodiscard]] bool is_paused() const noexcept { return paused_flag_.load(std::memory_order_acquire); }
  /// Asks sent and not yet answered, failed or timed out.
  [[nodiscard]] std::uint32_t pending_asks() const noexcept { return pending_asks_.load(std::memory_order_relaxed); }
  /// What the actor waits for right now: suspensions and pending asks.
  [[nodiscard]] std::vector<wait_record> waits() const;
  /// True while the actor has nothing to do and no turn is scheduled.
  [[nodiscard]] bool is_asleep() const noexcept { return queue_.asleep(); }
  /// Coarse times (ms of system age, see runtime::coarse_ms): when it last
  /// finished a handler or started, and the longest any handler ran. Zero
  /// when insight is off.
  [[nodiscard]] std::uint32_t last_progress_ms() const noexcept {
    return last_progress_ms_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint32_t longest_handler_ms() const noexcept {
    return longest_handler_ms_.load(std::memory_order_relaxed);
  }
  /// Replies that arrived after their ask had timed out (counted, dropped).
  [[nodiscard]] std::uint64_t late_replies() const noexcept { return late_replies_.load(std::memory_order_relaxed); }
  /// Runs one turn: what the scheduler runs in thread_pool mode, and what the
  /// manual executor runs for a cell it takes from manual_turns.
  void run_turn();

  /// The cell whose turn the calling thread is running, or nullptr.
  static cell* current() noexcept;
  /// The running turn keeps working after a send that queued nothing (it
  /// merged into a coalescing edge): a wake it holds is better run elsewhere.
  static void sender_continues() noexcept;

 private:
  friend void intrusive_ptr_add_ref(cell* c) noexcept;
  friend void intrusive_ptr_release(cell* c) noexcept;
  friend struct turn_scope;
  friend class handler_stamp;
  friend class supervision_port;  // the supervision half below is supervisor/'s, through it

  /// Makes this (unlaunched) cell a supervised child: when it ends it goes to
  /// phase::exited and reports to its parent, which restarts or releases it.
  /// A stop asked by the parent waits `shutdown_timeout` before cutting it
  /// off; `brutal` skips on_stop.
  void make_supervised(clock::duration shutdown_timeout, bool brutal);
  /// Stops child `child` (which must be ours): asks it to stop, and arms its
  /// shutdown timeout; past it, the child is cut off (see cut_off_child).
  void stop_child(cell& child);
  /// Supervisor decisions about an exited child (control signals to it).
  void restart_later(behavior_factory make) noexcept;
  void release_later() noexcept;
  /// True once the parent gave up waiting for it to stop (parent's strand).
  [[nodiscard]] bool is_cut_off() const noexcept { return cut_off_; }


  [[nodiscard]] send_result enqueue_user(cell_envelope* message) noexcept;
  void after_user_code();
  void suspend_on(edge_state& edge);
  /// Sends on what every holding edge holds, as credit allows; suspends on
  /// the first that still holds. True if suspended.
  bool send_held_or_suspend();
  /// Moves `edge`'s held messages to its receiver as credit allows; true
  /// once it holds none.
  static bool send_held(edge_state& edge) noexcept;
  void resume();
  void consumed(cell_envelope& item) noexcept;
  /// Ends ask `id` if it is still pending and this actor still runs.
  std::optional<pending_ask> take_ask(std::uint64_t id);
  cell_extras& extras();
  [[nodiscard]] std::string reason_text() const;
  void record_wait(std::uintptr_t key, wait_record record);
  void end_wait(wait_kind kind, std::uintptr_t key) noexcept;
  void end_all_waits() noexcept;
  void note_wait(const wait_arc& arc);
  void publish_credit() noexcept;
  [[nodiscard]] bool blocked() const noexcept { return suspended_on_ != nullptr || paused_ || held_; }

  void launch();
  void wake();
  void schedule_turn(run_order order);
  cell_envelope* next_envelope();
  envelope* pop_user_message();
  void distribute(mailbox_queue::chain taken) noexcept;
  void handle_one(cell_envelope* item);
  void crash(std::exception_ptr error, const cell_envelope* culprit);
  /// Logs and counts a crash (the culprit message is dead-lettered); returns its reason.
  exit_reason report_crash(std::exception_ptr error, const cell_envelope* culprit);
  [[nodiscard]] crash_report crashes() const noexcept;
  void start_behavior();
  void stop_next_child();
  void finish_stop();
  void finalize();
  void notify_watchers() noexcept;
  void discard(envelope* item) noexcept;
  void close_mailbox() noexcept;
  void notify_parent_and_release();
  void link_child(cell& child) noexcept;
  /// Takes `child` out of the list; `release` drops the link's reference
  /// too (a cut-off child keeps it until it reports, see on_child_stopped).
  void unlink_child(cell& child, bool release) noexcept;

  std::atomic<std::uint32_t> refs_{0};
  std::atomic<phase> phase_{phase::created};
  bool quit_requested_ = false;
  bool started_ = false;                 // on_start returned (so on_stop is owed)
  bool stop_sent_by_parent_ = false;     // parent's strand only
  bool supervised_ = false;              // set before launch (make_supervised); read by the parent
  const actor_id id_;
  const std::shared_ptr<runtime> rt_;
  const cell_ptr parent_;
  const std::type_info* behavior_type_ = nullptr;

  std::unique_ptr<actor_base> behavior_;
  // What most actors never need (timers, asks, fair draining, a suspension
  // on several edges, an exit reason): allocated on first use, so an idle
  // actor stays small.
  std::unique_ptr<cell_extras> extras_;

  // Children, oldest first, and the names they hold. Each link holds one
  // reference on the child until its child_stopped arrives.
  child_tree tree_;


  // Flow control. The ad-hoc edge is made on first use (most actors have
  // only edges of their own, or none); the rest is strand-only.
  edge_state* suspended_on_ = nullptr;     // suspended: handles nothing until credit returns
  bool paused_ = false;                    // paying a soft penalty
  bool held_ = false;                      // testing::hold
  bool inbox_paused_ = false;              // actor_base::pause_inbox
  std::atomic<bool> suspended_flag_{false};  // mirrors suspended_on_ for other threads
  std::atomic<bool> paused_flag_{false};     // mirrors paused_
  bool cut_off_ = false;                     // parent's strand only: see on_stop_timeout
  std::atomic<bool> stalled_{false};         // testing::stall; stalled_turn_ is set when a turn was skipped

  wait_registry waits_;  // read by other threads (insight)
  std::atomic<std::uint32_t> pending_asks_{0};
  std::atomic<std::uint32_t> restarts_{0};
  std::atomic<std::uint64_t> late_replies_{0};
  // Written by senders on every send (the mailbox head, the depth count),
  // kept together and apart from what the receiver writes per message.
  mailbox_queue queue_;
  std::atomic<std::int64_t> queued_{0};
  std::atomic<edge_state*> adhoc_edge_{nullptr};
  std::atomic<std::uint64_t> dead_letters_{0};

  // Written by the receiver on every message.
  fifo_set fifos_;                       // control, timers, then user inboxes in priority order
  std::uint32_t local_count_ = 0;        // envelopes sitting in fifos_
  bool stalled_turn_ = false;            // testing::stall skipped a turn
  std::atomic<std::uint64_t> handled_{0};
  std::atomic<std::uint32_t> last_progress_ms_{0};    // insight: see last_progress_ms()
  std::atomic<std::uint32_t> longest_handler_ms_{0};
  edge_state* dirty_edges_ = nullptr;      // consumed from this turn, credit not yet handed back
  std::int64_t consumed_unpublished_ = 0;  // likewise for queued_
};

/// Sets the cell the next actor_base constructor binds to (see actor_base()).
class construction_scope {
 public:
  explicit construction_scope(cell& c) noexcept;
  ~construction_scope();
  construction_scope(const construction_scope&) = delete;
  construction_scope& operator=(const construction_scope&) = delete;
  /// Takes the cell under construction; nullptr if no spawn is in progress.
  static cell* claim() noexcept;
  /// The cell whose behaviour is being constructed on this thread, or nullptr.
  static cell* building() noexcept;

 private:
  cell* previous_;
  cell* previous_built_;
};

/// Builds a cell for a new actor, validating the name.
cell_ptr make_cell(const std::shared_ptr<runtime>& rt, cell_ptr parent, std::string name,
                   std::size_t user_inboxes);

}  // namespace weir::detail
