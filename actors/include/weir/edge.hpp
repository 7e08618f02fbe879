#pragma once
// weir/edge.hpp — a sender's end of an edge with its own flow-control policy.

#include <weir/detail/cell.hpp>
#include <weir/detail/edge_book.hpp>
#include <weir/detail/edge_state.hpp>
#include <weir/detail/ring_state.hpp>
#include <weir/edge_stats.hpp>
#include <weir/handle.hpp>
#include <weir/mailbox/policy.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace weir {

/// The sending end of one edge (sender -> receiver) with the policy chosen
/// for it: bounded with credits, or unbounded with or without the soft
/// penalty. Ad-hoc sends through a handle use the system's `adhoc` policy;
/// an edge is how one sender gets a different one:
///
///     to_worker_ = weir::connect(worker, weir::bounded{.capacity = 16});
///     (void)to_worker_.send(job{...});   // past 16 unconsumed: held here, and
///                                        // this actor suspended after its handler
///
/// The edge belongs to the sender: credit is counted for it alone, so it can
/// be moved but not copied. Destroying it leaves messages in flight intact;
/// messages it holds for want of credit (see bounded) are dead-lettered.
///
/// Across a supervised restart the edge survives: the behaviour's edges are
/// parked in the actor's cell, and an edge the new behaviour opens in its
/// constructor or on_start to the same receiver, for the same interface
/// and policy, is the old one again (same counters, same credit: messages
/// still queued from before the restart count against the capacity). An
/// edge it does not reopen by then closes, and its final counts stay in
/// snapshots (system_snapshot::closed_edges).
///
/// Thread safety: one sender at a time (an actor, or one other thread).
/// stats() from any thread.
template <class Interface>
class edge {
 public:
  edge() noexcept = default;

  /// Validates `policy` (std::invalid_argument naming the field) and opens
  /// an edge to `to`'s inbox(es) for the messages of `Interface`.
  template <class Other>
    requires accepts_all_of<Other, Interface>
  edge(const handle<Other>& to, edge_policy policy) : to_(to) {
    if (!to_) throw std::invalid_argument("weir::edge: target handle is empty");
    detail::cell& receiver = *to_.cell_;
    validate(policy, "weir::edge to " + receiver.path());
    const bounded* limit = std::get_if<bounded>(&policy);
    const bool ring = limit != nullptr && limit->on_full == overflow_reaction::drop_oldest;
    state_ = detail::take_parked({.receiver = receiver,
                                  .state_type = ring ? typeid(detail::ring_state) : typeid(detail::edge_state),
                                  .carries = &typeid(Interface),
                                  .policy = policy,
                                  .kind = {}});
    if (state_ != nullptr) return;  // this actor's edge from before its restart
    std::string label = detail::edge_state::label_for(receiver);
    if (ring) {
      // Memory bounded by the capacity: the edge keeps its own ring (see ring_state).
      using first = typename detail::front<detail::messages_of<Interface>>::type;
      state_ = new detail::ring_state(receiver, *limit, std::move(label), to_.template route_of<first>().second);
    } else {
      state_ = new detail::edge_state(receiver, std::move(policy), std::move(label));
    }
    state_->carries = &typeid(Interface);
  }

  edge(edge&& other) noexcept : to_(std::move(other.to_)), state_(std::exchange(other.state_, nullptr)) {}
  edge& operator=(edge&& other) noexcept {
    if (this != &other) {
      reset();
      to_ = std::move(other.to_);
      state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
  }
  edge(const edge&) = delete;
  edge& operator=(const edge&) = delete;
  ~edge() { reset(); }

  /// Sends under the edge's policy. `ok`: queued. `closed`: the receiver has
  /// stopped (a dead letter). `would_block` (fail, or a blocking send that
  /// timed out) and `dropped` (drop_newest): the message was not taken; an
  /// rvalue argument is left intact. Throws std::logic_error on an empty edge.
  template <class M>
    requires accepts<Interface, M>
  [[nodiscard]] send_result send(M&& message) {
    if (state_ == nullptr) throw std::logic_error("weir::edge::send on an empty edge");
    return to_.send_via(*state_, std::forward<M>(message));
  }

  /// The edge's counters so far (see edge_stats for the conservation law).
  [[nodiscard]] edge_stats stats() const {
    if (state_ == nullptr) throw std::logic_error("weir::edge::stats on an empty edge");
    return state_->stats();
  }
  [[nodiscard]] const edge_policy& policy() const { return state_->policy; }
  [[nodiscard]] const handle<Interface>& target() const noexcept { return to_; }
  explicit operator bool() const noexcept { return state_ != nullptr; }

 private:
  void reset() noexcept {
    if (state_ != nullptr) detail::let_go(*std::exchange(state_, nullptr));
  }

  handle<Interface> to_;
  detail::edge_state* state_ = nullptr;
};

/// Opens an edge to `to` for all its messages (`weir::connect(worker, policy)`),
/// or for the messages of `Narrow` only, e.g.
/// `weir::connect<weir::interface<job>>(worker, weir::bounded{.capacity = 8})`.
/// One template, not two overloads: with two, naming the handle's own
/// interface as `Narrow` matched both and was ambiguous.
template <class Narrow = void, class Interface>
  requires(std::is_void_v<Narrow> || accepts_all_of<Interface, Narrow>)
edge<std::conditional_t<std::is_void_v<Narrow>, Interface, Narrow>> connect(const handle<Interface>& to,
                                                                              edge_policy policy) {
  return {to, std::move(policy)};
}

}  // namespace weir
