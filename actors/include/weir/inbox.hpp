#pragma once
// weir/inbox.hpp — declaring which message types an actor accepts.

#include <weir/mailbox/envelope.hpp>

#include <cstddef>
#include <type_traits>

namespace weir {

/// One inbox: the list of message types it accepts. An actor with several
/// inboxes drains them in declaration order (the first is preferred).
///
///     class worker : public weir::actor<job, cancel> {...};                        // one inbox
///     class main_loop : public weir::actor<weir::inbox<reply>, weir::inbox<request>> {...};
template <class... Messages>
struct inbox {};

/// The inboxes of an actor, in priority order. Produced by interface<...>.
template <class... Inboxes>
struct inbox_list {
  static constexpr std::size_t size = sizeof...(Inboxes);
};

namespace detail {

template <class T>
inline constexpr bool is_inbox_v = false;
template <class... Ms>
inline constexpr bool is_inbox_v<inbox<Ms...>> = true;

template <class... Ts>
struct to_inbox_list {
  static_assert(sizeof...(Ts) > 0, "an actor must accept at least one message type");
  static constexpr bool all_inboxes = (is_inbox_v<Ts> && ...);
  static constexpr bool no_inboxes = (!is_inbox_v<Ts> && ...);
  static_assert(all_inboxes || no_inboxes,
                "list either message types (one inbox) or weir::inbox<...> groups, not both");
  using type = std::conditional_t<all_inboxes, inbox_list<Ts...>, inbox_list<inbox<Ts...>>>;
};

template <class M, class Inbox>
inline constexpr bool inbox_accepts_v = false;
template <class M, class... Ms>
inline constexpr bool inbox_accepts_v<M, inbox<Ms...>> = (std::is_same_v<M, Ms> || ...);

template <class M, class List>
struct route;
template <class M, class... Inboxes>
struct route<M, inbox_list<Inboxes...>> {
  static constexpr std::size_t matches = (std::size_t{inbox_accepts_v<M, Inboxes>} + ... + 0);
  static constexpr bool accepted = matches == 1;

  // Inbox indices start at 1: inbox 0 carries the runtime's own signals.
  static constexpr inbox_index index() noexcept {
    inbox_index i = 1;
    inbox_index found = 0;
    ((inbox_accepts_v<M, Inboxes> ? (found = i, ++i) : ++i), ...);
    return found;
  }
};

}  // namespace detail

/// The message interface of an actor: what its handles may send. Any actor
/// class is an interface too (it inherits `inboxes`), so `handle<worker>` and
/// `handle<interface<job, cancel>>` both work and convert into each other.
template <class... Ts>
struct interface {
  using inboxes = typename detail::to_inbox_list<Ts...>::type;
};

/// Satisfied when an actor with interface `Interface` accepts message type `M`
/// in exactly one of its inboxes. Sending anything else does not compile.
template <class Interface, class M>
concept accepts = detail::route<std::remove_cvref_t<M>, typename Interface::inboxes>::accepted;

}  // namespace weir
