#pragma once
// weir/ask.hpp — request/response: a reply token in the request, a continuation at the asker.

#include <weir/detail/cell.hpp>
#include <weir/send_result.hpp>

#include <cstdint>
#include <string_view>
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

template <class R>
class reply_signal final : public cell_envelope {
 public:
  reply_signal(std::uint64_t id, R value) : cell_envelope(timer_inbox), id_(id), value_(std::move(value)) {}
  void deliver(cell& asker) override { asker.complete_ask(id_, &value_); }
  [[nodiscard]] const std::type_info& type() const noexcept override { return typeid(R); }

 private:
  std::uint64_t id_;
  R value_;
};

}  // namespace detail

/// The reply token a request carries: `struct get_total { weir::reply_to<int> reply; };`.
/// actor_base::ask fills it in; the receiver answers with `reply.send(value)`.
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
  reply_to(reply_to&& other) noexcept : asker_(std::move(other.asker_)), id_(other.id_) {}
  reply_to& operator=(reply_to&& other) noexcept {
    if (this != &other) {
      abandon();
      asker_ = std::move(other.asker_);
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
    detail::cell_ptr asker = std::move(asker_);
    if (!asker) return send_result::closed;
    if (asker->enqueue_system(new detail::reply_signal<R>(id_, std::move(value)))) return send_result::ok;
    asker->count_dead_letters(1);
    return send_result::closed;
  }

  /// True until the reply has been sent (or the token moved away).
  explicit operator bool() const noexcept { return asker_ != nullptr; }

  /// Internal: made by actor_base::ask.
  reply_to(detail::cell_ptr asker, std::uint64_t id) noexcept : asker_(std::move(asker)), id_(id) {}

 private:
  void abandon() noexcept {
    if (detail::cell_ptr asker = std::move(asker_)) asker->fail_ask_later(id_, static_cast<std::uint8_t>(ask_error::no_reply));
  }

  detail::cell_ptr asker_;
  std::uint64_t id_ = 0;
};

}  // namespace weir
