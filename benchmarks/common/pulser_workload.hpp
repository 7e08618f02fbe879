// The pulser flood workload (issue #3), shared by bench_pulser (a coalescing
// pulse edge) and bench_pulser_unbounded (a plain unbounded edge): a producer
// actor sends N pulses to a consumer, which counts its deliveries and sums
// the pulses they carry. The two programs differ only in how one pulse
// travels (their `Link`), so the actors, the checks and the timing live here
// and cannot drift apart.
#pragma once

#include "bench.hpp"

#include <weir/coalescing.hpp>
#include <weir/weir.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace bench::pulser {

struct tick {};
/// What the consumer receives: `count` pulses at once. A pulse edge merges
/// pulses into it; the plain edge sends each pulse as beat{1}, so the
/// consumer's handler, and so its cost per delivery, is the same for both.
using beat = weir::pulse<tick>;

struct drained {
  std::uint64_t deliveries;
  std::uint64_t sum;
};
using drained_port = weir::interface<drained>;
// Sent after the last pulse on the consumer's ad-hoc edge: same sender, same
// inbox, so it arrives after the delivery that carries the last pulse (every
// pulse either queued a delivery or merged into one not yet taken).
struct finish {
  weir::handle<drained_port> reply_to;
};
struct more {};

/// Counts deliveries and sums the pulses they carry; reports on `finish`.
class consumer : public weir::actor<beat, finish> {
 public:
  void on_message(beat& b) override {
    ++deliveries_;
    sum_ += b.count;
  }
  void on_message(finish& f) override { (void)f.reply_to.send(drained{deliveries_, sum_}); }

 private:
  std::uint64_t deliveries_ = 0;
  std::uint64_t sum_ = 0;
};

struct outcome {
  bool consumer_gone = false;  // a send answered `closed`: the run is void
  // Read by the producer on `drained`: the consumer had finished its turn on
  // every delivery by then, so the counters are at quiescence.
  weir::edge_stats stats;
  std::uint64_t deliveries = 0;
  std::uint64_t sum = 0;
};

// Pulses per producer turn. The producer re-sends itself `more` between
// slices, so the consumer gets turns while the flood goes on (a pulse edge
// only merges what the consumer has not taken yet, so how often it runs is
// what decides the number of deliveries) and the runtime's per-turn work
// (penalties, credit) happens as for any real producer.
constexpr std::uint64_t slice = 4096;

/// Sends `total` pulses through a `Link`, `slice` per turn, then asks the
/// consumer to confirm what it received. A Link is built from the consumer's
/// handle inside on_start (so the edge is labelled with this actor's path)
/// and offers `weir::send_result send()` (one pulse) and `stats()`.
template <class Link>
class producer : public weir::actor<more, drained> {
 public:
  producer(weir::handle<consumer> to, std::uint64_t total, std::promise<outcome>* done)
      : to_(std::move(to)), total_(total), done_(done) {}

  void on_start() override {
    link_.emplace(to_);
    produce();
  }
  void on_message(more&) override { produce(); }
  void on_message(drained& d) override {
    done_->set_value(outcome{.consumer_gone = false, .stats = link_->stats(), .deliveries = d.deliveries,
                             .sum = d.sum});
    quit();
  }

 private:
  void produce() {
    const std::uint64_t end = std::min(total_, sent_ + slice);
    for (; sent_ < end; ++sent_) {
      if (link_->send() == weir::send_result::closed) {
        done_->set_value(outcome{.consumer_gone = true, .stats = {}, .deliveries = 0, .sum = 0});
        quit();
        return;
      }
    }
    if (sent_ < total_) {
      (void)self().send(more{});
    } else {
      (void)to_.send(finish{self()});
    }
  }

  weir::handle<consumer> to_;
  std::uint64_t total_;
  std::promise<outcome>* done_;
  std::optional<Link> link_;
  std::uint64_t sent_ = 0;
};

/// A finished run, checked.
struct result {
  std::uint64_t pulses = 0;
  double seconds = 0;
  std::uint64_t deliveries = 0;
  weir::edge_stats stats;
};

/// Every pulse arrived exactly once, and the edge's counters agree with what
/// the consumer saw. Prints the first mismatch.
inline bool accounts_balance(std::string_view bench, const outcome& out, std::uint64_t pulses) {
  const weir::edge_stats& s = out.stats;
  const std::string name{bench};
  return expect_eq(name + " pulses summed by the consumer", out.sum, pulses) &&
         expect_eq(name + " sends on the edge", s.sent, pulses) &&
         expect_eq(name + " sent = handled + coalesced + dead_lettered", s.sent,
                   s.handled + s.coalesced + s.dead_lettered) &&
         expect_eq(name + " deliveries (edge vs consumer)", s.handled, out.deliveries) &&
         expect_eq(name + " depth at the end", static_cast<std::uint64_t>(s.depth), 0) &&
         expect_eq(name + " refused + dropped", s.refused + s.dropped, 0) &&
         expect_eq(name + " dead letters", s.dead_lettered, 0);
}

/// Runs the workload over `Link`: reads the size from argv[1] (default
/// 10,000,000), times from the producer's spawn until the consumer confirmed
/// every pulse, and checks the accounts. Prints a summary on stderr and
/// nothing on stdout: the caller reports its own metrics. Returns nullopt
/// (main should exit 1) if the run was wrong.
template <class Link>
std::optional<result> run(int argc, char** argv, std::string_view bench) {
  const std::uint64_t pulses = arg_or(argc, argv, 1, 10'000'000);
  weir::system sys;
  std::promise<outcome> done;
  auto sink = sys.spawn<consumer>("consumer");
  // The system's threads and the consumer exist: what the run adds on top of
  // this is what the edge costs.
  const std::size_t baseline_kb = current_rss_kb();
  const stopwatch watch;
  (void)sys.spawn<producer<Link>>("producer", sink, pulses, &done);
  const outcome out = done.get_future().get();
  const double seconds = watch.seconds();

  if (out.consumer_gone) {
    std::fprintf(stderr, "%.*s: the consumer stopped before the end\n", static_cast<int>(bench.size()),
                 bench.data());
    return std::nullopt;
  }
  if (!accounts_balance(bench, out, pulses)) return std::nullopt;
  std::fprintf(stderr,
               "%.*s: %llu pulses in %.3f s as %llu deliveries (%.1f pulses each, %llu coalesced); "
               "RSS before the run %.1f MB\n",
               static_cast<int>(bench.size()), bench.data(), static_cast<unsigned long long>(pulses), seconds,
               static_cast<unsigned long long>(out.deliveries),
               static_cast<double>(pulses) / static_cast<double>(std::max<std::uint64_t>(out.deliveries, 1)),
               static_cast<unsigned long long>(out.stats.coalesced), kb_to_mb(baseline_kb));
  return result{.pulses = pulses, .seconds = seconds, .deliveries = out.deliveries, .stats = out.stats};
}

}  // namespace bench::pulser
