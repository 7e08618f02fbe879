#pragma once
// weir/ask.hpp — request/response: a reply token in the request, a continuation at the asker.

#include <weir/clock.hpp>
#include <weir/detail/cell.hpp>
#include <weir/detail/duration_text.hpp>
#include <weir/send_result.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace weir {

/// Why an ask ended without a reply.
enum class ask_error : std::uint8_t {
  timeout,   ///< no reply within the timeout (a reply arriving later is counted, not delivered)
  no_reply,  ///< the request was dropped unanswered: the receiver stopped, crashed, or let the token go
};

constexpr std::string_view to_string(ask_error e) noexcept {
  return e == ask_error::timeout ? "timeout" : "no_reply";
}

namespace detail {

/// Where a reply goes when the asker is not an actor (system::request).
/// Both calls come from whoever holds the token, on any thread, and must only
/// hand over: never block.
template <class R>
class reply_sink {
 public:
  virtual ~reply_sink() = default;
  /// The reply; one that comes after the request ended is counted and dropped.
  virtual void deliver(R value) = 0;
  /// The token was destroyed unanswered (ask_error::no_reply).
  virtual void abandon() noexcept = 0;
};

/// Throws std::invalid_argument unless `timeout` is positive: a request that
/// may never wait can never be answered.
inline void require_positive_timeout(clock::duration timeout, std::string_view where) {
  if (timeout <= clock::duration::zero()) {
    throw std::invalid_argument(std::string{where} + ": timeout must be positive, got " + milliseconds_text(timeout));
  }
}

template <class R>
class reply_signal final : public cell_envelope {
 public:
  reply_signal(std::uint64_t id, R value) : cell_envelope(callback_inbox), id_(id), value_(std::move(value)) {}
  void deliver(cell& asker) override { asker.complete_ask(id_, &value_); }
  [[nodiscard]] const char* callback() const noexcept override { return "an ask continuation (reply)"; }
  [[nodiscard]] const std::type_info& type() const noexcept override { return typeid(R); }

 private:
  std::uint64_t id_;
  R value_;
};

}  // namespace detail

/// The reply token a request carries: `struct get_total { weir::reply_to<int> reply; };`.
/// actor_base::ask (or system::request, from outside any actor) fills it in;
/// the receiver answers with `reply.send(value)`.
/// Replying never blocks. A token destroyed without replying (the request was
/// dead-lettered, the receiver crashed, or simply forgot) tells the asker at
/// once with ask_error::no_reply: an ask never hangs silently.
///
/// Thread safety: move-only; use from one thread at a time.
template <class R>
class reply_to {
 public:
  using value_type = R;

  reply_to() noexcept = default;
  reply_to(reply_to&& other) noexcept
      : asker_(std::move(other.asker_)), sink_(std::move(other.sink_)), id_(other.id_) {}
  reply_to& operator=(reply_to&& other) noexcept {
    if (this != &other) {
      abandon();
      asker_ = std::move(other.asker_);
      sink_ = std::move(other.sink_);
      id_ = other.id_;
    }
    return *this;
  }
  reply_to(const reply_to&) = delete;
  reply_to& operator=(const reply_to&) = delete;
  ~reply_to() { abandon(); }

  /// Sends the reply. `ok`; or `closed` if the asker has stopped (counted as
  /// its dead letter). A reply after the ask timed out is counted as late by
  /// the asker and dropped. Only the first reply counts: the token is spent.
  send_result send(R value) {
    if (std::shared_ptr<detail::reply_sink<R>> sink = std::move(sink_)) {
      sink->deliver(std::move(value));
      return send_result::ok;
    }
    detail::cell_ptr asker = std::move(asker_);
    if (!asker) return send_result::closed;
    if (asker->enqueue_system(new detail::reply_signal<R>(id_, std::move(value)))) return send_result::ok;
    asker->count_dead_letters(1);
    return send_result::closed;
  }

  /// True until the reply has been sent (or the token moved away).
  explicit operator bool() const noexcept { return asker_ != nullptr || sink_ != nullptr; }

  /// Internal: made by actor_base::ask.
  reply_to(detail::cell_ptr asker, std::uint64_t id) noexcept : asker_(std::move(asker)), id_(id) {}
  /// Internal: made by system::request.
  explicit reply_to(std::shared_ptr<detail::reply_sink<R>> sink) noexcept : sink_(std::move(sink)) {}

 private:
  void abandon() noexcept {
    if (std::shared_ptr<detail::reply_sink<R>> sink = std::move(sink_)) sink->abandon();
    if (detail::cell_ptr asker = std::move(asker_)) asker->fail_ask_later(id_, static_cast<std::uint8_t>(ask_error::no_reply));
  }

  // One of the two: an actor asked (its cell, and the ask's id there), or
  // code outside any actor did (system::request).
  detail::cell_ptr asker_;
  std::shared_ptr<detail::reply_sink<R>> sink_;
  std::uint64_t id_ = 0;
};

namespace detail {
template <class T>
inline constexpr bool is_reply_to = false;
template <class R>
inline constexpr bool is_reply_to<reply_to<R>> = true;
}  // namespace detail

/// A request message: one whose member `reply` is a reply_to<R>. ask() and
/// system::request fill that token in.
template <class Request>
concept request_message =
    requires(Request& r) { r.reply; } && detail::is_reply_to<std::remove_cv_t<decltype(std::declval<Request&>().reply)>>;

/// R of a request message's reply_to<R>.
template <class Request>
  requires request_message<Request>
using reply_type_of = typename decltype(std::declval<Request&>().reply)::value_type;

}  // namespace weir
