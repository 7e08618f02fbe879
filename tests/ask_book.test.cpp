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

// A book whose asks record which continuation ran: +tag for a reply, -tag
// for an error.
struct recording_book {
  ask_book book;
  std::shared_ptr<recorded_timeout> timeout;  // the last ask's
  std::vector<int> ran;

  std::uint64_t add(int tag) {
    timeout = std::make_shared<recorded_timeout>();
    pending_ask ask;
    ask.on_reply = [this, tag](void*) { ran.push_back(tag); };
    ask.on_error = [this, tag](std::uint8_t) { ran.push_back(-tag); };
    return book.add(std::move(ask), [&](std::uint64_t) { return timeout; });
  }
};

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

TEST_CASE_FIXTURE(recording_book, "ask_book: an ask ends once: its first taker cancels the timeout, later ones find nothing") {
  const std::uint64_t id = add(7);

  std::optional<pending_ask> reply = book.take(id);
  REQUIRE(reply);
  CHECK(timeout->cancelled);
  reply->on_reply(nullptr);
  CHECK(ran == std::vector<int>{7});

  CHECK_FALSE(book.take(id));  // the timeout that lost the race, or a late reply
  CHECK(book.size() == 0);
}

TEST_CASE_FIXTURE(recording_book, "ask_book: an id that ended is never handed out again") {
  const std::uint64_t old_id = add(1);
  REQUIRE(book.take(old_id));
  const std::uint64_t new_id = add(2);
  CHECK(new_id != old_id);
  CHECK_FALSE(book.take(old_id));  // a stale token cannot end the newer ask
  CHECK(book.size() == 1);
}

TEST_CASE_FIXTURE(recording_book, "ask_book: clearing (the asker stops) cancels all timeouts and runs no continuation") {
  const std::uint64_t id = add(1);
  const std::shared_ptr<recorded_timeout> first = timeout;
  (void)add(2);
  book.clear();
  CHECK(first->cancelled);
  CHECK(timeout->cancelled);
  CHECK(ran.empty());
  CHECK(book.size() == 0);
  CHECK_FALSE(book.take(id));
}
