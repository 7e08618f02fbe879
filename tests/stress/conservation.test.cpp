// The randomized conservation test the spec asks for: many actors, every
// edge policy, crashes injected into supervised workers that restart while
// traffic flows. Per edge, exactly:
//   sent = handled + refused + dropped + coalesced + dead_lettered
// once everything has stopped. Real threads; runs under TSan in CI.

#include <weir/supervisor.hpp>  // first: the header must be self-contained
#include <weir/coalescing.hpp>
#include <weir/edge.hpp>
#include <weir/system.hpp>

#include "children.hpp"
#include "scale.hpp"
#include "watchdog.hpp"

#include <spdlog/logger.h>

#include <doctest/doctest.h>

#include <atomic>
#include <limits>
#include <random>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct job {};
struct poison {};
struct go {};
struct tick {};
struct reading {
  int value;
};

class victim : public weir::actor<job, poison, weir::pulse<tick>, reading, weir::key_batch<int>> {
 public:
  explicit victim(weir::test::countdown* started) : started_(started) {}
  void on_start() override { started_->arrive(); }  // restarts arrive again: harmless
  void on_message(job&) override {}
  void on_message(poison&) override { throw std::runtime_error("injected"); }
  void on_message(weir::pulse<tick>&) override {}
  void on_message(reading&) override {}
  void on_message(weir::key_batch<int>&) override {}

 private:
  weir::test::countdown* started_;
};

// One policy per edge, chosen by the seed: every kind appears.
weir::edge_policy policy_for(std::size_t i) {
  switch (i % 6) {
    case 0: return weir::bounded{.capacity = 16};
    case 1: return weir::bounded{.capacity = 16, .on_full = weir::overflow_reaction::fail};
    case 2: return weir::bounded{.capacity = 16, .on_full = weir::overflow_reaction::drop_newest};
    case 3: return weir::bounded{.capacity = 16, .on_full = weir::overflow_reaction::drop_oldest};
    case 4: return weir::unbounded{};  // soft penalty
    default: return weir::unbounded{.penalty = std::nullopt};
  }
}

struct sent_counts {
  std::uint64_t refused = 0;  // would_block answers seen by the sender
  std::uint64_t closed = 0;
};

class sender : public weir::actor<go> {
 public:
  sender(std::vector<weir::handle<victim>> to, std::size_t first_policy, std::size_t count, std::uint32_t seed,
         weir::test::countdown* done, std::vector<weir::edge_stats>* stats, std::vector<sent_counts>* counts)
      : to_(std::move(to)), first_policy_(first_policy), left_(count), rng_(seed), done_(done), stats_(stats),
        counts_(counts) {}
  void on_start() override {
    for (std::size_t i = 0; i < to_.size(); ++i) {
      edges_.push_back(weir::connect(to_[i], policy_for(first_policy_ + i)));
      pulses_.emplace_back(to_[i]);
      latest_.emplace_back(to_[i]);
      keyed_.emplace_back(to_[i], weir::keyed_merge{.key_bound = 8});
    }
    counts_->resize(to_.size());
    self().send(go{});
  }
  void on_message(go&) override {
    for (int i = 0; i < 32 && left_ > 0; ++i, --left_) {
      const std::size_t at = rng_() % edges_.size();
      const auto dice = rng_() % 100;
      weir::send_result r;
      if (dice < 2) {
        r = edges_[at].send(poison{});
      } else if (dice < 70) {
        r = edges_[at].send(job{});
      } else if (dice < 80) {
        r = pulses_[at].fire();
      } else if (dice < 90) {
        r = latest_[at].send(reading{static_cast<int>(dice)});
      } else {
        r = keyed_[at].changed(static_cast<int>(rng_() % 20));
      }
      if (r == weir::send_result::would_block) ++(*counts_)[at].refused;
      if (r == weir::send_result::closed) ++(*counts_)[at].closed;
    }
    if (left_ > 0) {
      self().send(go{});
    } else {
      done_->arrive();
    }
  }
  void on_stop() override {
    for (std::size_t i = 0; i < edges_.size(); ++i) {
      stats_->push_back(edges_[i].stats());
      stats_->push_back(pulses_[i].stats());
      stats_->push_back(latest_[i].stats());
      stats_->push_back(keyed_[i].stats());
    }
  }

 private:
  std::vector<weir::handle<victim>> to_;
  std::vector<weir::edge<victim>> edges_;
  std::vector<weir::pulse_edge<tick>> pulses_;
  std::vector<weir::latest_edge<reading>> latest_;
  std::vector<weir::keyed_edge<int>> keyed_;
  std::size_t first_policy_;
  std::size_t left_;
  std::minstd_rand rng_;
  weir::test::countdown* done_;
  std::vector<weir::edge_stats>* stats_;
  std::vector<sent_counts>* counts_;
};

}  // namespace

TEST_CASE("conservation: every policy, injected crashes and restarts, sent = handled + refused + dropped + "
          "coalesced + dead letters") {
  weir::test::watchdog dog("conservation", 300s);
  const std::size_t workers = 12;
  const std::size_t senders = 4;
  const std::size_t per_sender = weir::test::scaled(30'000);
  for (std::uint32_t seed : {1U, 2U}) {
    CAPTURE(seed);
    weir::system_config config;
    config.threads = 2;
    config.logger = std::make_shared<spdlog::logger>("quiet");
    weir::system sys(config);
    weir::supervisor_flags flags;
    flags.intensity = std::numeric_limits<int>::max();
    flags.period = 1h;
    std::vector<weir::child_spec> specs;
    weir::test::countdown started(workers);
    for (std::size_t i = 0; i < workers; ++i) {
      specs.push_back(weir::worker<victim>("v" + std::to_string(i), &started));
    }
    auto sup = sys.spawn<weir::supervisor>("victims", flags, std::move(specs));
    started.wait();
    const auto handles = weir::test::started_children<victim>(sys, "/victims/v", workers);
    weir::test::countdown sent_all(senders);
    std::vector<std::vector<weir::edge_stats>> stats(senders);
    std::vector<std::vector<sent_counts>> counts(senders);
    for (std::size_t s = 0; s < senders; ++s) {
      (void)sys.spawn<sender>("s" + std::to_string(s), handles, s + seed, per_sender,
                              static_cast<std::uint32_t>(seed * 100 + s), &sent_all, &stats[s], &counts[s]);
    }
    sent_all.wait();
    sup.stop();  // the workers stop first: what they did not handle becomes dead letters
    CHECK(sys.wait_for(sup).kind == weir::exit_kind::shutdown);
    sys.shutdown();  // then the senders, which read their edges' counters

    std::uint64_t sent = 0;
    std::uint64_t handled = 0;
    std::uint64_t lost = 0;  // refused + dropped + dead letters
    for (std::size_t s = 0; s < senders; ++s) {
      REQUIRE(stats[s].size() == workers * 4);
      for (std::size_t w = 0; w < workers; ++w) {
        CHECK(stats[s][w * 4].refused == counts[s][w].refused);  // the plain edge: the only one that refuses
        CHECK(counts[s][w].closed == 0);                          // restarts never close a handle
      }
      for (std::size_t i = 0; i < stats[s].size(); ++i) {
        const weir::edge_stats& e = stats[s][i];
        CAPTURE(s);
        CAPTURE(i);
        CHECK(e.sent == e.handled + e.refused + e.dropped + e.coalesced + e.dead_lettered);
        CHECK(e.depth == 0);
        sent += e.sent;
        handled += e.handled;
        lost += e.refused + e.dropped + e.coalesced + e.dead_lettered;
      }
    }
    CHECK(sent == per_sender * senders);
    CHECK(sys.crashes() > 0);
    CHECK(handled > 0);
    CHECK(handled + lost == sent);
    CHECK(sys.dead_letters() >= sys.crashes());  // each crashing message, at least
  }
}
