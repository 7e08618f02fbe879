#include <weir/detail/ask_book.hpp>  // first: the header must be self-contained

#include <doctest/doctest.h>

#include <memory>
#include <vector>

using weir::detail::ask_book;
using weir::detail::pending_ask;

namespace {

// A timeout that only remembers whether it was cancelled.
struct recorded_timeout final : weir::armed_timer {
  void cancel() noexcept override { cancelled = true; }
  bool cancelled = false;
};

// Adds an ask whose continuations record what ran; returns its id.
std::uint64_t add_ask(ask_book& book, std::shared_ptr<recorded_timeout>& timeout, std::vector<int>& ran, int tag) {
  timeout = std::make_shared<recorded_timeout>();
  pending_ask ask;
  ask.on_reply = [&ran, tag](void*) { ran.push_back(tag); };
  ask.on_error = [&ran, tag](std::uint8_t) { ran.push_back(-tag); };
  return book.add(std::move(ask), [&](std::uint64_t) { return timeout; });
}

}  // namespace

TEST_CASE("ask_book: every ask gets a fresh id, and its timeout is armed with that id") {
  ask_book book;
  std::vector<std::uint64_t> armed_for;
  auto arm = [&](std::uint64_t id) {
    armed_for.push_back(id);
    return std::make_shared<recorded_timeout>();
  };
  const std::uint64_t first = book.add(pending_ask{}, arm);
  const std::uint64_t second = book.add(pending_ask{}, arm);
  CHECK(first != second);
  CHECK(armed_for == std::vector<std::uint64_t>{first, second});
  CHECK(book.size() == 2);
}

TEST_CASE("ask_book: an ask ends once: the first to take it cancels its timeout, later takers find nothing") {
  ask_book book;
  std::shared_ptr<recorded_timeout> timeout;
  std::vector<int> ran;
  const std::uint64_t id = add_ask(book, timeout, ran, 7);

  std::optional<pending_ask> reply = book.take(id);
  REQUIRE(reply);
  CHECK(timeout->cancelled);
  reply->on_reply(nullptr);
  CHECK(ran == std::vector<int>{7});

  CHECK_FALSE(book.take(id));  // the timeout that lost the race, or a late reply
  CHECK(book.size() == 0);
}

TEST_CASE("ask_book: an id that ended is never handed out again") {
  ask_book book;
  std::shared_ptr<recorded_timeout> timeout;
  std::vector<int> ran;
  const std::uint64_t old_id = add_ask(book, timeout, ran, 1);
  REQUIRE(book.take(old_id));
  const std::uint64_t new_id = add_ask(book, timeout, ran, 2);
  CHECK(new_id != old_id);
  CHECK_FALSE(book.take(old_id));  // a stale token cannot end the newer ask
  CHECK(book.size() == 1);
}

TEST_CASE("ask_book: clearing (the asker stops) cancels every timeout and runs no continuation") {
  ask_book book;
  std::shared_ptr<recorded_timeout> first;
  std::shared_ptr<recorded_timeout> second;
  std::vector<int> ran;
  const std::uint64_t id = add_ask(book, first, ran, 1);
  (void)add_ask(book, second, ran, 2);
  book.clear();
  CHECK(first->cancelled);
  CHECK(second->cancelled);
  CHECK(ran.empty());
  CHECK(book.size() == 0);
  CHECK_FALSE(book.take(id));
}
