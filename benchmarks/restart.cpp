// weir: how fast a supervisor restarts a crashed actor. Same workloads as
// peers/caf_restart.cpp. Prints
//   "restart-latency weir: X us"       median over `rounds` crash+ping rounds
//   "restart-storm weir: X restarts/s" 100 workers crashing under one supervisor
//
// restart-latency: one worker under a one_for_one supervisor. A driver actor
// sends it `crash` (its handler throws) and right after it `ping`, both to the
// same handle: the ping waits in the mailbox, which survives the restart, and
// the restarted behaviour answers it with a pong. Latency = sending the crash
// to receiving the pong; the next round starts once the pong is in.
//
// restart-storm: kWorkers workers under one one_for_one supervisor; kSenders
// sender actors, each owning a share of the workers, send every worker
// `crash, work` pairs, one pair per worker per turn, until `crashes` crashes
// are sent in all. Rate = restarts / time from the first send until every
// restart happened and every work message was handled. Accounting is then
// exact or the program fails: every work message handled once, every crash
// message (and nothing else) dead-lettered, one restart per crash.
//
// The runtime logs each crash at error level: the system gets a logger that
// shows critical messages only, so stderr is not flooded.
//
// Usage: bench_restart [rounds] [crashes]   (defaults 10,000 and 10 x rounds)

#include "bench.hpp"

#include <weir/supervisor.hpp>
#include <weir/weir.hpp>

#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr std::size_t kWorkers = 100;
constexpr std::size_t kSenders = 4;

struct crash {};
struct work {
  int n;
};
struct pong {};
struct ping {
  weir::handle<weir::interface<pong>> reply_to;
};

// What the workers of one measurement have done, across restarts (each
// restart makes a new behaviour, which gets the same pointer again).
struct tally {
  std::atomic<std::uint64_t> starts{0};
  std::atomic<std::uint64_t> work{0};
  // Storm only: `done` is set once both reach these.
  std::uint64_t want_starts = 0;
  std::uint64_t want_work = 0;
  std::atomic<bool> fired{false};
  std::promise<void> done;

  void check() {
    if (want_starts == 0) return;
    if (starts.load() >= want_starts && work.load() >= want_work && !fired.exchange(true)) done.set_value();
  }
  [[nodiscard]] std::uint64_t progress() const { return starts.load() + work.load(); }
};

// Waits for `f`, failing if `t` shows no progress for 10 s (a lost message
// would otherwise hang the run until the runner's timeout).
template <class Future>
bool wait_with_progress(Future& f, const tally& t, const char* what) {
  std::uint64_t last = t.progress();
  int idle_seconds = 0;
  while (f.wait_for(std::chrono::seconds(1)) != std::future_status::ready) {
    const std::uint64_t now = t.progress();
    idle_seconds = now == last ? idle_seconds + 1 : 0;
    last = now;
    if (idle_seconds >= 10) {
      std::fprintf(stderr, "bench_restart %s: stuck (starts %llu, work %llu)\n", what,
                   static_cast<unsigned long long>(t.starts.load()), static_cast<unsigned long long>(t.work.load()));
      return false;
    }
  }
  return true;
}

// A crash is an exception escaping a handler.
class worker : public weir::actor<crash, ping, work> {
 public:
  explicit worker(tally* t) : tally_(t) {}
  void on_start() override {
    tally_->starts.fetch_add(1);
    tally_->check();
  }
  void on_message(crash&) override { throw std::runtime_error("boom"); }
  void on_message(ping& p) override { (void)p.reply_to.send(pong{}); }
  void on_message(work&) override {
    tally_->work.fetch_add(1);
    tally_->check();
  }

 private:
  tally* tally_;
};

// --- restart-latency -------------------------------------------------------

struct go_latency {
  weir::handle<worker> target;
};

class latency_driver : public weir::actor<pong, go_latency> {
 public:
  latency_driver(std::size_t rounds, std::promise<std::vector<double>>* done) : rounds_(rounds), done_(done) {
    samples_.reserve(rounds);
  }
  void on_message(go_latency& g) override {
    target_ = std::move(g.target);
    round();
  }
  void on_message(pong&) override {
    samples_.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - sent_).count());
    if (samples_.size() < rounds_) {
      round();
      return;
    }
    done_->set_value(std::move(samples_));
  }

 private:
  using clock_type = std::chrono::steady_clock;
  void round() {
    sent_ = clock_type::now();
    (void)target_.send(crash{});
    (void)target_.send(ping{weir::handle<weir::interface<pong>>(self())});
  }

  std::size_t rounds_;
  std::promise<std::vector<double>>* done_;
  std::vector<double> samples_;
  weir::handle<worker> target_;
  clock_type::time_point sent_{};
};

// --- restart-storm -----------------------------------------------------------

struct next_round {};

class storm_sender : public weir::actor<next_round> {
 public:
  storm_sender(std::vector<weir::handle<worker>> targets, std::size_t rounds)
      : targets_(std::move(targets)), rounds_(rounds) {}
  void on_message(next_round&) override {
    for (const auto& t : targets_) {
      (void)t.send(crash{});
      (void)t.send(work{static_cast<int>(done_)});
    }
    if (++done_ < rounds_) (void)self().send(next_round{});
  }

 private:
  std::vector<weir::handle<worker>> targets_;
  std::size_t rounds_;
  std::size_t done_ = 0;
};

weir::supervisor_flags flags_for(std::size_t restarts) {
  weir::supervisor_flags f;
  f.strategy = weir::restart_strategy::one_for_one;
  f.intensity = static_cast<int>(restarts + 10);
  f.period = std::chrono::hours(1);
  return f;  // no back-off: restart at once, as OTP
}

// prefix + i. Appending, not `"literal" + std::string`: g++ 12 at -O3 warns
// about that (-Wrestrict, GCC bug 105651), and warnings are errors here.
std::string numbered(std::string prefix, std::size_t i) {
  prefix += std::to_string(i);
  return prefix;
}

// A supervisor starts its children in its on_start, asynchronously.
weir::handle<worker> find_worker(weir::system& sys, const std::string& path) {
  for (;;) {
    if (auto h = sys.find<worker>(path)) return *h;
    std::this_thread::sleep_for(100us);
  }
}

std::shared_ptr<spdlog::logger> quiet_logger() {
  auto logger = std::make_shared<spdlog::logger>("weir", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_level(spdlog::level::critical);
  return logger;
}

bool run_latency(weir::system& sys, std::size_t rounds) {
  tally t;
  auto sup = sys.spawn<weir::supervisor>("latency", flags_for(rounds),
                                         std::vector{weir::worker<worker>("w", &t)});
  weir::handle<worker> w = find_worker(sys, "/latency/w");
  std::promise<std::vector<double>> done;
  auto driver = sys.spawn<latency_driver>("latency-driver", rounds, &done);
  auto result = done.get_future();
  (void)driver.send(go_latency{w});
  if (!wait_with_progress(result, t, "latency")) return false;
  std::vector<double> samples = result.get();

  // Counters are read once the tree has stopped: a handler's `handled` count
  // is bumped after it returns, i.e. possibly after the pong is in.
  driver.stop();
  sup.stop();
  (void)sys.wait_for(driver);
  const weir::exit_reason why = sys.wait_for(sup);
  bool ok = true;
  if (why.kind != weir::exit_kind::shutdown) {
    std::fprintf(stderr, "bench_restart latency: supervisor ended with %s\n", why.to_string().c_str());
    ok = false;
  }
  ok = bench::expect_eq("bench_restart latency: pings handled", w.handled(), rounds) && ok;
  ok = bench::expect_eq("bench_restart latency: dead letters (crash messages)", w.dead_letters(), rounds) && ok;
  ok = bench::expect_eq("bench_restart latency: worker starts", t.starts.load(), rounds + 1) && ok;
  if (!ok) return false;

  auto middle = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
  std::nth_element(samples.begin(), middle, samples.end());
  bench::report("restart-latency", "weir", *middle, "us");
  return true;
}

bool run_storm(weir::system& sys, std::size_t crashes) {
  const std::size_t per_worker = std::max<std::size_t>(1, crashes / kWorkers);
  const std::size_t total = per_worker * kWorkers;
  tally t;
  t.want_starts = kWorkers + total;
  t.want_work = total;
  auto finished = t.done.get_future();

  std::vector<weir::child_spec> children;
  for (std::size_t i = 0; i < kWorkers; ++i) children.push_back(weir::worker<worker>(numbered("w", i), &t));
  auto sup = sys.spawn<weir::supervisor>("storm", flags_for(total), std::move(children));
  std::vector<weir::handle<worker>> workers;
  for (std::size_t i = 0; i < kWorkers; ++i) workers.push_back(find_worker(sys, numbered("/storm/w", i)));
  while (t.starts.load() < kWorkers) std::this_thread::sleep_for(100us);  // all first starts done
  const std::uint64_t crashes_before = sys.crashes();

  std::vector<weir::handle<storm_sender>> senders;
  for (std::size_t s = 0; s < kSenders; ++s) {
    std::vector<weir::handle<worker>> share;
    for (std::size_t i = s; i < kWorkers; i += kSenders) share.push_back(workers[i]);
    senders.push_back(sys.spawn<storm_sender>(numbered("sender", s), std::move(share), per_worker));
  }
  const bench::stopwatch watch;
  for (const auto& s : senders) (void)s.send(next_round{});
  if (!wait_with_progress(finished, t, "storm")) return false;
  const double seconds = watch.seconds();

  // Counters are read once the tree has stopped: a handler's `handled` count
  // is bumped after it returns, i.e. possibly after `done` was set in it.
  // Nothing is queued any more, so stopping adds no dead letter.
  for (const auto& s : senders) s.stop();
  sup.stop();
  const weir::exit_reason why = sys.wait_for(sup);
  for (const auto& s : senders) (void)sys.wait_for(s);
  bool ok = true;
  if (why.kind != weir::exit_kind::shutdown) {
    std::fprintf(stderr, "bench_restart storm: supervisor ended with %s\n", why.to_string().c_str());
    ok = false;
  }
  std::uint64_t handled = 0;
  std::uint64_t dead = 0;
  for (const auto& w : workers) {
    handled += w.handled();
    dead += w.dead_letters();
  }
  ok = bench::expect_eq("bench_restart storm: work messages handled", handled, total) && ok;
  ok = bench::expect_eq("bench_restart storm: dead letters (crash messages)", dead, total) && ok;
  ok = bench::expect_eq("bench_restart storm: crashes", sys.crashes() - crashes_before, total) && ok;
  ok = bench::expect_eq("bench_restart storm: worker starts", t.starts.load(), kWorkers + total) && ok;
  ok = bench::expect_eq("bench_restart storm: work seen by workers", t.work.load(), total) && ok;
  if (!ok) return false;
  bench::report("restart-storm", "weir", static_cast<double>(total) / seconds, "restarts/s");
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t rounds = bench::arg_or(argc, argv, 1, 10'000);
  const std::size_t crashes = bench::arg_or(argc, argv, 2, 10 * rounds);
  if (crashes > 1'000'000'000 || rounds > 1'000'000'000) {
    std::fprintf(stderr, "bench_restart: at most 1e9 rounds and crashes\n");
    return 2;
  }
  weir::system_config config;
  config.logger = quiet_logger();
  weir::system sys(config);
  if (!run_latency(sys, rounds)) return 1;
  if (!run_storm(sys, crashes)) return 1;
  return 0;
}
