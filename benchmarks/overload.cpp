// weir: overload. A producer actor ten times faster than its consumer sends N
// jobs over one edge with the flow-control policy named on the command line;
// what each policy does with the excess is the point:
//
//   suspend      bounded{1024}, suspend: the producer is suspended while the
//                consumer holds 1,024 unconsumed jobs (what one slice sends
//                past them is held at the producer, see `slice`), so it
//                runs at the consumer's pace
//   drop-newest  bounded{1024}, drop_newest: jobs sent without credit are lost
//   drop-oldest  bounded{1024}, drop_oldest: each job sent without credit
//                costs the oldest queued one. The runtime drops lazily (the
//                consumer discards owed jobs as they reach the head of its
//                queue), so the queue exceeds the capacity by however much
//                the producer sends while the consumer is not running, which
//                peak-queue shows
//   fail         bounded{1024}, fail: send() answers would_block; the producer
//                keeps the job and retries it after `retry_after`, so nothing
//                is lost and every refused attempt is counted (`refused`)
//   penalty      unbounded with the default soft penalty (what ad-hoc sends
//                get): the producer is slowed down once the queue passes 1,000
//   unbounded    unbounded without penalty: nothing holds the producer back
//
// Each policy runs in a process of its own (benchmarks/run calls this once
// per policy), so its peak RSS is its own. The consumer's cost per job is real
// CPU work, calibrated at start, never a sleep: a sleeping consumer would free
// its core and hide the contention a slow consumer really causes.
//
// stderr: the consumer's queue length over the run (one sample per
// millisecond, printed as the maximum of each tenth of the run), and the run's
// throughput. stdout, for <policy>:
//   overload-<policy>-peak-queue weir: N msgs    most jobs queued at the consumer at once
//   overload-<policy>-latency-p99 weir: X us     creation -> handler, jobs that were handled
//   overload-<policy>-rss weir: X MB             peak RSS of the process
//   overload-<policy>-dropped weir: N msgs       drop-newest and drop-oldest only
//   overload-<policy>-refused weir: N msgs       fail only: refused send attempts
//
// Usage: bench_overload <policy> [jobs]   (default 200,000)

#include "bench.hpp"

#include <weir/edge.hpp>
#include <weir/weir.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <future>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

using steady = std::chrono::steady_clock;
using std::chrono::microseconds;

constexpr std::size_t capacity = 1024;                // of every bounded edge
constexpr microseconds consumer_cost{10};             // CPU work per job handled
constexpr microseconds producer_cost = consumer_cost / 10;  // per job made: 10x faster
constexpr microseconds retry_after{100};              // fail: back-off before a retry
constexpr auto sample_every = std::chrono::milliseconds(1);
constexpr std::size_t series_points = 10;

// Jobs per producer turn. Suspension and penalties apply between handlers,
// so the producer works in slices and re-sends itself `more`; a slice is
// also the most a suspend edge can overdraw. 64 matches the runtime's
// default batch, i.e. what the consumer handles per turn.
constexpr std::size_t slice = 64;

// --- the policies under test ------------------------------------------------

weir::bounded bounded_with(weir::overflow_reaction on_full) {
  // Every field spelled out: block_timeout has no default member initializer,
  // so leaving it out trips -Wmissing-field-initializers.
  return weir::bounded{.capacity = capacity, .on_full = on_full, .block_timeout = std::nullopt};
}

std::optional<weir::edge_policy> policy_named(std::string_view name) {
  using reaction = weir::overflow_reaction;
  if (name == "suspend") return bounded_with(reaction::suspend);
  if (name == "drop-newest") return bounded_with(reaction::drop_newest);
  if (name == "drop-oldest") return bounded_with(reaction::drop_oldest);
  if (name == "fail") return bounded_with(reaction::fail);
  if (name == "penalty") return weir::unbounded{};
  if (name == "unbounded") return weir::unbounded{.penalty = std::nullopt};
  return std::nullopt;
}

// --- fixed-cost work ----------------------------------------------------------

// Written by every spin, so the compiler cannot drop the loop.
volatile std::uint64_t spin_sink = 0;

/// CPU-bound work of a fixed cost: a data-dependent xorshift chain, which
/// neither the compiler nor the CPU can shortcut.
class busy_work {
 public:
  /// Measures how many iterations take a microsecond here. The fastest of a
  /// few rounds is the least disturbed one on a shared machine.
  static busy_work calibrate() {
    constexpr std::uint64_t probe = 1U << 20;
    double best = std::numeric_limits<double>::max();
    for (int round = 0; round < 5; ++round) {
      const bench::stopwatch watch;
      spin(probe);
      best = std::min(best, watch.seconds());
    }
    return busy_work(static_cast<double>(probe) / (best * 1e6));
  }

  void run(microseconds cost) const { spin(static_cast<std::uint64_t>(per_us_ * static_cast<double>(cost.count()))); }
  [[nodiscard]] double iterations_per_us() const noexcept { return per_us_; }

 private:
  explicit busy_work(double per_us) : per_us_(per_us) {}

  static void spin(std::uint64_t iterations) {
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (std::uint64_t i = 0; i < iterations; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
    }
    spin_sink = x;
  }

  double per_us_;
};

// --- the actors -----------------------------------------------------------------

struct job {
  steady::time_point created;  // when the producer made it: latency includes any retry wait
};
struct drained {
  std::uint64_t handled;
};
using drained_port = weir::interface<drained>;
// Sent after the last job on the consumer's ad-hoc edge: same sender, same
// inbox, so it arrives after every job the edge accepted.
struct finish {
  weir::handle<drained_port> reply_to;
};
struct more {};

/// Does consumer_cost of work per job and records each job's latency.
class consumer : public weir::actor<job, finish> {
 public:
  consumer(busy_work work, std::vector<std::uint64_t>* latencies_ns) : work_(work), latencies_ns_(latencies_ns) {}
  void on_message(job& j) override {
    work_.run(consumer_cost);
    (*latencies_ns_)[handled_++] =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now() - j.created).count());
  }
  void on_message(finish& f) override { (void)f.reply_to.send(drained{handled_}); }

 private:
  busy_work work_;
  std::vector<std::uint64_t>* latencies_ns_;  // sized for every job; main reads it after `drained`
  std::uint64_t handled_ = 0;
};

struct outcome {
  bool consumer_gone = false;  // a send answered `closed`: the run is void
  weir::edge_stats stats;      // at the end; depth may lag (credit is handed back at turn ends)
  std::uint64_t consumer_handled = 0;
  std::int64_t peak_queue = 0;
};

/// Makes `total` jobs (producer_cost of work each) and sends them on one edge
/// with the policy under test, then asks the consumer to confirm it drained.
class producer : public weir::actor<more, drained> {
 public:
  producer(weir::handle<consumer> to, weir::edge_policy policy, busy_work work, std::uint64_t total,
           std::promise<outcome>* done)
      : to_(std::move(to)), policy_(std::move(policy)), work_(work), total_(total), done_(done) {}

  void on_start() override {
    out_ = weir::connect(to_, policy_);  // here, so the edge carries this actor's path
    produce();
  }
  void on_message(more&) override { produce(); }
  void on_message(drained& d) override {
    done_->set_value(outcome{.consumer_gone = false, .stats = out_.stats(), .consumer_handled = d.handled,
                             .peak_queue = peak_queue_});
    quit();
  }

 private:
  void produce() {
    for (std::size_t n = 0; n < slice && made_ < total_; ++n) {
      if (!pending_) {
        work_.run(producer_cost);
        pending_ = job{steady::now()};
      }
      switch (out_.send(std::move(*pending_))) {
        case weir::send_result::ok:
          // Only sends raise the consumer's queue and this is its only
          // sender, so a look after each accepted send sees every peak. A
          // drop_oldest edge keeps its messages in a ring inside the edge,
          // so its depth counts too.
          peak_queue_ = std::max({peak_queue_, to_.queued(), out_.stats().depth});
          break;
        case weir::send_result::dropped:  // drop_newest: counted by the edge
          break;
        case weir::send_result::would_block:  // fail: keep the job, back off, retry
          (void)start_timer(retry_after, [this] { produce(); });
          return;
        case weir::send_result::closed:
          done_->set_value(outcome{.consumer_gone = true, .stats = {}, .consumer_handled = 0, .peak_queue = 0});
          quit();
          return;
      }
      pending_.reset();
      ++made_;
    }
    if (made_ < total_) {
      (void)self().send(more{});
    } else {
      finish_when_drained();
    }
  }

  // `finish` goes on the ad-hoc edge, and order holds within an edge, not
  // across edges: a drop_oldest edge's jobs wait in the edge itself and may
  // still be there. So it is sent once the edge has nothing in flight.
  void finish_when_drained() {
    if (out_.stats().depth == 0) {
      (void)to_.send(finish{self()});
    } else {
      (void)start_timer(retry_after, [this] { finish_when_drained(); });
    }
  }

  weir::handle<consumer> to_;
  weir::edge_policy policy_;
  busy_work work_;
  std::uint64_t total_;
  std::promise<outcome>* done_;
  weir::edge<consumer> out_;
  std::optional<job> pending_;  // made, not yet taken by the edge (fail)
  std::uint64_t made_ = 0;      // jobs the edge took or dropped
  std::int64_t peak_queue_ = 0;
};

// --- measuring ------------------------------------------------------------------

/// Samples a value every `sample_every` on a thread of its own, so that the
/// series does not depend on either actor getting a turn.
class sampler {
 public:
  template <class Probe>
  explicit sampler(Probe probe)
      : thread_([this, probe] {
          while (!stop_.load(std::memory_order_relaxed)) {
            samples_.push_back(probe());
            std::this_thread::sleep_for(sample_every);
          }
        }) {}
  sampler(const sampler&) = delete;
  sampler& operator=(const sampler&) = delete;
  ~sampler() { finish(); }

  /// Stops sampling; returns the samples in order.
  std::vector<std::int64_t> finish() {
    stop_.store(true, std::memory_order_relaxed);
    if (thread_.joinable()) thread_.join();
    return std::move(samples_);
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::int64_t> samples_;
  std::thread thread_;  // last: starts once the members it uses exist
};

/// The maximum of each of `points` equal stretches of `samples` (a compact
/// series that still shows every spike).
std::string series_of(const std::vector<std::int64_t>& samples, std::size_t points) {
  std::string out;
  const std::size_t n = samples.size();
  for (std::size_t i = 0; i < points && i < n; ++i) {
    const auto first = samples.begin() + static_cast<std::ptrdiff_t>(i * n / points);
    const auto last = samples.begin() + static_cast<std::ptrdiff_t>((i + 1) * n / points);
    if (i > 0) out += ' ';
    out += std::to_string(*std::max_element(first, last));
  }
  return out;
}

/// The q-quantile (0..1) of `values`, reordering them.
std::uint64_t quantile(std::span<std::uint64_t> values, double q) {
  if (values.empty()) return 0;
  const auto rank = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank), values.end());
  return values[rank];
}

/// Every job made is handled or dropped exactly once; the edge's counters
/// must agree with what the actors saw. Prints the first mismatch.
bool accounts_balance(std::string_view policy, const outcome& result, std::uint64_t total) {
  const weir::edge_stats& s = result.stats;
  const bool lossy = policy == "drop-newest" || policy == "drop-oldest";
  return bench::expect_eq("jobs handled (edge vs consumer)", s.handled, result.consumer_handled) &&
         bench::expect_eq("jobs handled + dropped", s.handled + s.dropped, total) &&
         bench::expect_eq("send attempts", s.sent, total + s.refused) &&
         bench::expect_eq("jobs dropped by a lossless policy", lossy ? 0 : s.dropped, 0) &&
         bench::expect_eq("refusals outside fail", policy == "fail" ? 0 : s.refused, 0) &&
         bench::expect_eq("dead letters", s.dead_lettered, 0);
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<weir::edge_policy> policy = argc >= 2 ? policy_named(argv[1]) : std::nullopt;
  if (!policy) {
    std::fprintf(stderr, "usage: %s suspend|drop-newest|drop-oldest|fail|penalty|unbounded [jobs]\n", argv[0]);
    return 2;
  }
  const std::string name = argv[1];
  const std::uint64_t total = bench::arg_or(argc, argv, 2, 200'000);
  const busy_work work = busy_work::calibrate();

  // Sized (and so touched) before the baseline: its pages are not the queue's.
  std::vector<std::uint64_t> latencies_ns(total);
  weir::system sys;
  std::promise<outcome> done;
  auto sink = sys.spawn<consumer>("consumer", work, &latencies_ns);
  const std::size_t baseline_kb = bench::current_rss_kb();

  sampler queue_length([sink] { return sink.queued(); });
  const bench::stopwatch watch;
  (void)sys.spawn<producer>("producer", sink, *policy, work, total, &done);
  const outcome result = done.get_future().get();
  const double seconds = watch.seconds();
  const std::vector<std::int64_t> series = queue_length.finish();

  if (result.consumer_gone) {
    std::fprintf(stderr, "bench_overload %s: the consumer stopped before the end\n", name.c_str());
    return 1;
  }
  if (!accounts_balance(name, result, total)) return 1;

  const std::span<std::uint64_t> handled(latencies_ns.data(), result.consumer_handled);
  const double p50_ms = static_cast<double>(quantile(handled, 0.50)) / 1e6;
  const double p99_us = static_cast<double>(quantile(handled, 0.99)) / 1e3;
  std::fprintf(stderr,
               "overload-%s: queue length, max per tenth of %.2f s: %s\n"
               "overload-%s: %llu jobs handled (%.0f/s), latency p50 %.2f ms, producer suspended %.0f ms, "
               "1 us = %.0f spins, RSS before the run %.1f MB\n",
               name.c_str(), seconds, series_of(series, series_points).c_str(), name.c_str(),
               static_cast<unsigned long long>(result.consumer_handled),
               static_cast<double>(result.consumer_handled) / seconds, p50_ms,
               std::chrono::duration<double, std::milli>(result.stats.suspended).count(), work.iterations_per_us(),
               bench::kb_to_mb(baseline_kb));

  const std::string metric = "overload-" + name;
  bench::report(metric + "-peak-queue", "weir", static_cast<double>(result.peak_queue), "msgs");
  bench::report(metric + "-latency-p99", "weir", p99_us, "us");
  bench::report(metric + "-rss", "weir", bench::kb_to_mb(bench::peak_rss_kb()), "MB");
  if (name == "drop-newest" || name == "drop-oldest") {
    bench::report(metric + "-dropped", "weir", static_cast<double>(result.stats.dropped), "msgs");
  }
  if (name == "fail") bench::report(metric + "-refused", "weir", static_cast<double>(result.stats.refused), "msgs");
  return 0;
}
