#pragma once
// stuck_actor_actors.hpp — the shop of story S5, "insight into a running
// system", with its three stuck situations. Shared by the sample (main.cpp)
// and its test (tests/samples/stuck_actor.test.cpp).

#include <weir/actor.hpp>
#include <weir/edge.hpp>
#include <weir/supervisor.hpp>
#include <weir/system.hpp>
#include <weir/timer_handle.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace stuck_actor {

using namespace std::chrono_literals;

/// A lock held outside the actor system (a stuck migration, a peer that never
/// answers). open() may be called any number of times, so every way out of
/// main opens it: a handler blocked on it would keep shutdown() waiting.
/// Thread safety: every member from any thread.
class gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    ++waiting_, changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true, changed_.notify_all();
  }
  /// Blocks until a thread waits on the gate (for tests: the db is stuck now).
  void until_waited_on() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return waiting_ > 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  int waiting_ = 0;
};

/// What the actors did, told as they do it. Thread safety: any thread.
class ledger {
 public:
  std::uint64_t orders_sent = 0, orders_written = 0, metrics_sent = 0, metrics_indexed = 0;  // under mutex_
  bool flood_drained = false;  ///< the indexer handled the collector's flood_end

  template <class F>
  void update(F&& f) {
    std::lock_guard lock(mutex_);
    f(*this), changed_.notify_all();
  }
  /// Waits until `done(*this)` holds; false if `deadline` passes first.
  template <class Done>
  bool wait_until(std::chrono::steady_clock::time_point deadline, Done done) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] { return done(*this); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
};
using ledger_ptr = std::shared_ptr<ledger>;

struct write_order { int id = 0; };
struct metric { std::uint64_t seq = 0; };
struct flood_end {};    ///< after the last metric: edges keep their order
struct stop_flood {};   ///< main -> collector
struct catch_up {};     ///< main -> indexer, in its preferred inbox: overtakes the backlog

/// (a) Each write waits for a table lock held outside the actor system: the
/// handler blocks its pool thread. weir cannot interrupt it; it can say
/// which actor, which message, for how long (blocking_handler).
class db : public weir::actor<write_order> {
 public:
  db(std::shared_ptr<gate> lock, ledger_ptr book) : lock_(std::move(lock)), book_(std::move(book)) {}
  void on_message(write_order&) override {
    lock_->wait();  // the blocking call: deliberate, it is what the story is about
    book_->update([](ledger& l) { ++l.orders_written; });
  }

 private:
  std::shared_ptr<gate> lock_;
  ledger_ptr book_;
};

/// (b) Sends 6 orders over bounded(4) into the blocked db: suspended after
/// on_start, waiting for credit (long_wait).
class checkout : public weir::actor<> {
 public:
  checkout(weir::handle<db> to, ledger_ptr book) : to_(std::move(to)), book_(std::move(book)) {}
  void on_start() override {
    out_ = weir::connect(to_, weir::bounded{.capacity = 4, .on_full = weir::overflow_reaction::suspend, .block_timeout = std::nullopt});
    for (int i = 0; i < 6; ++i) (void)out_.send(write_order{i});  // suspend: never refused
    book_->update([](ledger& l) { l.orders_sent += 6; });
  }

 private:
  weir::handle<db> to_;
  ledger_ptr book_;
  weir::edge<db> out_;
};

/// (c) Writes each metric to a slow disk: 100 us a metric, waited for with
/// its inbox paused (no thread held), so it takes at most 10,000 a second,
/// fewer if its timers run late, until told to catch up.
class indexer : public weir::actor<weir::inbox<catch_up>, weir::inbox<metric, flood_end>> {
 public:
  explicit indexer(ledger_ptr book) : book_(std::move(book)) {}
  void on_message(catch_up&) override { catching_up_ = true; }
  void on_message(metric&) override {
    ++indexed_;
    if (catching_up_) return;
    pause_inbox();
    start_timer(100us, [this] { resume_inbox(); });
  }
  void on_message(flood_end&) override {
    book_->update([this](ledger& l) { l.metrics_indexed = indexed_, l.flood_drained = true; });
  }

 private:
  ledger_ptr book_;
  bool catching_up_ = false;
  std::uint64_t indexed_ = 0;
};
using metrics_interface = weir::interface<metric, flood_end>;

/// (c) Floods the indexer, 100 metrics every 2 ms, over a plain unbounded
/// edge: no credit, no soft penalty, nothing slows it down, which is the
/// mistake inbox_growth catches. Each of its ticks adds 100, each of the
/// indexer's takes 1, however late timers run. It stops when told, or at
/// 300,000 metrics (a few MB).
class collector : public weir::actor<stop_flood> {
 public:
  collector(weir::handle<indexer> to, ledger_ptr book) : to_(std::move(to)), book_(std::move(book)) {}
  void on_start() override {
    out_ = weir::connect<metrics_interface>(to_, weir::unbounded{.penalty = std::nullopt});
    ticking_ = start_periodic(2ms, [this] {
      for (int i = 0; i < 100 && sent_ < 300'000; ++i) (void)out_.send(metric{sent_++});
      if (sent_ == 300'000) finish();
    });
  }
  void on_message(stop_flood&) override { finish(); }

 private:
  void finish() {
    if (std::exchange(finished_, true)) return;
    ticking_.cancel();
    (void)out_.send(flood_end{});
    book_->update([this](ledger& l) { l.metrics_sent = sent_; });
  }

  weir::handle<indexer> to_;
  ledger_ptr book_;
  weir::edge<metrics_interface> out_;
  weir::timer_handle ticking_;
  std::uint64_t sent_ = 0;
  bool finished_ = false;
};

/// /shop -> /shop/orders (db, checkout), /shop/telemetry (indexer, collector),
/// all one_for_one; each worker is wired to an earlier sibling.
inline void spawn_shop(weir::system& sys, const std::shared_ptr<gate>& lock, const ledger_ptr& book) {
  using namespace weir;
  const supervisor_flags flags{.strategy = restart_strategy::one_for_one, .intensity = 1, .period = 5s};
  sys.spawn<supervisor>("shop", flags, std::vector{
      supervisor_child("orders", flags, {worker<db>("db", lock, book), worker<checkout>("checkout", sibling<db>{"db"}, book)}),
      supervisor_child("telemetry", flags, {worker<indexer>("indexer", book),
                                            worker<collector>("collector", sibling<indexer>{"indexer"}, book)})});
}

}  // namespace stuck_actor
