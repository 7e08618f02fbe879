#pragma once
// weir/detail/request_book.hpp — the requests from outside actors that a system has in flight.

#include <weir/request.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace weir::detail {

/// Every system::request not yet ended, so that shutdown can end the rest
/// (no_reply) and drop their timeouts before the clock's io_context goes.
/// Holds them weakly: a request lives as long as its token or its caller's
/// promise, never because of the book.
///
/// Thread safety: all members from any thread.
class request_book {
 public:
  /// Registers `entry`; false once closed (the system has shut down).
  bool open(const std::shared_ptr<request_book>& self, const std::shared_ptr<request_entry>& entry);
  void remove(std::uint64_t id) noexcept;
  /// Shutdown: refuses new requests and ends the pending ones with no_reply.
  void close() noexcept;

  void count_late() noexcept { late_.fetch_add(1, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t late() const noexcept { return late_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::size_t pending() const;

 private:
  mutable std::mutex mutex_;
  bool closed_ = false;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<request_entry>> pending_;
  std::atomic<std::uint64_t> late_{0};
};

}  // namespace weir::detail
