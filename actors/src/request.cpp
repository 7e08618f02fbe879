// system::request: replies to code outside any actor, through a promise.
//
//     request() --make pending_request, open in the book, arm the timeout--> send(message with token)
//     receiver: token.send(v) -> deliver: finish() -> promise.set_value        (first one wins;
//               token dropped -> abandon: finish() -> ask_failed(no_reply)      a reply after the
//     clock:    timeout fires -> fail:   finish() -> ask_failed(timeout)        end is counted late)
//     shutdown: book.close() -> fail every pending one with no_reply
//
// finish() cancels the timeout and leaves the book, so nothing outlives the
// request but the token (now inert) and the caller's future.

#include <weir/detail/request_book.hpp>
#include <weir/system.hpp>

#include <utility>
#include <vector>

namespace weir {
namespace detail {

void request_entry::fail(ask_error error) noexcept {
  if (!finish()) return;
  try {
    set_failure(std::make_exception_ptr(ask_failed(error, target_)));
  } catch (...) {
    set_failure(std::current_exception());  // out of memory building the message: say that instead
  }
}

void request_entry::enter(const std::shared_ptr<request_book>& book, std::uint64_t id) noexcept {
  std::lock_guard lock(mutex_);
  book_ = book;
  id_ = id;
}

void request_entry::keep_timer(std::shared_ptr<armed_timer> timer) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (!done_.load(std::memory_order_acquire)) {
      timer_ = std::move(timer);
      return;
    }
  }
  timer->cancel();  // it ended while the timer was being armed
}

bool request_entry::finish() noexcept {
  if (done_.exchange(true, std::memory_order_acq_rel)) return false;
  std::shared_ptr<armed_timer> timer;
  std::shared_ptr<request_book> book;
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    timer = std::move(timer_);
    book = book_.lock();
    id = id_;
  }
  if (timer) timer->cancel();
  if (book) book->remove(id);
  return true;
}

void request_entry::count_late() noexcept {
  std::shared_ptr<request_book> book;
  {
    std::lock_guard lock(mutex_);
    book = book_.lock();
  }
  if (book) book->count_late();
}

bool request_book::open(const std::shared_ptr<request_book>& self, const std::shared_ptr<request_entry>& entry) {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  const std::uint64_t id = next_id_++;
  pending_.emplace(id, entry);
  entry->enter(self, id);
  return true;
}

void request_book::remove(std::uint64_t id) noexcept {
  std::lock_guard lock(mutex_);
  pending_.erase(id);
}

void request_book::close() noexcept {
  std::unordered_map<std::uint64_t, std::weak_ptr<request_entry>> left;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    left.swap(pending_);
  }
  for (auto& [id, weak] : left) {
    if (auto entry = weak.lock()) entry->fail(ask_error::no_reply);
  }
}

std::size_t request_book::pending() const {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

}  // namespace detail

void system::open_request(const std::shared_ptr<detail::request_entry>& entry, clock::duration timeout) {
  if (!requests_->open(requests_, entry)) return;  // shut down: the stopped target drops the token (no_reply)
  weir::clock& time = *rt_->clock;
  entry->keep_timer(time.arm(time.now() + timeout, clock::duration::zero(),
                             [weak = std::weak_ptr<detail::request_entry>(entry)] {
                               if (auto pending = weak.lock()) pending->fail(ask_error::timeout);
                             }));
}

std::uint64_t system::late_request_replies() const noexcept { return requests_->late(); }

std::size_t system::pending_requests() const { return requests_->pending(); }

}  // namespace weir
