#pragma once
// weir/system.hpp — the actor system: threads, the tree's root, shutdown.

#include <weir/actor.hpp>
#include <weir/config.hpp>
#include <weir/detail/cell.hpp>
#include <weir/detail/runtime.hpp>
#include <weir/handle.hpp>
#include <weir/request.hpp>
#include <weir/snapshot.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <spdlog/common.h>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <thread>
#include <utility>
#include <vector>

namespace weir {

namespace detail {
class request_book;
class scheduler;
struct run_node;
}

/// Owns the scheduler whose threads run actor turns, an Asio io_context with
/// one thread of its own that waits for I/O and timers, and the root of the
/// actor tree. Top-level actors spawned here are children of that root.
///
/// Shutdown is structured: shutdown() (and the destructor) stops top-level
/// actors newest first, each after its own children, and returns only when
/// every actor has stopped and every thread has joined.
///
/// Thread safety: spawn(), find() and the observers from any thread, including
/// actor handlers. What waits (shutdown, wait_for, wait_for_path) and
/// request() from any thread that is not one of the system's own: inside an
/// actor they throw std::logic_error, since they would block its thread.
class system {
 public:
  /// Throws std::invalid_argument naming an invalid config field.
  explicit system(system_config config = {});
  ~system();
  system(const system&) = delete;
  system& operator=(const system&) = delete;

  /// Spawns a top-level actor `T(args...)` named `name`. The constructor runs
  /// on the calling thread (its exceptions reach the caller); on_start and
  /// every handler then run on the actor's strand.
  ///
  /// Names are unique among live siblings, here as under any actor: throws
  /// std::invalid_argument naming the path if a live actor already has it
  /// (also one spawned an instant ago on another thread), or if `name` is
  /// empty or holds a '/'. A name is free again once its actor has stopped
  /// for good (e.g. after wait_for() on it returned).
  template <class T, class... Args>
  handle<T> spawn(std::string name, Args&&... args) {
    return detail::spawn_actor<T>(rt_, guardian_, std::move(name), std::forward<Args>(args)...);
  }

  /// Blocks until `actor` has stopped for good, and returns why: e.g. a root
  /// supervisor that gave up (past its restart intensity) returns a crashed
  /// reason naming the cause, which a main() turns into its exit status.
  /// In manual mode it runs the system's turns itself, and throws
  /// std::logic_error if nothing is left to run while the actor still lives.
  /// Not from inside an actor (std::logic_error).
  /// Throws std::invalid_argument for an empty handle.
  template <class Interface>
  exit_reason wait_for(const handle<Interface>& actor) {
    return wait_for_cell(detail::target_cell(actor, "weir::system::wait_for"));
  }

  /// The live actor at `path` ("/root/db/writer"), as a handle of type T;
  /// nullopt if there is none. Throws std::invalid_argument if the actor
  /// there is not a T, or if `path` cannot name an actor (it must be
  /// "/name" or "/name/child/...", with no empty name). Any thread.
  template <class T>
  std::optional<handle<T>> find(std::string_view path) const {
    require_path(path, "weir::system::find");
    return typed<T>(find_cell(path));
  }

  /// Waits until an actor is live at `path` and returns it, as find() would;
  /// nullopt if none is there within `timeout` (on the system's clock, so a
  /// manual_clock fires it). For actors that appear later: a supervisor's
  /// child, a child an actor spawns in response to something. It sleeps
  /// until a child is linked anywhere in the tree and then looks again (no
  /// polling), so it returns once the actor's parent has adopted it (as
  /// find() sees it), before the actor's on_start has necessarily run.
  ///
  /// In manual mode it runs the system's turns itself, one at a time, and
  /// returns as soon as the actor is there; if nothing is left to run while
  /// it is still missing and the timeout has not fired, it throws
  /// std::logic_error (advance the clock first).
  ///
  /// Throws std::invalid_argument for a malformed path or a timeout that is
  /// not positive, and if the actor found is not a T; std::logic_error
  /// inside an actor or on a pool thread.
  template <class T>
  std::optional<handle<T>> wait_for_path(std::string_view path, clock::duration timeout) {
    return typed<T>(wait_for_cell_at(path, timeout));
  }

  /// Asks `to` from code outside any actor (main(), a test, a plain thread):
  /// sends `message` with its reply token (its member `reply`, a
  /// weir::reply_to<R>) filled in, and returns a future for the reply. The
  /// future holds a weir::ask_failed (naming the target and the ask_error)
  /// when no reply comes within `timeout`, on the system's clock
  /// (ask_error::timeout), or when the request is dropped unanswered: the
  /// target has stopped, crashed on it, or let the token go
  /// (ask_error::no_reply). A reply after the timeout is counted
  /// (late_request_replies()) and dropped. Requests still pending at
  /// shutdown end with no_reply.
  ///
  /// It never blocks: wait on the future from a plain thread. In manual mode
  /// run the executor, then read the future. Actors use actor_base::ask:
  /// called inside an actor or on a pool thread, it throws std::logic_error.
  /// Throws std::invalid_argument, sending nothing, for an empty handle or a
  /// timeout that is not positive.
  template <class Interface, class Request>
    requires accepts<Interface, Request> && request_message<Request>
  [[nodiscard]] std::future<reply_type_of<Request>> request(const handle<Interface>& to, Request message,
                                                           clock::duration timeout) {
    using reply_type = reply_type_of<Request>;
    require_outside_actors("weir::system::request", "actors use ask()");
    detail::require_positive_timeout(timeout, "weir::system::request");
    const detail::cell& target = detail::target_cell(to, "weir::system::request");
    auto pending = std::make_shared<detail::pending_request<reply_type>>(target.path());
    std::future<reply_type> reply = pending->future();
    open_request(pending, timeout);
    message.reply = reply_to<reply_type>(std::shared_ptr<detail::reply_sink<reply_type>>(pending));
    to.send(std::move(message));  // a stopped target drops it with its token: no_reply
    return reply;
  }

  /// Every live actor, the edges into each, the wait-for cycles standing
  /// and the lints holding now (see snapshot.hpp). Any thread, including
  /// actor handlers.
  ///
  /// Consistency: nothing is stopped to read it. Each actor's fields are
  /// read one after another while it may be running, so they are each
  /// exact but not one instant (a message may be counted handled and still
  /// queued); the tree is read parent by parent. At quiescence it is exact.
  /// Durations are coarse, at the watchdog's tick (insight_config::tick).
  /// A spawned actor appears once its parent has linked it (by the parent's
  /// next turn), like find().
  ///
  /// Cost: a walk over the tree (one small lock per parent), one lock over
  /// the edge registry, one over the wait-for graph, and the strings: about
  /// a microsecond per actor (benchmarks/snapshot.cpp measures 100k actors).
  /// The actors themselves pay nothing for it.
  [[nodiscard]] system_snapshot snapshot() const;

  /// The snapshot as text: the tree, one line per live actor indented under
  /// its parent (path, state, handled, queued, restarts, waits), then the
  /// standing cycles and lints. Any thread.
  [[nodiscard]] std::string tree_text() const;
  /// Logs tree_text() through the system's logger at `level`.
  void log_tree(spdlog::level::level_enum level) const;

  /// Runs the watchdog's checks once (see insight_config): how manual-mode
  /// tests and applications without the watchdog thread drive lints. A no-op
  /// when insight is off.
  void watchdog_tick();
  /// The lints holding now (also in snapshot()).
  [[nodiscard]] std::vector<lint> lints() const;
  /// Lints of `kind` raised so far: once each time its condition begins to
  /// hold (0 when insight is off). Any thread.
  [[nodiscard]] std::uint64_t lints_raised(lint_kind kind) const noexcept;

  /// Stops every actor (children before parents, newest first), then joins
  /// the threads. Idempotent. Throws std::logic_error if called from inside
  /// an actor, where waiting for itself would never end.
  void shutdown();

  /// The io_context actors' Asio objects belong to.
  [[nodiscard]] boost::asio::io_context& io_context() noexcept { return *io_; }
  [[nodiscard]] weir::clock& clock() const noexcept { return *rt_->clock; }
  [[nodiscard]] const system_config& config() const noexcept { return rt_->config; }
  [[nodiscard]] spdlog::logger& log() const noexcept { return *rt_->logger; }
  /// Threads that run actor turns (config.threads; 0 in manual mode).
  [[nodiscard]] std::size_t thread_count() const noexcept;
  /// The runtime behind the system, for weir's own test kit (weir::testing),
  /// which drives manual mode through it. Not for applications.
  [[nodiscard]] detail::runtime& runtime() noexcept { return *rt_; }

  /// Messages that reached a stopped actor, or crashed one, so far.
  [[nodiscard]] std::uint64_t dead_letters() const noexcept { return rt_->dead_letters.load(); }
  /// Exceptions that escaped actor code so far.
  [[nodiscard]] std::uint64_t crashes() const noexcept { return rt_->crashes.load(); }
  /// Actors started and not yet stopped.
  [[nodiscard]] std::int64_t live_actors() const noexcept { return rt_->live.load(); }
  /// Wait-for cycles detected so far (see deadlock.hpp).
  [[nodiscard]] std::uint64_t deadlocks() const noexcept { return rt_->deadlocks.load(); }
  /// Waits in the wait-for graph right now (suspensions and pending asks).
  [[nodiscard]] std::size_t waits() const { return rt_->waits.size(); }
  /// Waits that ever entered the wait-for graph: all the work the deadlock
  /// detector has done (none while nobody waits).
  [[nodiscard]] std::uint64_t waits_begun() const noexcept { return rt_->waits.added(); }
  /// Actors started since the system was made.
  [[nodiscard]] std::uint64_t started_actors() const noexcept { return rt_->started.load(); }
  /// request()s not yet ended (answered, failed or timed out).
  [[nodiscard]] std::size_t pending_requests() const;
  /// Replies to request()s that came after they had timed out (counted, dropped).
  [[nodiscard]] std::uint64_t late_request_replies() const noexcept;

 private:
  void wait_for_guardian();
  /// What the scheduler runs: one turn of the cell `node` is.
  static void run_turn_of(detail::run_node& node, void* self) noexcept;
  void start_insight();
  void await_sigusr1();
  void stop_insight();
  exit_reason wait_for_cell(detail::cell& actor);
  detail::cell_ptr wait_for_cell_at(std::string_view path, clock::duration timeout);
  void open_request(const std::shared_ptr<detail::request_entry>& entry, clock::duration timeout);
  /// Throws std::logic_error naming `what` inside an actor or on a pool thread.
  static void require_outside_actors(std::string_view what, std::string_view instead);
  static void require_path(std::string_view path, std::string_view where);
  [[nodiscard]] detail::cell_ptr find_cell(std::string_view path) const;
  static void check_type(const detail::cell& found, const std::type_info& wanted);
  template <class T>
  static std::optional<handle<T>> typed(detail::cell_ptr found) {
    if (!found) return std::nullopt;
    check_type(*found, typeid(T));
    return detail::handle_to<T>(std::move(found));
  }

  std::shared_ptr<detail::runtime> rt_;
  std::unique_ptr<boost::asio::io_context> io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  detail::cell_ptr guardian_;
  std::unique_ptr<detail::scheduler> scheduler_;  // thread_pool mode only
  std::thread io_thread_;                          // thread_pool mode only: the I/O reactor
  std::atomic<bool> shut_down_{false};
  std::shared_ptr<detail::request_book> requests_;
  struct insight_parts;  // the watchdog and the SIGUSR1 handler, when enabled
  std::unique_ptr<insight_parts> insight_;
};

}  // namespace weir
