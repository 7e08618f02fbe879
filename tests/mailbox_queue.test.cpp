#include <weir/mailbox/mailbox_queue.hpp>  // first: the header must be self-contained
#include <weir/mailbox/envelope_fifo.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <vector>

namespace {

struct numbered : weir::envelope {
  explicit numbered(int n) : weir::envelope(1), n(n) {}
  int n;
};

std::vector<int> numbers(weir::mailbox_queue::chain c) {
  std::vector<int> out;
  for (weir::envelope* e = c.first; e != nullptr;) {
    weir::envelope* next = e->next;
    out.push_back(static_cast<numbered*>(e)->n);
    delete e;
    e = next;
  }
  return out;
}

}  // namespace

TEST_CASE("mailbox_queue: take_all returns pushes oldest first") {
  weir::mailbox_queue q;
  for (int i = 0; i < 5; ++i) CHECK(q.push(new numbered(i)) == weir::push_result::queued);
  CHECK(numbers(q.take_all()) == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(q.take_all().empty());
}

TEST_CASE("mailbox_queue: exactly the first push after sleep wakes the consumer") {
  weir::mailbox_queue q;
  REQUIRE(q.try_sleep());
  CHECK(q.asleep());
  CHECK(q.push(new numbered(1)) == weir::push_result::queued_and_woke);
  CHECK(q.push(new numbered(2)) == weir::push_result::queued);
  CHECK_FALSE(q.try_sleep());  // items are waiting: the consumer must stay awake
  CHECK(numbers(q.take_all()) == std::vector<int>{1, 2});
  CHECK(q.try_sleep());
}

TEST_CASE("mailbox_queue: close hands back what was queued and refuses the rest") {
  weir::mailbox_queue q;
  (void)q.push(new numbered(7));
  (void)q.push(new numbered(8));
  CHECK(numbers(q.close()) == std::vector<int>{7, 8});
  CHECK(q.closed());
  auto refused = std::make_unique<numbered>(9);
  CHECK(q.push(refused.get()) == weir::push_result::closed);  // caller keeps ownership
  CHECK(refused->n == 9);
}

TEST_CASE("mailbox_queue: closing a sleeping queue yields nothing") {
  weir::mailbox_queue q;
  REQUIRE(q.try_sleep());
  CHECK(q.close().empty());
  CHECK(q.closed());
}

TEST_CASE("envelope_fifo: first in, first out") {
  weir::envelope_fifo f;
  CHECK(f.empty());
  f.push_back(new numbered(1));
  f.push_back(new numbered(2));
  std::unique_ptr<weir::envelope> a(f.pop_front()), b(f.pop_front());
  CHECK(static_cast<numbered*>(a.get())->n == 1);
  CHECK(static_cast<numbered*>(b.get())->n == 2);
  CHECK(f.pop_front() == nullptr);
  CHECK(f.empty());
}
