#pragma once
// weir/coalescing.hpp — edges that merge what the receiver has not looked at yet.

#include <weir/detail/carrier_state.hpp>
#include <weir/detail/edge_book.hpp>
#include <weir/edge_stats.hpp>
#include <weir/handle.hpp>
#include <weir/mailbox/policy.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace weir {

/// Delivered by a pulse edge: `count` pulses were sent since the receiver
/// last got one. `Tag` tells pulse kinds apart (`pulse<struct tick>`).
template <class Tag>
struct pulse {
  std::uint64_t count = 0;
};

/// Delivered by a keyed edge: the distinct keys changed since the last
/// batch, or, if more than the edge's key bound changed, `overflow` with no
/// keys: too much changed to list, look at everything.
template <class Key>
struct key_batch {
  std::vector<Key> keys;
  bool overflow = false;
};

namespace detail {

template <class Tag>
class pulse_state final : public carrier_state {
 public:
  pulse_state(cell& receiver, std::string label, std::pair<make_node_fn, inbox_index> route)
      : carrier_state(receiver, coalescing_policy(), std::move(label), route.second, kind_text()),
        make_(route.first) {}
  static std::string kind_text() { return "pulse"; }

  [[nodiscard]] send_result fire() {
    sent.fetch_add(1, std::memory_order_relaxed);
    if (pending_.fetch_add(1, std::memory_order_acq_rel) != 0) {
      coalesced.fetch_add(1, std::memory_order_relaxed);  // rides on the delivery already waiting
      cell::sender_continues();
      return send_result::ok;
    }
    return post_carrier();
  }
  void deliver_pending(cell& receiver) override {
    pulse<Tag> p{pending_.exchange(0, std::memory_order_acq_rel)};
    deliver_now(receiver, make_, &p);
  }
  [[nodiscard]] const std::type_info& message_type() const noexcept override { return typeid(pulse<Tag>); }
  void forget_pending() noexcept override { pending_.store(0, std::memory_order_release); }

 private:
  const make_node_fn make_;
  std::atomic<std::uint64_t> pending_{0};
};

template <class M>
class latest_state final : public carrier_state {
 public:
  latest_state(cell& receiver, std::string label, std::pair<make_node_fn, inbox_index> route)
      : carrier_state(receiver, coalescing_policy(), std::move(label), route.second, kind_text()),
        make_(route.first) {}
  static std::string kind_text() { return "latest"; }

  [[nodiscard]] send_result send(M value) {
    sent.fetch_add(1, std::memory_order_relaxed);
    {
      std::lock_guard lock(mutex_);
      const bool waiting = slot_.has_value();
      slot_ = std::move(value);
      if (waiting) {
        coalesced.fetch_add(1, std::memory_order_relaxed);  // the older value is superseded
        cell::sender_continues();
        return send_result::ok;
      }
    }
    return post_carrier();
  }
  void deliver_pending(cell& receiver) override {
    std::optional<M> value;
    {
      std::lock_guard lock(mutex_);
      value.swap(slot_);
    }
    if (value) deliver_now(receiver, make_, &*value);
  }
  [[nodiscard]] const std::type_info& message_type() const noexcept override { return typeid(M); }
  void forget_pending() noexcept override {
    std::lock_guard lock(mutex_);
    slot_.reset();
  }

 private:
  const make_node_fn make_;
  std::mutex mutex_;
  std::optional<M> slot_;
};

template <class Key>
class keyed_state final : public carrier_state {
 public:
  keyed_state(cell& receiver, std::string label, std::pair<make_node_fn, inbox_index> route, keyed_merge policy)
      : carrier_state(receiver, coalescing_policy(), std::move(label), route.second, kind_text(policy)),
        make_(route.first),
        bound_(policy.key_bound) {}
  static std::string kind_text(keyed_merge policy) { return "keyed(" + std::to_string(policy.key_bound) + ")"; }

  [[nodiscard]] send_result changed(Key key) {
    sent.fetch_add(1, std::memory_order_relaxed);
    {
      std::lock_guard lock(mutex_);
      if (!overflow_) {
        keys_.insert(std::move(key));
        if (keys_.size() > bound_) {  // too many to list: collapse (memory stays bounded)
          keys_.clear();
          overflow_ = true;
        }
      }
      if (std::exchange(queued_, true)) {
        coalesced.fetch_add(1, std::memory_order_relaxed);
        cell::sender_continues();
        return send_result::ok;
      }
    }
    return post_carrier();
  }
  void deliver_pending(cell& receiver) override {
    key_batch<Key> batch;
    {
      std::lock_guard lock(mutex_);
      batch.keys.assign(keys_.begin(), keys_.end());
      batch.overflow = overflow_;
      keys_.clear();
      overflow_ = false;
      queued_ = false;
    }
    deliver_now(receiver, make_, &batch);
  }
  [[nodiscard]] const std::type_info& message_type() const noexcept override { return typeid(key_batch<Key>); }
  void forget_pending() noexcept override {
    std::lock_guard lock(mutex_);
    keys_.clear();
    overflow_ = false;
    queued_ = false;
  }

 private:
  const make_node_fn make_;
  const std::size_t bound_;
  std::mutex mutex_;
  std::set<Key> keys_;
  bool overflow_ = false;
  bool queued_ = false;
};

/// Owns a carrier edge's state for its sender (move-only, like weir::edge),
/// and keeps its receiver's cell alive, which the state refers to. Kept
/// across a supervised restart of the sender like weir::edge (see edge_book).
template <class State, class Message>
class coalescing_edge {
 public:
  coalescing_edge() noexcept = default;
  coalescing_edge(coalescing_edge&& other) noexcept
      : receiver_(std::move(other.receiver_)), state_(std::exchange(other.state_, nullptr)) {}
  coalescing_edge& operator=(coalescing_edge&& other) noexcept {
    if (this != &other) {
      reset();
      receiver_ = std::move(other.receiver_);
      state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
  }
  coalescing_edge(const coalescing_edge&) = delete;
  coalescing_edge& operator=(const coalescing_edge&) = delete;
  ~coalescing_edge() { reset(); }

  [[nodiscard]] edge_stats stats() const { return checked("stats").stats(); }
  explicit operator bool() const noexcept { return state_ != nullptr; }

 protected:
  template <class Interface, class... Extra>
  coalescing_edge(const handle<Interface>& to, const char* kind, Extra&&... extra) {
    if (!to) throw std::invalid_argument(std::string{"weir::"} + kind + ": target handle is empty");
    cell& receiver = *to.cell_;
    receiver_ = to.cell_;
    const std::string kind_text = State::kind_text(extra...);
    const edge_policy policy = carrier_state::coalescing_policy();
    state_ = static_cast<State*>(take_parked(
        {.receiver = receiver, .state_type = typeid(State), .carries = nullptr, .policy = policy, .kind = kind_text}));
    if (state_ != nullptr) return;  // this actor's edge from before its restart
    std::string label = edge_state::label_for(receiver);
    state_ = new State(receiver, std::move(label), to.template route_of<Message>(), std::forward<Extra>(extra)...);
  }

  State& checked(const char* what) const {
    if (state_ == nullptr) throw std::logic_error(std::string{"weir: "} + what + " on an empty coalescing edge");
    return *state_;
  }

 private:
  void reset() noexcept {
    if (state_ != nullptr) let_go(*std::exchange(state_, nullptr));
    receiver_.reset();  // after: a parked edge's book takes its own reference
  }

  cell_ptr receiver_;
  State* state_ = nullptr;
};

}  // namespace detail

/// Any number of pulses since the receiver last looked arrive as one
/// pulse<Tag>{count}. Constant memory. Like a doorbell: "something changed".
template <class Tag>
class pulse_edge : public detail::coalescing_edge<detail::pulse_state<Tag>, pulse<Tag>> {
  using base = detail::coalescing_edge<detail::pulse_state<Tag>, pulse<Tag>>;

 public:
  pulse_edge() noexcept = default;
  template <class Interface>
    requires accepts<Interface, pulse<Tag>>
  explicit pulse_edge(const handle<Interface>& to) : base(to, "pulse_edge") {}
  /// Never blocks, never allocates. `ok`, or `closed` if the receiver stopped.
  send_result fire() { return this->checked("fire").fire(); }
};

/// Only the latest value reaches the receiver: a value sent while an older
/// one still waits replaces it (counted as coalesced). Constant memory.
template <class M>
class latest_edge : public detail::coalescing_edge<detail::latest_state<M>, M> {
  using base = detail::coalescing_edge<detail::latest_state<M>, M>;

 public:
  latest_edge() noexcept = default;
  template <class Interface>
    requires accepts<Interface, M>
  explicit latest_edge(const handle<Interface>& to) : base(to, "latest_edge") {}
  send_result send(M value) { return this->checked("send").send(std::move(value)); }
};

/// Changes to keys merge into one pending key_batch<Key>; more than
/// `policy.key_bound` distinct keys collapse into `overflow` ("rescan
/// everything"), so memory is bounded by the key bound. Throws
/// std::invalid_argument for a zero key bound.
template <class Key>
class keyed_edge : public detail::coalescing_edge<detail::keyed_state<Key>, key_batch<Key>> {
  using base = detail::coalescing_edge<detail::keyed_state<Key>, key_batch<Key>>;

 public:
  keyed_edge() noexcept = default;
  template <class Interface>
    requires accepts<Interface, key_batch<Key>>
  keyed_edge(const handle<Interface>& to, keyed_merge policy)
      : base(to, "keyed_edge", (validate(policy, "weir::keyed_edge"), policy)) {}
  send_result changed(Key key) { return this->checked("changed").changed(std::move(key)); }
};

}  // namespace weir
