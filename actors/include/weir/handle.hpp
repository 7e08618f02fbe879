#pragma once
// weir/handle.hpp — a typed reference to an actor.

#include <weir/detail/cell_calls.hpp>
#include <weir/detail/cell_ptr.hpp>
#include <weir/inbox.hpp>
#include <weir/send_result.hpp>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace weir {

template <class InboxList>
class basic_actor;

namespace detail {

template <class State, class Message>
class coalescing_edge;

/// A handle keeps one make_node_fn, and the receiver's inbox index, per
/// message type it may send. Defined in message_node.hpp, which the places
/// that make handles from an actor type (actor.hpp) include: a header that
/// only holds a handle never compiles the runtime.
template <class Actor, class M>
cell_envelope* make_node(void* payload);

/// One node factory per message type of `Interface`, in its order. Filled
/// where the receiver's concrete type is known (spawn, self()), and narrowed
/// by copying entries, so a handle to any subset of an actor's messages
/// still builds nodes for the real receiver.
template <class Interface>
struct node_factories {
  std::array<make_node_fn, messages_of<Interface>::size> make{};
  std::array<inbox_index, messages_of<Interface>::size> inbox{};

  template <class Actor>
  static node_factories for_actor() noexcept {
    node_factories out;
    fill<Actor>(out, messages_of<Interface>{});
    return out;
  }

  template <class Wide>
  static node_factories narrowed(const node_factories<Wide>& wide) noexcept {
    node_factories out;
    narrow(out, wide, messages_of<Interface>{});
    return out;
  }

 private:
  template <class Actor, class... Ms>
  static void fill(node_factories& out, type_list<Ms...>) noexcept {
    out.make = {&make_node<Actor, Ms>...};
    out.inbox = {inbox_of<Ms, typename Actor::inboxes>::value...};
  }
  template <class Wide, class... Ms>
  static void narrow(node_factories& out, const node_factories<Wide>& wide, type_list<Ms...>) noexcept {
    out.make = {wide.make[position_of<Ms, messages_of<Wide>>::value]...};
    out.inbox = {wide.inbox[position_of<Ms, messages_of<Wide>>::value]...};
  }
};

}  // namespace detail

/// A typed, copyable reference to an actor. `Interface` is the actor class or
/// any weir::interface<...> whose messages the actor accepts; it fixes what
/// may be sent. A handle converts to any interface with fewer messages.
///
/// A handle stays valid for as long as you hold it, across the actor's death
/// and even after its system is gone: sends then answer `closed` and are
/// counted as dead letters.
///
/// Thread safety: distinct objects: safe. Shared objects: const members safe.
template <class Interface>
class handle {
 public:
  using interface_type = Interface;
  using inboxes = typename Interface::inboxes;

  handle() noexcept = default;

  /// Narrows (or re-labels) a handle: allowed when the target interface's
  /// messages are all accepted by `Other`.
  template <class Other>
    requires(!std::is_same_v<Other, Interface> && accepts_all_of<Other, Interface>)
  handle(const handle<Other>& other) noexcept  // NOLINT(google-explicit-constructor)
      : cell_(other.cell_), factories_(detail::node_factories<Interface>::narrowed(other.factories_)) {}

  /// Queues `message` in the inbox that accepts its type. Only types the
  /// interface declares compile. An rvalue is moved into its node, an lvalue
  /// copied once; after that the message is only ever moved.
  /// Returns `ok`, or `closed` if the actor has stopped (the message is then
  /// counted as a dead letter): it never refuses, so it is fire-and-forget,
  /// `h.send(m);`, and may still be looked at. Throws std::logic_error on an
  /// empty handle.
  template <class M>
    requires accepts<Interface, M>
  send_result send(M&& message) const {
    detail::cell& receiver = checked_cell("send");
    return send_via<M>(detail::adhoc_edge_of(receiver), std::forward<M>(message));
  }

  /// Asks the actor to stop (its exit reason is `shutdown`). Its children stop
  /// first, newest first. No effect if it already stops.
  void stop() const { detail::request_stop_of(checked_cell("stop"), exit_kind::shutdown); }

  /// True once the actor has fully stopped. A snapshot.
  [[nodiscard]] bool stopped() const {
    return detail::has_stopped(checked_cell("stopped"));
  }

  [[nodiscard]] actor_id id() const { return detail::id_of(checked_cell("id")); }
  [[nodiscard]] const std::string& name() const { return detail::name_of(checked_cell("name")); }
  [[nodiscard]] std::string path() const { return detail::path_of(checked_cell("path")); }
  /// True while the actor is suspended on a bounded edge with no credit.
  [[nodiscard]] bool suspended() const { return detail::is_suspended(checked_cell("suspended")); }
  /// True while the actor waits out a soft-penalty pause.
  [[nodiscard]] bool paused() const { return detail::is_paused(checked_cell("paused")); }
  /// What it waits for right now: the bounded edge it is suspended on, and
  /// its pending asks, each with since when. A snapshot.
  [[nodiscard]] std::vector<wait_record> waits() const { return detail::waits_of(checked_cell("waits")); }
  /// Asks it has sent and not yet seen answered, failed or timed out.
  [[nodiscard]] std::uint32_t pending_asks() const { return detail::pending_asks_of(checked_cell("pending_asks")); }
  /// Replies it got after their ask had timed out (counted, dropped).
  [[nodiscard]] std::uint64_t late_replies() const { return detail::late_replies_of(checked_cell("late_replies")); }
  /// User messages queued for it and not yet consumed.
  [[nodiscard]] std::int64_t queued() const { return detail::queued_of(checked_cell("queued")); }
  /// Dead letters addressed to this actor so far.
  [[nodiscard]] std::uint64_t dead_letters() const { return detail::dead_letters_of(checked_cell("dead_letters")); }
  /// Messages its handlers have returned from so far.
  [[nodiscard]] std::uint64_t handled() const { return detail::handled_of(checked_cell("handled")); }

  explicit operator bool() const noexcept { return cell_ != nullptr; }
  /// Same actor (whatever the interface).
  template <class Other>
  bool operator==(const handle<Other>& other) const noexcept {
    return cell_ == other.cell_;
  }

  /// Internal: a handle to `cell`, whose behaviour derives from `Actor`.
  template <class Actor>
  static handle make(detail::cell_ptr cell) noexcept {
    handle out;
    out.cell_ = std::move(cell);
    out.factories_ = detail::node_factories<Interface>::template for_actor<Actor>();
    return out;
  }

 private:
  template <class>
  friend class handle;

  template <class>
  friend class edge;
  template <class, class>
  friend class detail::coalescing_edge;

  /// How a message of type M reaches the real receiver: its node factory and inbox.
  template <class M>
  [[nodiscard]] std::pair<detail::make_node_fn, inbox_index> route_of() const noexcept {
    constexpr std::size_t at = detail::position_of<M, detail::messages_of<Interface>>::value;
    return {factories_.make[at], factories_.inbox[at]};
  }
  template <class I>
  friend detail::cell& detail_cell(const handle<I>& h);

  /// Sends on `edge` (ad-hoc or an edge's own). An rvalue is handed to the
  /// runtime by address and moved from only if it is accepted; an lvalue is
  /// copied first.
  template <class M>
  [[nodiscard]] send_result send_via(detail::edge_state& edge, M&& message) const {
    using message_type = std::remove_cvref_t<M>;
    const auto make = factories_.make[detail::position_of<message_type, detail::messages_of<Interface>>::value];
    constexpr std::size_t node_bytes = sizeof(detail::cell_envelope) + sizeof(message_type);
    if constexpr (std::is_same_v<M, message_type>) {  // a non-const rvalue
      return detail::send_to(*cell_, edge, make, std::addressof(message), node_bytes);
    } else {
      message_type copy(std::forward<M>(message));
      return detail::send_to(*cell_, edge, make, std::addressof(copy), node_bytes);
    }
  }

  detail::cell& checked_cell(const char* what) const {
    if (!cell_) throw std::logic_error(std::string{"weir::handle::"} + what + " on an empty handle");
    return *cell_;
  }

  detail::cell_ptr cell_;
  detail::node_factories<Interface> factories_;
};

/// Internal: the cell behind a handle (for the testing kit and insight).
template <class I>
detail::cell& detail_cell(const handle<I>& h) {
  return h.checked_cell("detail_cell");
}

namespace detail {

/// The cell behind a handle passed to `where` (ask, monitor, link, request,
/// wait_for): std::invalid_argument naming `where` if the handle is empty.
template <class I>
cell& target_cell(const handle<I>& h, std::string_view where) {
  if (!h) throw std::invalid_argument(std::string{where} + ": the target handle is empty");
  return detail_cell(h);
}

}  // namespace detail

}  // namespace weir
