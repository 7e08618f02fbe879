// Senders that keep crashing, on real threads, while they feed one sink over
// bounded edges they run dry every turn: each sender keeps its one edge
// across all its restarts (its cell parks it, the next behaviour takes it
// back), and after shutdown the snapshot alone accounts for every message.
// Runs under TSan in CI.

#include <weir/supervisor.hpp>  // first: the header must be self-contained
#include <weir/edge.hpp>
#include <weir/system.hpp>

#include "scale.hpp"
#include "watchdog.hpp"

#include <spdlog/logger.h>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct item {
  std::uint32_t n;
};
struct go {};

class counting_sink : public weir::actor<item> {
 public:
  counting_sink(std::atomic<std::uint64_t>* handled, std::uint64_t expected, weir::test::countdown* done)
      : handled_(handled), expected_(expected), done_(done) {}
  void on_message(item&) override {
    if (handled_->fetch_add(1) + 1 == expected_) done_->arrive();
  }

 private:
  std::atomic<std::uint64_t>* handled_;
  std::uint64_t expected_;
  weir::test::countdown* done_;
};

// What a sender did, kept outside its behaviour so it survives the
// restarts; written only on that sender's strand.
struct tally {
  std::uint64_t sent = 0;
  std::uint64_t batches = 0;
};

// Sends 16 items per turn over a bounded(8) edge (so it overdraws and is
// suspended every turn), and crashes after every `crash_every`-th batch,
// out of credit: its next behaviour takes the dry edge back.
class restless_sender : public weir::actor<go> {
 public:
  restless_sender(weir::handle<counting_sink> to, tally* t, std::uint64_t quota, std::uint64_t crash_every)
      : to_(weir::connect(to, weir::bounded{.capacity = 8})), tally_(t), quota_(quota), crash_every_(crash_every) {}
  void on_start() override { self().send(go{}); }
  void on_message(go&) override {
    if (tally_->sent >= quota_) return;  // a go from before a restart, once the work is done
    for (int i = 0; i < 16 && tally_->sent < quota_; ++i) {
      (void)to_.send(item{static_cast<std::uint32_t>(i)});
      ++tally_->sent;
    }
    if (tally_->sent < quota_) self().send(go{});
    if (++tally_->batches % crash_every_ == 0) throw std::runtime_error("restless");
  }

 private:
  weir::edge<counting_sink> to_;
  tally* tally_;
  std::uint64_t quota_;
  std::uint64_t crash_every_;
};

}  // namespace

TEST_CASE("stress: senders restarted hundreds of times keep one edge each; the snapshot accounts for everything") {
  constexpr std::size_t senders = 4;
  const std::uint64_t quota = weir::test::scaled(20'000);
  constexpr std::uint64_t crash_every = 5;
  weir::test::watchdog guard("edge restart stress", 300s);

  std::atomic<std::uint64_t> handled{0};
  weir::test::countdown done(1);
  std::vector<tally> tallies(senders);
  weir::system_config config;
  config.threads = 2;
  config.logger = std::make_shared<spdlog::logger>("quiet");  // no sinks: the crash reports go nowhere
  weir::system sys(config);

  auto sink = sys.spawn<counting_sink>("sink", &handled, quota * senders, &done);
  weir::supervisor_flags flags;
  flags.intensity = std::numeric_limits<int>::max();
  flags.period = 1h;
  std::vector<weir::child_spec> specs;
  for (std::size_t i = 0; i < senders; ++i) {
    specs.push_back(weir::worker<restless_sender>("s" + std::to_string(i), sink, &tallies[i], quota, crash_every));
  }
  (void)sys.spawn<weir::supervisor>("sup", flags, std::move(specs));
  done.wait();
  sys.shutdown();  // everything has stopped: the counts are final

  const weir::system_snapshot s = sys.snapshot();
  CHECK(s.actors.empty());
  weir::edge_stats all;
  for (const weir::closed_edge_snapshot& c : s.closed_edges) all += c.totals;
  CHECK(all.sent == all.handled + all.refused + all.dropped + all.coalesced + all.dead_lettered +
                        static_cast<std::uint64_t>(all.depth));
  CHECK(all.depth == 0);
  for (std::size_t i = 0; i < senders; ++i) {
    const std::string label = "/sup/s" + std::to_string(i) + " -> /sink";
    CAPTURE(label);
    std::size_t entries = 0;
    for (const weir::closed_edge_snapshot& c : s.closed_edges) {
      if (c.edge != label) continue;
      ++entries;
      CHECK(c.edges == 1);  // one edge through every restart
      CHECK(c.totals.sent == quota);
      CHECK(c.totals.handled == quota);
      CHECK(c.totals.suspensions > 0);
    }
    CHECK(entries == 1);
    CHECK(tallies[i].sent == quota);
    CHECK(tallies[i].batches / crash_every > 10);  // it really was restarted, many times
  }
  CHECK(handled == quota * senders);
}
