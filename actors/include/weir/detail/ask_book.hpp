#pragma once
// weir/detail/ask_book.hpp — the asks an actor has sent and not yet seen end.

#include <weir/clock.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>

namespace weir::detail {

class cell;

/// One ask waiting for its reply, its error or its timeout.
struct pending_ask {
  std::function<void(void*)> on_reply;
  std::function<void(std::uint8_t)> on_error;
  std::shared_ptr<armed_timer> timeout;
  const cell* target = nullptr;  // what the asker waits for (the wait-for graph builds on it)
  clock::time_point since{};
};

/// The pending asks of one actor, by id. An ask ends once: the first of its
/// reply, its error or its timeout takes it out of the book, and the others
/// find it gone (a late reply is counted by the caller, never delivered).
///
/// Thread safety: none; only the asking actor's strand touches its book.
class ask_book {
 public:
  /// Records `ask` with the timeout `arm_timeout(id)` arms for it, and
  /// returns its id: ids start at 1 and are never reused, so the token or
  /// timer of an ask that ended can never end a newer one.
  template <class ArmTimeout>
  std::uint64_t add(pending_ask ask, ArmTimeout&& arm_timeout) {
    const std::uint64_t id = next_id_++;
    ask.timeout = std::forward<ArmTimeout>(arm_timeout)(id);
    pending_.emplace(id, std::move(ask));
    return id;
  }
  /// Takes ask `id` out and cancels its timeout; nullopt if it already ended.
  std::optional<pending_ask> take(std::uint64_t id);
  /// Drops every pending ask and cancels its timeout (the asker is stopping:
  /// no continuation of it runs any more).
  void clear() noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return pending_.size(); }

 private:
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, pending_ask> pending_;
};

}  // namespace weir::detail
