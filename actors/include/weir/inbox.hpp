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

// No types at all: an actor driven only by I/O and timers (weir::actor<>).
template <class... Ts>
struct to_inbox_list {
  static constexpr bool all_inboxes = (is_inbox_v<Ts> && ...);
  static constexpr bool no_inboxes = (!is_inbox_v<Ts> && ...);
  static_assert(all_inboxes || no_inboxes,
                "list either message types (one inbox) or weir::inbox<...> groups, not both");
  using type = std::conditional_t<all_inboxes, inbox_list<Ts...>, inbox_list<inbox<Ts...>>>;
};

template <class... Ts>
struct type_list {
  static constexpr std::size_t size = sizeof...(Ts);
};

template <class List>
struct front;
template <class T, class... Ts>
struct front<type_list<T, Ts...>> {
  using type = T;
};

template <class A, class B>
struct concat;
template <class... As, class... Bs>
struct concat<type_list<As...>, type_list<Bs...>> {
  using type = type_list<As..., Bs...>;
};

/// All message types of an inbox_list, in inbox order then declaration order.
template <class List>
struct flatten;
template <>
struct flatten<inbox_list<>> {
  using type = type_list<>;
};
template <class... Ms, class... Rest>
struct flatten<inbox_list<inbox<Ms...>, Rest...>> {
  using type = typename concat<type_list<Ms...>, typename flatten<inbox_list<Rest...>>::type>::type;
};

/// The message types an interface (or actor class) accepts.
template <class Interface>
using messages_of = typename flatten<typename Interface::inboxes>::type;

template <class M, class List>
inline constexpr std::size_t count_of = 0;
template <class M, class... Ts>
inline constexpr std::size_t count_of<M, type_list<Ts...>> = (std::size_t{std::is_same_v<M, Ts>} + ... + 0);

/// Position of M in a type_list (M must occur exactly once).
template <class M, class List>
struct position_of;
template <class M, class... Ts>
struct position_of<M, type_list<Ts...>> {
  static constexpr std::size_t value = [] {
    std::size_t i = 0;
    std::size_t found = 0;
    ((std::is_same_v<M, Ts> ? (found = i, ++i) : ++i), ...);
    return found;
  }();
};

/// Which inbox of an actor with inboxes `List` takes M. User inbox indices
/// start at first_user_inbox, after the runtime's own.
template <class M, class List>
struct inbox_of;
template <class M, class... Inboxes>
struct inbox_of<M, inbox_list<Inboxes...>> {
  template <class Inbox>
  static constexpr bool holds = count_of<M, typename flatten<inbox_list<Inbox>>::type> > 0;

  static constexpr inbox_index value = [] {
    inbox_index i = first_user_inbox;
    inbox_index found = 0;
    ((holds<Inboxes> ? (found = i, ++i) : ++i), ...);
    return found;
  }();
};

}  // namespace detail

/// The message interface of an actor: what its handles may send. Any actor
/// class is an interface too (it inherits `inboxes`), so `handle<worker>` and
/// `handle<interface<job, cancel>>` both work. A handle converts to any
/// interface that accepts a subset of its messages: give a child a
/// `handle<interface<reply>>` to its parent and it can send replies only.
template <class... Ts>
struct interface {
  using inboxes = typename detail::to_inbox_list<Ts...>::type;
};

/// Satisfied when an actor with interface `Interface` accepts message type `M`.
/// Sending anything else does not compile.
template <class Interface, class M>
concept accepts = detail::count_of<std::remove_cvref_t<M>, detail::messages_of<Interface>> == 1;

/// Satisfied when everything `Narrow` accepts, `Wide` accepts too: a
/// handle<Wide> converts to a handle<Narrow> (a view of fewer messages).
template <class Wide, class Narrow>
concept accepts_all_of = []<class... Ms>(detail::type_list<Ms...>) {
  return (accepts<Wide, Ms> && ...);
}(detail::messages_of<Narrow>{});

}  // namespace weir
