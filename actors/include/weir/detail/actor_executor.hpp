#pragma once
// weir/detail/actor_executor.hpp — an actor's mailbox as an Asio executor.

#include <weir/detail/cell.hpp>

#include <boost/asio/execution/blocking.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace weir::detail {

/// What insight and crash logs name while an Asio completion runs.
struct asio_completion {};

/// Work an Asio operation handed to an actor: runs as a turn of the actor,
/// from its callback inbox (so, like a timer, it waits while the actor is
/// suspended or paying a penalty), and only for the behaviour that started
/// the operation: a restarted or stopped actor skips it.
template <class Function>
class completion_node final : public cell_envelope {
 public:
  completion_node(Function&& fn, std::uint32_t generation)
      : cell_envelope(callback_inbox), fn_(std::move(fn)), generation_(generation) {}
  void deliver(cell& receiver) override {
    // An escaping exception is the actor's crash (see cell::handle_one).
    if (receiver.is_running() && receiver.restarts() == generation_) std::move(fn_)();
  }
  [[nodiscard]] const std::type_info& type() const noexcept override { return typeid(asio_completion); }
  [[nodiscard]] const char* callback() const noexcept override { return "an Asio completion"; }

 private:
  Function fn_;
  std::uint32_t generation_;
};

/// The Asio executor of an actor: its mailbox is its strand. execute() queues
/// the work into the actor, which runs it in a turn, serialized with its
/// messages. Nothing per actor is allocated for it: an actor that never does
/// I/O pays nothing, and spawning or stopping one takes no Asio lock.
///
/// Asio runs every step of a composed operation (async_write, async_read
/// until...) on the completion handler's associated executor, so every
/// intermediate step, not just the final handler, is checked: once the
/// behaviour that started it has stopped (and destroyed its sockets and
/// buffers) or been replaced by a restart, the step is destroyed instead of
/// run. Work is always queued (blocking.never): it never runs inside the
/// caller.
///
/// Thread safety: distinct objects: safe. Shared objects: safe.
class actor_executor {
 public:
  actor_executor(cell_ptr owner, std::uint32_t generation) noexcept
      : owner_(std::move(owner)), generation_(generation) {}
  // Asio requires executors to copy without throwing; intrusive_ptr's copy
  // does not say noexcept, though ours (an atomic increment) cannot throw.
  actor_executor(const actor_executor& other) noexcept : owner_(other.owner_), generation_(other.generation_) {}
  actor_executor(actor_executor&& other) noexcept = default;
  actor_executor& operator=(const actor_executor& other) noexcept {
    owner_ = other.owner_;
    generation_ = other.generation_;
    return *this;
  }
  actor_executor& operator=(actor_executor&& other) noexcept = default;
  ~actor_executor() = default;

  template <class Function>
  void execute(Function&& f) const {
    using stored = std::decay_t<Function>;
    // On a closed mailbox the node is destroyed unrun, as Asio destroys any
    // handler left at shutdown.
    owner_->enqueue_system(new completion_node<stored>(stored(std::forward<Function>(f)), generation_));
  }

  [[nodiscard]] boost::asio::io_context& query(boost::asio::execution::context_t) const noexcept {
    return *owner_->rt().io;
  }
  static constexpr boost::asio::execution::blocking_t query(boost::asio::execution::blocking_t) noexcept {
    return boost::asio::execution::blocking.never;
  }
  [[nodiscard]] actor_executor require(boost::asio::execution::blocking_t::never_t) const noexcept {
    return *this;
  }

  friend bool operator==(const actor_executor& a, const actor_executor& b) noexcept {
    return a.owner_ == b.owner_ && a.generation_ == b.generation_;
  }
  friend bool operator!=(const actor_executor& a, const actor_executor& b) noexcept { return !(a == b); }

 private:
  cell_ptr owner_;
  std::uint32_t generation_;
};

static_assert(boost::asio::execution::is_executor<actor_executor>::value);

}  // namespace weir::detail
