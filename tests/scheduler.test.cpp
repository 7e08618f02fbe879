// The scheduler alone: its order on one worker (deterministic), and on two
// workers what it promises whatever the interleaving: every node runs once,
// queued work is stolen, parked workers wake for new work.

#include <weir/detail/scheduler.hpp>

#include <doctest/doctest.h>

#include <condition_variable>
#include <functional>
#include <latch>
#include <mutex>
#include <string>
#include <vector>

using weir::detail::run_node;
using weir::detail::run_order;
using weir::detail::scheduler;

namespace {

/// A node that runs a function: what a cell's turn is to the scheduler.
struct task : run_node {
  std::function<void()> body;
};

void run_task(run_node& node, void*) { static_cast<task&>(node).body(); }

/// Counts down to zero; the test thread waits for it (no sleeping).
class countdown {
 public:
  explicit countdown(std::size_t n) : left_(n) {}
  void done() {
    std::lock_guard lock(mutex_);
    if (--left_ == 0) cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return left_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t left_;
};

}  // namespace

TEST_CASE("on one worker, a turn's last wake runs next and earlier ones follow, newest first") {
  std::vector<std::string> order;
  countdown finished(4);
  scheduler pool(1, &run_task, nullptr);
  task a, b, c, d;
  auto note = [&](const char* name) {
    order.emplace_back(name);
    finished.done();
  };
  b.body = [&] { note("b"); };
  c.body = [&] { note("c"); };
  d.body = [&] { note("d"); };
  a.body = [&] {
    note("a");
    pool.schedule(b, run_order::soon);  // woken, then the turn went on
    pool.schedule(c, run_order::soon);
    pool.schedule(d, run_order::next);  // woken last, as the turn ends
  };
  pool.start();
  pool.schedule(a, run_order::soon);  // from outside: the injection queue
  finished.wait();
  pool.stop();
  CHECK(order == std::vector<std::string>{"a", "d", "c", "b"});
}

TEST_CASE("a yielding turn goes behind what is queued") {
  std::vector<std::string> order;
  countdown finished(4);
  scheduler pool(1, &run_task, nullptr);
  task a, b;
  int a_runs = 0;
  b.body = [&] {
    order.emplace_back("b");
    finished.done();
  };
  a.body = [&] {
    order.emplace_back("a");
    finished.done();
    if (++a_runs == 1) {
      pool.schedule(b, run_order::soon);
      pool.schedule(a, run_order::later);  // batch used up: yield
    } else if (a_runs == 2) {
      pool.schedule(a, run_order::later);
    }
  };
  pool.start();
  pool.schedule(a, run_order::soon);
  finished.wait();
  pool.stop();
  CHECK(order == std::vector<std::string>{"a", "b", "a", "a"});
}

TEST_CASE("a ping-pong pair on the LIFO slot cannot starve the queue behind it") {
  scheduler pool(1, &run_task, nullptr);
  task ping, pong, waiting;
  int exchanges = 0;
  int exchanges_when_waiting_ran = -1;
  countdown finished(1);
  bool stop = false;
  waiting.body = [&] { exchanges_when_waiting_ran = exchanges; };
  ping.body = [&] {
    if (exchanges == 0) pool.schedule(waiting, run_order::soon);
    if (++exchanges == 100) stop = true;
    if (!stop) pool.schedule(pong, run_order::next);
    else finished.done();
  };
  pong.body = [&] { pool.schedule(ping, run_order::next); };
  pool.start();
  pool.schedule(ping, run_order::soon);
  finished.wait();
  pool.stop();
  REQUIRE(exchanges_when_waiting_ran >= 0);
  // Within a bounded streak of LIFO turns (ping and pong alternate).
  CHECK(exchanges_when_waiting_ran <= static_cast<int>(scheduler::max_lifo_streak));
}

TEST_CASE("on one worker, a spawn tree runs depth-first: the queue stays as short as the tree is deep") {
  // Each node makes `fan` children ready, as an actor spawning in on_start
  // does: the first ones go to the queue, the last to the LIFO slot.
  constexpr int fan = 10;
  constexpr int depth = 5;  // 111,111 nodes
  struct tree_node : task {
    int level = 0;
  };
  std::vector<tree_node> nodes;
  std::size_t total = 0;
  for (int l = 0, width = 1; l <= depth; ++l, width *= fan) total += static_cast<std::size_t>(width);
  nodes.resize(total);
  std::size_t next_free = 1;
  std::size_t ready = 0;       // scheduled, not yet run
  std::size_t most_ready = 0;  // breadth-first would reach fan^depth
  countdown finished(total);
  scheduler pool(1, &run_task, nullptr);
  for (auto& n : nodes) {
    n.body = [&, self = &n] {
      --ready;
      if (self->level < depth) {
        for (int i = 0; i < fan; ++i) {
          tree_node& child = nodes[next_free++];
          child.level = self->level + 1;
          ++ready;
          most_ready = std::max(most_ready, ready);
          pool.schedule(child, i + 1 == fan ? run_order::next : run_order::soon);
        }
      }
      finished.done();
    };
  }
  pool.start();
  ready = 1;
  pool.schedule(nodes[0], run_order::soon);
  finished.wait();
  pool.stop();
  CHECK(next_free == total);
  CHECK(most_ready <= static_cast<std::size_t>(fan * depth));
}

TEST_CASE("two workers: every node scheduled from anywhere runs exactly once") {
  constexpr int count = 20'000;
  std::vector<task> nodes(count);
  std::vector<std::atomic<int>> runs(count);
  countdown finished(count);
  scheduler pool(2, &run_task, nullptr);
  for (int i = 0; i < count; ++i) {
    nodes[static_cast<std::size_t>(i)].body = [&, i] {
      runs[static_cast<std::size_t>(i)].fetch_add(1);
      // Half of them make another ready from inside, as a turn would.
      const int next = i + count / 2;
      if (i < count / 2) {
        pool.schedule(nodes[static_cast<std::size_t>(next)], i % 3 == 0 ? run_order::next : run_order::soon);
      }
      finished.done();
    };
  }
  pool.start();
  for (int i = 0; i < count / 2; ++i) pool.schedule(nodes[static_cast<std::size_t>(i)], run_order::soon);
  finished.wait();
  pool.stop();
  int wrong = 0;
  for (auto& r : runs) wrong += r.load() == 1 ? 0 : 1;
  CHECK(wrong == 0);
}

TEST_CASE("two workers: work queued behind a busy turn is stolen by the idle worker") {
  // The blocker holds its worker until a node it queued itself has run: only
  // the other worker can run that node, by stealing it.
  scheduler pool(2, &run_task, nullptr);
  std::latch stolen_ran(1);
  task blocker, queued;
  queued.body = [&] { stolen_ran.count_down(); };
  blocker.body = [&] {
    pool.schedule(queued, run_order::soon);
    stolen_ran.wait();
  };
  pool.start();
  pool.schedule(blocker, run_order::soon);
  stolen_ran.wait();  // a scheduler without stealing hangs here
  pool.stop();
  CHECK(pool.counters().steals >= 1);
}

TEST_CASE("parked workers wake for work made ready from outside, every time") {
  scheduler pool(2, &run_task, nullptr);
  pool.start();
  int ran = 0;
  for (int round = 0; round < 200; ++round) {
    countdown finished(1);
    task t;
    t.body = [&] {
      ++ran;
      finished.done();
    };
    pool.schedule(t, run_order::soon);
    finished.wait();  // a lost wake-up hangs here
  }
  pool.stop();
  CHECK(ran == 200);
}
