#include <weir/detail/stop_deadlines.hpp>  // first: the header must be self-contained

#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include <doctest/doctest.h>

#include <memory>

using weir::detail::stop_deadlines;

namespace {

struct ping {};

class idle : public weir::actor<ping> {
 public:
  void on_message(ping&) override {}
};

struct recorded_timeout final : weir::armed_timer {
  void cancel() noexcept override { cancelled = true; }
  bool cancelled = false;
};

// Two children to stop; only their identities matter here.
struct two_children {
  weir::testing::manual_system t;
  weir::handle<idle> a_h = t.system.spawn<idle>("a");
  weir::handle<idle> b_h = t.system.spawn<idle>("b");
  const weir::detail::cell& a = weir::detail_cell(a_h);
  const weir::detail::cell& b = weir::detail_cell(b_h);
};

}  // namespace

TEST_CASE("stop_deadlines: a deadline is taken once, by the child's report or by its firing") {
  two_children kids;
  stop_deadlines deadlines;
  auto timer = std::make_shared<recorded_timeout>();
  deadlines.arm(kids.a, timer);
  CHECK(deadlines.take(kids.b) == nullptr);  // each child has its own
  CHECK(deadlines.take(kids.a) == timer);
  CHECK(deadlines.take(kids.a) == nullptr);  // the later of the two finds it gone
  CHECK_FALSE(timer->cancelled);             // taking is not cancelling: the deadline fired
}

TEST_CASE("stop_deadlines: a child that stops in time has its deadline cancelled, and only its own") {
  two_children kids;
  stop_deadlines deadlines;
  auto for_a = std::make_shared<recorded_timeout>();
  auto for_b = std::make_shared<recorded_timeout>();
  deadlines.arm(kids.a, for_a);
  deadlines.arm(kids.b, for_b);
  deadlines.cancel(kids.a);
  CHECK(for_a->cancelled);
  CHECK_FALSE(for_b->cancelled);
  CHECK(deadlines.take(kids.a) == nullptr);
  CHECK(deadlines.take(kids.b) == for_b);
  deadlines.cancel(kids.b);  // nothing armed any more: nothing to do
}
