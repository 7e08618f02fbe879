#pragma once
// weir/request.hpp — asking an actor from code outside any actor: a future for the reply.

#include <weir/ask.hpp>
#include <weir/clock.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace weir {

/// What the future of system::request holds when no reply came: the error
/// (timeout or no_reply) and the path of the actor asked.
///
/// Thread safety: immutable.
class ask_failed : public std::runtime_error {
 public:
  ask_failed(ask_error error, const std::string& target)
      : std::runtime_error("weir::system::request to " + target + ": " + std::string{to_string(error)} +
                           (error == ask_error::timeout ? " (no reply within the timeout)"
                                                        : " (the request was dropped unanswered)")),
        error_(error),
        target_(target) {}

  [[nodiscard]] ask_error error() const noexcept { return error_; }
  /// The asked actor's path, e.g. "/db/writer".
  [[nodiscard]] const std::string& target() const noexcept { return target_; }

 private:
  ask_error error_;
  std::string target_;
};

namespace detail {

class request_book;

/// One system::request in flight, whatever its reply type: ends exactly once,
/// by a reply, a timeout, a dropped token, or the system's shutdown.
///
/// Thread safety: all members from any thread.
class request_entry {
 public:
  explicit request_entry(std::string target) : target_(std::move(target)) {}
  virtual ~request_entry() = default;
  request_entry(const request_entry&) = delete;
  request_entry& operator=(const request_entry&) = delete;

  /// Ends the request with `error` unless it has ended already.
  void fail(ask_error error) noexcept;
  [[nodiscard]] const std::string& target() const noexcept { return target_; }

  /// Internal (request_book): its place in the book, and its timeout, kept
  /// only to cancel it. A timer kept after the end is cancelled at once.
  void enter(const std::shared_ptr<request_book>& book, std::uint64_t id) noexcept;
  void keep_timer(std::shared_ptr<armed_timer> timer) noexcept;

 protected:
  /// True for the first caller only: it ends the request (cancels the
  /// timeout, leaves the book) and must then complete the promise.
  bool finish() noexcept;
  /// A reply after the end: counted by the system (late_request_replies), dropped.
  void count_late() noexcept;

 private:
  virtual void set_failure(std::exception_ptr error) noexcept = 0;

  const std::string target_;
  std::atomic<bool> done_{false};
  std::mutex mutex_;  // guards the two below
  std::shared_ptr<armed_timer> timer_;
  std::weak_ptr<request_book> book_;
  std::uint64_t id_ = 0;
};

/// The typed end: the reply sink the request's token points to, and the
/// promise behind the caller's future.
template <class R>
class pending_request final : public request_entry, public reply_sink<R> {
 public:
  explicit pending_request(std::string target) : request_entry(std::move(target)) {}

  [[nodiscard]] std::future<R> future() { return promise_.get_future(); }

  void deliver(R value) override {
    if (!finish()) {
      count_late();  // timed out first: the caller was told already
      return;
    }
    promise_.set_value(std::move(value));
  }
  void abandon() noexcept override { fail(ask_error::no_reply); }

 private:
  void set_failure(std::exception_ptr error) noexcept override { promise_.set_exception(std::move(error)); }

  std::promise<R> promise_;
};

}  // namespace detail
}  // namespace weir
