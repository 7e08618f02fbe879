#include <weir/system.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_system.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

struct add { int amount; };
struct reset {};
struct unrelated {};

// Records what happened into a log the test owns (manual mode: one thread).
class counter : public weir::actor<add, reset> {
 public:
  explicit counter(std::vector<std::string>& log) : log_(log) {}
  void on_start() override { log_.push_back("start " + name()); }
  void on_stop() override { log_.push_back("stop " + name() + " total=" + std::to_string(total_)); }
  void on_message(add& m) override { total_ += m.amount; }
  void on_message(reset&) override { total_ = 0; }

 private:
  std::vector<std::string>& log_;
  int total_ = 0;
};

// A move-only payload proves messages are moved, never copied.
struct parcel {
  std::unique_ptr<int> value;
};

class parcel_sink : public weir::actor<parcel> {
 public:
  explicit parcel_sink(std::vector<int>& got) : got_(got) {}
  void on_message(parcel& p) override { got_.push_back(*p.value); }

 private:
  std::vector<int>& got_;
};

}  // namespace

// Typed handles: only declared types can be sent (checked at compile time).
static_assert(weir::accepts<counter, add>);
static_assert(weir::accepts<counter, const reset&>);
static_assert(!weir::accepts<counter, unrelated>);
static_assert(!weir::accepts<counter, int>);
static_assert(weir::accepts<weir::interface<add, reset>, add>);

TEST_CASE("spawn runs on_start before the first message, and nothing runs until driven") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto c = t.system.spawn<counter>("c", log);
  CHECK(c.send(add{2}) == weir::send_result::ok);
  CHECK(log.empty());  // manual mode: nothing ran yet
  t.run_until_idle();
  CHECK(log == std::vector<std::string>{"start c"});
  CHECK(c.handled() == 1);
  CHECK(t.system.live_actors() == 1);
}

TEST_CASE("stop runs on_stop once; later sends answer closed and count as dead letters") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto c = t.system.spawn<counter>("c", log);
  c.send(add{3});
  c.send(add{4});
  t.run_until_idle();
  c.stop();
  c.stop();  // idempotent
  t.run_until_idle();
  CHECK(c.stopped());
  CHECK(log == std::vector<std::string>{"start c", "stop c total=7"});
  CHECK(c.send(add{1}) == weir::send_result::closed);
  CHECK(c.dead_letters() == 1);
  CHECK(t.system.dead_letters() == 1);
  CHECK(t.system.live_actors() == 0);
}

// An ad-hoc send can only answer ok or closed, and closed is counted as a
// dead letter anyway, so it reads like Erlang's `!`: no cast to ignore it
// (this file builds with -Werror). Edge sends, which can refuse, stay
// [[nodiscard]].
TEST_CASE("an ad-hoc send is fire-and-forget, and its outcome is still observable") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto c = t.system.spawn<counter>("c", log);
  c.send(add{1});
  t.run_until_idle();
  c.stop();
  t.run_until_idle();
  REQUIRE(c.stopped());
  c.send(add{2});  // result ignored: the lost message is still counted
  CHECK(c.dead_letters() == 1);
  CHECK(t.system.dead_letters() == 1);
  const weir::send_result looked = c.send(add{3});  // and can be looked at
  CHECK(looked == weir::send_result::closed);
  CHECK(c.dead_letters() == 2);
  CHECK(log == std::vector<std::string>{"start c", "stop c total=1"});
}

TEST_CASE("messages queued when an actor stops become dead letters, none lost") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  auto c = t.system.spawn<counter>("c", log);
  t.run_until_idle();
  c.stop();  // runtime signals go first: the adds below are never handled
  for (int i = 0; i < 5; ++i) c.send(add{1});
  t.run_until_idle();
  CHECK(c.handled() == 0);
  CHECK(c.dead_letters() == 5);
  CHECK(c.handled() + c.dead_letters() == 5);
}

TEST_CASE("a handle outlives its actor and its system") {
  weir::handle<counter> kept;
  std::vector<std::string> log;
  {
    weir::testing::manual_system t;
    kept = t.system.spawn<counter>("c", log);
    t.run_until_idle();
  }  // system shut down: the actor stopped
  CHECK(kept.stopped());
  CHECK(kept.send(add{1}) == weir::send_result::closed);
  CHECK(kept.dead_letters() == 1);
  CHECK(kept.name() == "c");
}

TEST_CASE("handles convert between an actor class and its interface") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  weir::handle<weir::interface<add, reset>> h = t.system.spawn<counter>("c", log);
  h.send(add{1});
  h.send(reset{});
  t.run_until_idle();
  CHECK(h.handled() == 2);
}

TEST_CASE("move-only messages are moved from sender to handler") {
  std::vector<int> got;
  weir::testing::manual_system t;
  auto sink = t.system.spawn<parcel_sink>("sink", got);
  sink.send(parcel{std::make_unique<int>(42)});
  t.run_until_idle();
  CHECK(got == std::vector<int>{42});
}

TEST_CASE("an empty handle refuses loudly") {
  weir::handle<counter> empty;
  CHECK_FALSE(empty);
  CHECK_THROWS_AS(empty.send(add{1}), std::logic_error);
}

TEST_CASE("actors cannot be created outside spawn") {
  std::vector<std::string> log;
  CHECK_THROWS_WITH_AS(counter{log}, doctest::Contains("never directly"), std::logic_error);
}

TEST_CASE("invalid actor names are rejected with the name in the message") {
  std::vector<std::string> log;
  weir::testing::manual_system t;
  CHECK_THROWS_WITH_AS(t.system.spawn<counter>("", log), doctest::Contains("must not be empty"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(t.system.spawn<counter>("a/b", log), doctest::Contains("'a/b'"), std::invalid_argument);
}

TEST_CASE("paths name the place in the tree") {
  struct leaf : weir::actor<add> {
    void on_message(add&) override {}
  };
  struct branch : weir::actor<add> {
    std::string* leaf_path;
    explicit branch(std::string* p) : leaf_path(p) {}
    void on_start() override { *leaf_path = spawn<leaf>("leaf").path(); }
    void on_message(add&) override {}
  };
  std::string leaf_path;
  weir::testing::manual_system t;
  auto b = t.system.spawn<branch>("branch", &leaf_path);
  t.run_until_idle();
  CHECK(b.path() == "/branch");
  CHECK(leaf_path == "/branch/leaf");
}

namespace {

struct request { int n; };
struct reply { int n; };
using reply_port = weir::interface<reply>;

// Answers through a narrowed handle: it can send its parent replies only.
class answerer : public weir::actor<request> {
 public:
  explicit answerer(weir::handle<reply_port> to) : to_(std::move(to)) {}
  void on_message(request& r) override { to_.send(reply{r.n * 2}); }

 private:
  weir::handle<reply_port> to_;
};

class asker : public weir::actor<weir::inbox<reply>, weir::inbox<request>> {
 public:
  explicit asker(std::vector<int>& replies) : replies_(replies) {}
  void on_start() override { child_ = spawn<answerer>("answerer", weir::handle<reply_port>(self())); }
  void on_message(request& r) override { child_.send(request{r.n}); }
  void on_message(reply& r) override { replies_.push_back(r.n); }

 private:
  std::vector<int>& replies_;
  weir::handle<answerer> child_;
};

}  // namespace

static_assert(weir::accepts_all_of<asker, reply_port>);
static_assert(!weir::accepts_all_of<reply_port, asker>);
static_assert(std::is_convertible_v<weir::handle<asker>, weir::handle<reply_port>>);
static_assert(!std::is_convertible_v<weir::handle<reply_port>, weir::handle<asker>>);
static_assert(!std::is_convertible_v<weir::handle<counter>, weir::handle<reply_port>>);

TEST_CASE("a narrowed handle delivers to the right inbox of the real actor") {
  std::vector<int> replies;
  weir::testing::manual_system t;
  auto a = t.system.spawn<asker>("asker", replies);
  a.send(request{1});
  a.send(request{5});
  weir::handle<reply_port> narrowed = a;
  narrowed.send(reply{100});
  t.run_until_idle();
  CHECK(replies == std::vector<int>{100, 2, 10});  // handled in the order they arrived
  CHECK(narrowed == a);
}
