#pragma once
// weir/handle.hpp — a typed reference to an actor.

#include <weir/detail/cell.hpp>
#include <weir/detail/message_node.hpp>
#include <weir/inbox.hpp>
#include <weir/send_result.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace weir {

template <class InboxList>
class basic_actor;

/// A typed, copyable reference to an actor. `Interface` is the actor class or
/// any weir::interface<...> with the same inboxes; it fixes what may be sent.
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

  /// Converts between interfaces with the same inboxes (an actor class and
  /// the weir::interface that describes it).
  template <class Other>
    requires(!std::is_same_v<Other, Interface> &&
             std::is_same_v<typename Other::inboxes, inboxes>)
  handle(const handle<Other>& other) noexcept  // NOLINT(google-explicit-constructor)
      : cell_(other.cell_) {}

  /// Queues `message` in the inbox that accepts its type. Only types the
  /// interface declares compile. The message is moved (or copied, if you pass
  /// an lvalue) into its node once and moved into nothing else afterwards.
  /// Returns `closed` if the actor has stopped (the message is then counted
  /// as a dead letter). Throws std::logic_error on an empty handle.
  template <class M>
    requires accepts<Interface, M>
  send_result send(M&& message) const {
    using message_type = std::remove_cvref_t<M>;
    using route = detail::route<message_type, inboxes>;
    auto* node = new detail::message_node<basic_actor<inboxes>, message_type>(
        route::index(), std::forward<M>(message));
    return checked_cell("send").enqueue_user(node);
  }

  /// Asks the actor to stop (its exit reason is `shutdown`). Its children stop
  /// first, newest first. No effect if it already stops.
  void stop() const { checked_cell("stop").request_stop(exit_kind::shutdown); }

  /// True once the actor has fully stopped. A snapshot.
  [[nodiscard]] bool stopped() const {
    return checked_cell("stopped").current_phase() == detail::phase::stopped;
  }

  [[nodiscard]] actor_id id() const { return checked_cell("id").id(); }
  [[nodiscard]] const std::string& name() const { return checked_cell("name").name(); }
  [[nodiscard]] std::string path() const { return checked_cell("path").path(); }
  /// Dead letters addressed to this actor so far.
  [[nodiscard]] std::uint64_t dead_letters() const { return checked_cell("dead_letters").dead_letters(); }
  /// Messages its handlers have returned from so far.
  [[nodiscard]] std::uint64_t handled() const { return checked_cell("handled").handled(); }

  explicit operator bool() const noexcept { return cell_ != nullptr; }
  friend bool operator==(const handle& a, const handle& b) noexcept { return a.cell_ == b.cell_; }

  /// Internal: wraps a cell. Use system::spawn or actor_base::spawn instead.
  explicit handle(detail::cell_ptr cell) noexcept : cell_(std::move(cell)) {}

 private:
  template <class>
  friend class handle;

  detail::cell& checked_cell(const char* what) const {
    if (!cell_) throw std::logic_error(std::string{"weir::handle::"} + what + " on an empty handle");
    return *cell_;
  }

  detail::cell_ptr cell_;
};

}  // namespace weir
