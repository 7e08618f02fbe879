// A restart storm on real threads: thousands of crashes while traffic keeps
// flowing over bounded edges. Exact accounting: every job is handled once,
// in order per sender, every poison is dead-lettered, every edge's credit
// comes back, and no send ever finds a worker closed. Runs under TSan in CI.

#include <weir/supervisor.hpp>  // first: the header must be self-contained
#include <weir/edge.hpp>
#include <weir/system.hpp>

#include "children.hpp"
#include "scale.hpp"
#include "watchdog.hpp"

#include <spdlog/logger.h>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct job {
  std::uint32_t producer;
  std::uint32_t seq;  // per (producer, worker)
};
struct poison {
  std::uint32_t producer;
  std::uint32_t seq;
};
struct go {};

// What the workers saw, kept outside them so it survives their restarts.
// Each worker's row is written only on that worker's strand.
struct ledger {
  ledger(std::size_t workers, std::size_t producers, std::uint64_t expected)
      : next(workers, std::vector<std::uint32_t>(producers, 0)), expected(expected), started(workers),
        all_consumed(1) {}
  std::vector<std::vector<std::uint32_t>> next;
  std::atomic<std::uint64_t> jobs{0};
  std::atomic<std::uint64_t> poisons{0};
  std::atomic<std::uint64_t> out_of_order{0};
  std::atomic<std::uint64_t> consumed{0};
  const std::uint64_t expected;
  weir::test::countdown started;  // each worker's first on_start (restarts arrive again: harmless)
  weir::test::countdown all_consumed;

  void consume(std::size_t worker, std::uint32_t producer, std::uint32_t seq) {
    if (next[worker][producer] != seq) out_of_order.fetch_add(1);
    next[worker][producer] = seq + 1;
    if (consumed.fetch_add(1) + 1 == expected) all_consumed.arrive();
  }
};

class storm_worker : public weir::actor<job, poison> {
 public:
  storm_worker(std::size_t index, ledger* book) : index_(index), book_(book) {}
  void on_start() override { book_->started.arrive(); }
  void on_message(job& j) override {
    book_->jobs.fetch_add(1);
    book_->consume(index_, j.producer, j.seq);
  }
  void on_message(poison& p) override {
    book_->poisons.fetch_add(1);
    book_->consume(index_, p.producer, p.seq);
    throw std::runtime_error("poisoned");
  }

 private:
  std::size_t index_;
  ledger* book_;
};

struct totals {
  std::atomic<std::uint64_t> jobs{0};
  std::atomic<std::uint64_t> poisons{0};
  std::atomic<std::uint64_t> not_ok{0};
};

// Sends `count` messages over bounded edges (suspending when out of credit),
// one in `poison_every` a poison, a slice per turn.
class storm_producer : public weir::actor<go> {
 public:
  storm_producer(std::uint32_t id, std::vector<weir::handle<storm_worker>> workers, std::size_t count,
                 std::uint32_t poison_every, totals* sent, std::vector<weir::edge_stats>* stats_out)
      : id_(id), workers_(std::move(workers)), left_(count), poison_every_(poison_every), sent_(sent),
        stats_out_(stats_out), rng_(id), seq_(workers_.size(), 0) {}
  void on_start() override {
    for (auto& w : workers_) edges_.push_back(weir::connect(w, weir::bounded{.capacity = 16}));
    self().send(go{});
  }
  void on_message(go&) override {
    for (int i = 0; i < 64 && left_ > 0; ++i, --left_) {
      const std::size_t to = rng_() % workers_.size();
      const std::uint32_t seq = seq_[to]++;
      weir::send_result r;
      if (rng_() % poison_every_ == 0) {
        r = edges_[to].send(poison{id_, seq});
        sent_->poisons.fetch_add(1);
      } else {
        r = edges_[to].send(job{id_, seq});
        sent_->jobs.fetch_add(1);
      }
      if (r != weir::send_result::ok) sent_->not_ok.fetch_add(1);
    }
    if (left_ > 0) self().send(go{});
  }
  void on_stop() override {
    for (auto& e : edges_) stats_out_->push_back(e.stats());
  }

 private:
  std::uint32_t id_;
  std::vector<weir::handle<storm_worker>> workers_;
  std::vector<weir::edge<storm_worker>> edges_;
  std::size_t left_;
  std::uint32_t poison_every_;
  totals* sent_;
  std::vector<weir::edge_stats>* stats_out_;
  std::minstd_rand rng_;
  std::vector<std::uint32_t> seq_;
};

}  // namespace

TEST_CASE("restart storm: thousands of crashes under traffic, exact accounting, credit survives restarts") {
  const std::size_t workers = 16;
  const std::uint32_t producers = 4;
  const std::size_t per_producer = weir::test::scaled(40'000);
  const std::uint32_t poison_every = 16;  // ~10k crashes at full scale
  weir::test::watchdog guard("restart storm", 300s);

  ledger book(workers, producers, per_producer * producers);
  totals sent;
  std::vector<std::vector<weir::edge_stats>> stats(producers);
  weir::system_config config;
  config.threads = 2;
  config.logger = std::make_shared<spdlog::logger>("quiet");  // no sinks: thousands of crash reports go nowhere
  weir::system sys(config);

  weir::supervisor_flags flags;
  flags.intensity = std::numeric_limits<int>::max();
  flags.period = 1h;
  std::vector<weir::child_spec> specs;
  for (std::size_t i = 0; i < workers; ++i) {
    specs.push_back(weir::worker<storm_worker>("w" + std::to_string(i), i, &book));
  }
  auto sup = sys.spawn<weir::supervisor>("storm", flags, std::move(specs));
  book.started.wait();
  const auto handles = weir::test::started_children<storm_worker>(sys, "/storm/w", workers);
  std::vector<weir::handle<storm_producer>> senders;
  for (std::uint32_t p = 0; p < producers; ++p) {
    senders.push_back(sys.spawn<storm_producer>("p" + std::to_string(p), p, handles, per_producer, poison_every,
                                                &sent, &stats[p]));
  }
  book.all_consumed.wait();
  // Workers first: once the supervisor has stopped, every worker turn (and
  // its credit hand-back) is over; the producers then read their edges.
  sup.stop();
  CHECK(sys.wait_for(sup).kind == weir::exit_kind::shutdown);
  sys.shutdown();

  const std::uint64_t total = per_producer * producers;
  CHECK(sent.jobs + sent.poisons == total);
  CHECK(sent.not_ok == 0);  // never closed, never refused: the workers' handles held across every restart
  CHECK(book.jobs == sent.jobs);
  CHECK(book.poisons == sent.poisons);
  CHECK(book.out_of_order == 0);
  CHECK(sys.crashes() == sent.poisons);
  CHECK(sent.poisons > weir::test::scaled(40'000) * producers / poison_every / 2);  // thousands of crashes
  std::uint64_t dead = 0;
  for (auto& w : handles) dead += w.dead_letters();
  CHECK(dead == sent.poisons);  // exactly the crashing messages, nothing else
  for (const auto& per_producer_stats : stats) {
    REQUIRE(per_producer_stats.size() == workers);
    for (const auto& s : per_producer_stats) {
      CHECK(s.sent == s.handled + s.dead_lettered);
      CHECK(s.depth == 0);
      CHECK(s.credits == 16);
    }
  }
  CHECK(sys.live_actors() == 0);
}
