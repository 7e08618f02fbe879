#pragma once
// deadlock_actors.hpp — the actors of story S3, "deadlock is a cycle in the
// wait-for graph": a coordinator and its worker under a supervisor, bounded
// edges both ways, both sending at once. Shared by the sample (main.cpp) and
// its test (tests/samples/deadlock.test.cpp).

#include <weir/actor.hpp>
#include <weir/edge.hpp>
#include <weir/supervisor.hpp>
#include <weir/system.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <vector>

namespace deadlock {

/// The run's accounting, outside the actors: under the fail_one remedy an
/// actor restarts with fresh members (its mailbox survives), and carries on
/// from here. Written on the actors' strands, read from anywhere.
struct ledger {
  ledger(std::size_t requests, std::size_t capacity) : requests(requests), capacity(capacity), seen(requests) {}
  const std::size_t requests, capacity;  ///< N to send; of both bounded edges
  std::atomic<std::size_t> sent{0}, handled{0}, received{0}, duplicates{0}, wrong{0};
  std::atomic<std::size_t> coordinator_starts{0}, worker_starts{0};
  std::vector<std::atomic<bool>> seen;  ///< per request: its result arrived
  std::promise<void> all_received;      ///< set by the coordinator with the last result
};
using ledger_ptr = std::shared_ptr<ledger>;

struct result {
  std::size_t id = 0, value = 0;  ///< value: id * id, checked on arrival
};
using results_interface = weir::interface<result>;
struct request {
  std::size_t id = 0;
  weir::handle<results_interface> reply_to;
};
struct pump {};  ///< the coordinator to itself: send the next request (one per turn)

/// Answers each request at once, up a bounded edge to its reply_to. With
/// `capacity` results unconsumed, the next one is held at its end of the edge
/// and it is suspended: it stops consuming requests.
class worker : public weir::actor<request> {
 public:
  explicit worker(ledger_ptr book) : book_(std::move(book)) {}
  void on_start() override { book_->worker_starts.fetch_add(1); }
  void on_message(request& r) override {
    if (!to_coordinator_) to_coordinator_ = weir::connect(r.reply_to, weir::bounded{.capacity = book_->capacity});
    book_->handled.fetch_add(1);
    (void)to_coordinator_.send(result{r.id, r.id * r.id});  // suspend: never refused
  }

 private:
  ledger_ptr book_;
  weir::edge<results_interface> to_coordinator_;
};

/// Sends every request before it reads any result: its first inbox (pump)
/// is preferred over its second (result). That is the bug: with both
/// edges bounded and both sides sending at once, each fills its edge and is
/// suspended, waiting for credit only the other can give.
class coordinator : public weir::actor<weir::inbox<pump>, weir::inbox<result>> {
 public:
  coordinator(ledger_ptr book, weir::handle<worker> w) : book_(std::move(book)), worker_(std::move(w)) {}

  // Opened on start, on the coordinator's strand, so that the edge is labelled with its sender.
  void on_start() override {
    to_worker_ = weir::connect<weir::interface<request>>(worker_, weir::bounded{.capacity = book_->capacity});
    if (book_->coordinator_starts.fetch_add(1) == 0) self().send(pump{});  // a restart finds its work in the ledger
  }
  void on_message(pump&) override {
    const std::size_t id = book_->sent.load();
    if (id >= book_->requests) return;
    (void)to_worker_.send(request{id, self()});  // suspend: never refused
    book_->sent.store(id + 1);
    if (id + 1 < book_->requests) self().send(pump{});
  }
  void on_message(result& r) override {
    if (r.id >= book_->requests || r.value != r.id * r.id) return void(book_->wrong.fetch_add(1));
    if (book_->seen[r.id].exchange(true)) return void(book_->duplicates.fetch_add(1));
    if (book_->received.fetch_add(1) + 1 == book_->requests) book_->all_received.set_value();
  }

 private:
  ledger_ptr book_;
  weir::handle<worker> worker_;
  weir::edge<weir::interface<request>> to_worker_;
};

/// The pair under a one_for_one supervisor: the worker, then the coordinator,
/// which gets its sibling's handle at each start. Under fail_one only the
/// actor whose wait closed the cycle is restarted.
inline weir::handle<weir::supervisor> spawn_pair(weir::system& sys, const ledger_ptr& book) {
  using namespace std::chrono_literals;
  return sys.spawn<weir::supervisor>(
      "pipeline", weir::supervisor_flags{.strategy = weir::restart_strategy::one_for_one, .intensity = 1000, .period = 5s},
      std::vector{weir::worker<worker>("worker", book),
                  weir::worker<coordinator>("coordinator", book, weir::sibling<worker>{"worker"})});
}

}  // namespace deadlock
