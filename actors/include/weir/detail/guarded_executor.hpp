#pragma once
// weir/detail/guarded_executor.hpp — the executor behind actor_base::guard().

#include <weir/detail/cell.hpp>

#include <boost/asio/execution/blocking.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <utility>

namespace weir::detail {

/// An Asio executor that runs work on an actor's strand only while the actor
/// runs, and drops it afterwards.
///
/// Asio runs every step of a composed operation (async_write, async_read
/// until...) on the completion handler's associated executor. Bound to this
/// one, each intermediate step, not just the final handler, is checked: once
/// the actor has stopped (and destroyed its sockets and buffers), the next
/// step is discarded instead of touching them. Discarding is safe: Asio
/// destroys a dropped function like any handler left at shutdown.
///
/// Work is always posted (blocking.never): a step never runs inside the
/// caller, so the liveness check is always made on the strand, where stop
/// happens too.
///
/// Thread safety: distinct objects: safe. Shared objects: safe.
class guarded_executor {
 public:
  guarded_executor(cell_ptr owner, cell::strand_type strand) noexcept
      : owner_(std::move(owner)), strand_(std::move(strand)) {}
  // Asio requires executors to copy without throwing; intrusive_ptr's copy
  // does not say noexcept, though ours (an atomic increment) cannot throw.
  guarded_executor(const guarded_executor& other) noexcept : owner_(other.owner_), strand_(other.strand_) {}
  guarded_executor(guarded_executor&& other) noexcept = default;
  guarded_executor& operator=(const guarded_executor& other) noexcept {
    owner_ = other.owner_;
    strand_ = other.strand_;
    return *this;
  }
  guarded_executor& operator=(guarded_executor&& other) noexcept = default;
  ~guarded_executor() = default;

  template <class Function>
  void execute(Function&& f) const {
    boost::asio::post(strand_, [owner = owner_, f = std::forward<Function>(f)]() mutable {
      if (owner->is_running()) std::move(f)();
    });
  }

  [[nodiscard]] boost::asio::execution_context& query(boost::asio::execution::context_t) const noexcept {
    return strand_.context();
  }
  static constexpr boost::asio::execution::blocking_t query(boost::asio::execution::blocking_t) noexcept {
    return boost::asio::execution::blocking.never;
  }

  friend bool operator==(const guarded_executor& a, const guarded_executor& b) noexcept {
    return a.owner_ == b.owner_;
  }
  friend bool operator!=(const guarded_executor& a, const guarded_executor& b) noexcept { return !(a == b); }

 private:
  cell_ptr owner_;
  cell::strand_type strand_;
};

static_assert(boost::asio::execution::is_executor<guarded_executor>::value);

}  // namespace weir::detail
