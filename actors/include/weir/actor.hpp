#pragma once
// weir/actor.hpp — the base class users derive their actors from.

#include <weir/ask.hpp>
#include <weir/clock.hpp>
#include <weir/detail/cell.hpp>
#include <weir/detail/actor_executor.hpp>
#include <weir/detail/message_node.hpp>
#include <weir/detail/require.hpp>
#include <weir/handle.hpp>
#include <weir/inbox.hpp>
#include <weir/message_handler.hpp>
#include <weir/monitor.hpp>
#include <weir/timer_handle.hpp>

#include <boost/asio/bind_executor.hpp>

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace spdlog {
class logger;
}

namespace weir {

class system;

/// What every actor has, whatever it accepts. Derive from weir::actor<...>.
///
/// All member functions run on the actor's own strand (inside its handlers,
/// on_start, on_stop, timer callbacks and guarded Asio completions), so actor
/// state needs no locks. Actors are created only by system::spawn or
/// actor_base::spawn, never with new: the constructor throws otherwise.
///
/// Thread safety: call members only from the actor's own handlers.
class actor_base {
 public:
  virtual ~actor_base() = default;
  actor_base(const actor_base&) = delete;
  actor_base& operator=(const actor_base&) = delete;

  [[nodiscard]] actor_id id() const noexcept { return cell_.id(); }
  [[nodiscard]] const std::string& name() const noexcept { return cell_.name(); }
  [[nodiscard]] std::string path() const { return cell_.path(); }

 protected:
  actor_base();

  /// Runs once, on the strand, before any message. Throwing here is a crash.
  virtual void on_start() {}
  /// Runs once when the actor stops (after its children stopped), unless
  /// on_start never completed.
  virtual void on_stop() {}

  /// Stops this actor normally once the current handler returns; messages
  /// still queued then become dead letters.
  void quit() noexcept { cell_.quit(); }

  /// Spawns a child of this actor. Linking is atomic with the spawn: the child
  /// is in this actor's tree before it runs, so it cannot outlive it.
  template <class T, class... Args>
  handle<T> spawn(std::string name, Args&&... args);
  /// spawn() plus a link both ways, made before the child runs (OTP's
  /// spawn_link): if either stops with a reason other than `normal`, the
  /// other stops too, unless it traps exits.
  template <class T, class... Args>
  handle<T> spawn_linked(std::string name, Args&&... args);
  /// spawn() plus a monitor, made before the child runs (OTP's
  /// spawn_monitor): on_down() learns when and why it stopped, even if it
  /// never started.
  template <class T, class... Args>
  handle<T> spawn_monitored(std::string name, Args&&... args);

  /// Watches `target`: on_down() is called once it has stopped for good, at
  /// once (as a later turn) if it already has. Any number of monitors.
  /// Throws std::invalid_argument for an empty handle.
  template <class Interface>
  monitor_ref monitor(const handle<Interface>& target) {
    return monitor_cell(detail::target_cell(target, "weir::actor_base::monitor"));
  }
  /// Cancels a monitor; its down notice is not delivered, even if on its way.
  void demonitor(monitor_ref ref) noexcept { cell_.demonitor(ref.value); }
  /// Links this actor and `peer` both ways (see spawn_linked). Linking to an
  /// actor that has already stopped delivers its exit at once. Throws
  /// std::invalid_argument for an empty handle.
  template <class Interface>
  void link(const handle<Interface>& peer) {
    link_cell(detail::target_cell(peer, "weir::actor_base::link"));
  }
  /// Removes a link both ways; no exit of the peer arrives after this.
  template <class Interface>
  void unlink(const handle<Interface>& peer) {
    detail::cell& other = detail::target_cell(peer, "weir::actor_base::unlink");
    cell_.drop_link(other);
    other.unlink_later(cell_);
  }
  /// With `true`, a linked actor's exit arrives as on_linked_exit() instead of
  /// stopping this actor (OTP's process_flag(trap_exit, true)).
  void trap_exit(bool trap) noexcept { cell_.set_trap_exit(trap); }

  /// A monitored actor stopped (see monitor()). Default: ignore.
  virtual void on_down(const down& notice) { (void)notice; }
  /// A linked actor stopped while this one traps exits. Default: ignore.
  virtual void on_linked_exit(const linked_exit& notice) { (void)notice; }

  /// Stops taking messages after the current handler, until resume_inbox():
  /// for an actor whose work outlives its handler, e.g. an async_write per
  /// message. Messages stay queued, so their senders' credit returns only as
  /// fast as the work really goes, and back pressure reaches them. Timers,
  /// ask continuations, guarded completions and stop still run.
  void pause_inbox() noexcept { cell_.pause_inbox(); }
  /// Takes messages again (call it from the completion that ends the work).
  void resume_inbox() noexcept { cell_.resume_inbox_later(); }

  /// Drains the user inboxes weighted-fair instead of by strict priority:
  /// inbox i gets weights[i] of every sum(weights) messages while several
  /// have messages, so a low-priority inbox is never starved. One weight per
  /// inbox, each >= 1 (std::invalid_argument otherwise).
  void drain_fairly(std::vector<std::uint32_t> weights) { cell_.drain_fairly(std::move(weights)); }
  /// Back to strict priority: an inbox is served only when those declared
  /// before it are empty (biased receive; the default).
  void drain_strictly() noexcept { cell_.drain_strictly(); }

  /// Sends `request` to `to` and returns at once; this actor keeps serving
  /// other messages. Later, as a turn of this actor, exactly one of these
  /// runs: `on_reply(R&)` when the receiver answers through `request.reply`
  /// (a weir::reply_to<R>), or `on_error(ask_error)` on timeout or when the
  /// request is dropped unanswered. A reply after the timeout is counted
  /// (late_replies) and dropped. While pending, the ask is a recorded wait.
  ///
  /// Throws std::invalid_argument, and sends nothing, if `timeout` is not
  /// positive, `to` is empty, or a callback is an empty std::function or a
  /// null pointer. Code outside any actor uses system::request instead.
  template <class Interface, class Request, class OnReply, class OnError>
    requires accepts<Interface, Request> && request_message<Request>
  void ask(const handle<Interface>& to, Request request, clock::duration timeout, OnReply on_reply,
           OnError on_error) {
    using reply_type = reply_type_of<Request>;
    detail::require_positive_timeout(timeout, "weir::ask");
    detail::require_callback(on_reply, "weir::ask: on_reply");
    detail::require_callback(on_error, "weir::ask: on_error");
    const std::uint64_t id = cell_.begin_ask(
        detail::target_cell(to, "weir::ask"), timeout,
        [f = std::move(on_reply)](void* reply) mutable { f(*static_cast<reply_type*>(reply)); },
        [g = std::move(on_error)](std::uint8_t error) mutable { g(static_cast<ask_error>(error)); });
    request.reply = reply_to<reply_type>(detail::cell_ptr(&cell_), id);
    // If the receiver has stopped, the request dies with its token: on_error(no_reply) follows.
    to.send(std::move(request));
  }

  /// Calls `on_fire` once, `after` from now, as a turn of this actor; `after`
  /// zero means as soon as possible, after the current handler. Throws
  /// std::invalid_argument for a negative `after` or an empty `on_fire`.
  timer_handle start_timer(clock::duration after, std::function<void()> on_fire);
  /// Calls `on_tick` every `period`, first after one period. Throws
  /// std::invalid_argument for a `period` that is not positive or an empty
  /// `on_tick`.
  timer_handle start_periodic(clock::duration period, std::function<void()> on_tick);

  /// The actor's executor, for Asio objects (sockets, timers, resolvers) it
  /// owns: the actor's mailbox is its strand. Work queued to it runs as a
  /// turn of the actor, serialized with its messages, and only for the
  /// behaviour that asked for the executor: after a stop or a restart it is
  /// destroyed unrun. Actors that never do I/O pay nothing for it.
  using executor_type = detail::actor_executor;
  [[nodiscard]] executor_type executor() const;

  /// Wraps an Asio completion handler so it runs as part of this actor: an
  /// escaping exception is a crash, quit() is honoured, and once the actor
  /// has stopped (or restarted) it is skipped. The same holds for every
  /// intermediate step of a composed operation (async_write, async_read_until
  /// ...): they run through the actor and are dropped after stop, so they
  /// never touch a socket the stopped actor destroyed. As with any Asio
  /// operation, buffers must outlive it: let the actor own its sockets
  /// (destroying them cancels their operations) or keep the buffers
  /// elsewhere. Throws std::invalid_argument for an empty std::function or a
  /// null pointer.
  template <class Handler>
  auto guard(Handler&& handler) {
    detail::require_callback(handler, "weir::actor_base::guard: handler");
    return boost::asio::bind_executor(executor(), std::forward<Handler>(handler));
  }

  [[nodiscard]] weir::system& system() const noexcept;
  [[nodiscard]] weir::clock& clock() const noexcept { return *cell_.rt().clock; }
  [[nodiscard]] spdlog::logger& log() const noexcept { return *cell_.rt().logger; }

  /// Internal: the runtime half of this actor.
  [[nodiscard]] detail::cell& own_cell() const noexcept { return cell_; }

 private:
  friend class detail::cell;
  monitor_ref monitor_cell(detail::cell& target);
  void link_cell(detail::cell& peer);
  /// A supervised child of this actor ended (see weir::supervisor, which
  /// overrides this). The default makes the exit final.
  virtual void on_supervised_exit(detail::cell& child, const exit_reason& reason);

  detail::cell& cell_;
};

namespace detail {

template <class Inbox>
struct handler_group;
template <class... Ms>
struct handler_group<inbox<Ms...>> : message_handler<Ms>... {};

/// One message_handler<M> base per type M accepted by any of the inboxes.
template <class... Inboxes>
struct handlers_for : handler_group<Inboxes>... {};

}  // namespace detail

/// The typed base: one on_message(M&) to override per accepted type M.
template <class InboxList>
class basic_actor;

template <class... Inboxes>
class basic_actor<inbox_list<Inboxes...>> : public actor_base, public detail::handlers_for<Inboxes...> {
 public:
  using inboxes = inbox_list<Inboxes...>;

  /// A handle to this actor itself, e.g. to give to children. Narrow it to
  /// the messages they may send back: `handle<interface<reply>>(self())`.
  [[nodiscard]] handle<basic_actor> self() const {
    return handle<basic_actor>::template make<basic_actor>(detail::cell_ptr(&own_cell()));
  }

 private:
  using messages = typename detail::flatten<inboxes>::type;
  static_assert([]<class... Ms>(detail::type_list<Ms...>) {
    return ((detail::count_of<Ms, messages> == 1) && ...);
  }(messages{}), "a message type may appear in only one inbox of an actor, and only once");
};

/// Derive from this: `class counter : public weir::actor<add, reset> {...}`
/// accepts add and reset in one inbox; `weir::actor<weir::inbox<reply>,
/// weir::inbox<request>>` has two inboxes, the first preferred.
template <class... Ts>
using actor = basic_actor<typename detail::to_inbox_list<Ts...>::type>;

namespace detail {

template <class T>
void check_spawnable() {
  static_assert(std::is_base_of_v<actor_base, T>, "spawn<T>: T must derive from weir::actor<...>");
  static_assert(!std::is_abstract_v<T>,
                "spawn<T>: T is abstract — it must override on_message(M&) for every message type it accepts");
}

/// Builds an actor of type T in a new cell under `parent`, not yet running:
/// whatever must hold before it runs (links, monitors) is set up next, then
/// cell::hand_to_parent launches it.
template <class T, class... Args>
cell_ptr build_actor(const std::shared_ptr<runtime>& rt, const cell_ptr& parent, std::string name,
                     Args&&... args) {
  check_spawnable<T>();
  cell_ptr child = make_cell(rt, parent, std::move(name), T::inboxes::size);
  construction_scope scope(*child);
  child->attach_behavior(std::make_unique<T>(std::forward<Args>(args)...));
  return child;
}

template <class T>
handle<T> handle_to(cell_ptr c) noexcept {
  return handle<T>::template make<basic_actor<typename T::inboxes>>(std::move(c));
}

/// Builds an actor of type T under `parent` and hands it over.
template <class T, class... Args>
handle<T> spawn_actor(const std::shared_ptr<runtime>& rt, const cell_ptr& parent, std::string name,
                      Args&&... args) {
  cell_ptr child = build_actor<T>(rt, parent, std::move(name), std::forward<Args>(args)...);
  cell::hand_to_parent(child);
  return handle_to<T>(std::move(child));
}

/// Tells `watcher_cell` (an actor) through on_down when a cell stops for good.
watcher down_notice_to(cell& watcher_cell, std::uint64_t ref);

}  // namespace detail

template <class T, class... Args>
handle<T> actor_base::spawn(std::string name, Args&&... args) {
  return detail::spawn_actor<T>(cell_.rt_shared(), detail::cell_ptr(&cell_), std::move(name),
                                std::forward<Args>(args)...);
}

template <class T, class... Args>
handle<T> actor_base::spawn_linked(std::string name, Args&&... args) {
  detail::cell_ptr child = detail::build_actor<T>(cell_.rt_shared(), detail::cell_ptr(&cell_), std::move(name),
                                                  std::forward<Args>(args)...);
  child->add_link(detail::cell_ptr(&cell_));
  cell_.add_link(child);
  detail::cell::hand_to_parent(child);
  return detail::handle_to<T>(std::move(child));
}

template <class T, class... Args>
handle<T> actor_base::spawn_monitored(std::string name, Args&&... args) {
  detail::cell_ptr child = detail::build_actor<T>(cell_.rt_shared(), detail::cell_ptr(&cell_), std::move(name),
                                                  std::forward<Args>(args)...);
  child->add_watcher(detail::down_notice_to(cell_, cell_.next_monitor_ref()));
  detail::cell::hand_to_parent(child);
  return detail::handle_to<T>(std::move(child));
}

}  // namespace weir
