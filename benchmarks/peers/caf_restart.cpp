// CAF peer of bench_restart: how fast a crashed actor is restarted. Prints
//   "restart-latency caf: X us"       median over `rounds` crash+ping rounds
//   "restart-storm caf: X restarts/s" 100 workers crashing under one supervisor
//
// CAF 0.17 has no supervisors, so this is what a CAF user writes instead: a
// "supervisor" actor that spawns its workers with spawn<linked>, traps their
// exits (set_exit_handler) and spawns a new worker when one exits. A new
// worker is a new actor with a new handle, and whatever was sent to the dead
// one is lost, so clients do not talk to workers directly: they send
// (slot, message) to the supervisor, which forwards to the slot's current
// worker. For no message to be lost, the supervisor must know which message
// kills a worker: after forwarding a `crash` it holds that slot's later
// messages until the worker's exit arrives, respawns it and forwards them to
// the new worker in order. (A worker crashing on an arbitrary message would
// take everything queued behind it down with it; weir keeps those, as the
// mailbox belongs to the cell, not to the behaviour.)
//
// A crash, as in weir, is an exception escaping a handler. CAF 0.17 is built
// with exceptions (CAF_NO_EXCEPTIONS undefined): its default exception
// handler prints "*** unhandled exception: ..." to stdout through aout and
// makes the actor quit with sec::runtime_error. Each worker installs a
// handler that does the same without printing (set_exception_handler
// returning sec::runtime_error), the counterpart of weir's quiet logger:
// 100,000 lines on stdout would dominate the measurement.
//
// restart-latency: one worker. A driver actor sends the supervisor `crash`
// and right after it `ping`; the supervisor forwards the crash, holds the
// ping, sees the exit, respawns and forwards the ping; the new worker answers
// the driver with a pong. Latency = sending the crash to receiving the pong.
//
// restart-storm: kWorkers workers under one supervisor; kSenders sender
// actors, each owning a share of the slots, send every slot `crash, work`
// pairs, one pair per slot per turn, until `crashes` crashes are sent in all.
// Rate = restarts / time from the first send until every restart happened and
// every work message was handled; the accounting (every work message handled
// once, one crash and one restart per crash message) must then be exact.
//
// Usage: caf_restart [rounds] [crashes]   (defaults 10,000 and 10 x rounds)

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <future>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <caf/all.hpp>

#include "bench.hpp"
#include "caf_config.hpp"

namespace {

constexpr std::size_t kWorkers = 100;
constexpr std::size_t kSenders = 4;

using crash_atom = caf::atom_constant<caf::atom("crash")>;
using ping_atom = caf::atom_constant<caf::atom("ping")>;
using pong_atom = caf::atom_constant<caf::atom("pong")>;
using work_atom = caf::atom_constant<caf::atom("work")>;
using next_atom = caf::atom_constant<caf::atom("next")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;

// What the workers of one measurement have done, across respawns.
struct tally {
  std::atomic<std::uint64_t> starts{0};
  std::atomic<std::uint64_t> crashes{0};
  std::atomic<std::uint64_t> pings{0};
  std::atomic<std::uint64_t> work{0};
  // Storm only: `done` is set once both reach these.
  std::uint64_t want_starts = 0;
  std::uint64_t want_work = 0;
  std::atomic<bool> fired{false};
  std::promise<void> done;

  void check() {
    if (want_starts == 0)
      return;
    if (starts.load() >= want_starts && work.load() >= want_work && !fired.exchange(true))
      done.set_value();
  }
  [[nodiscard]] std::uint64_t progress() const { return starts.load() + work.load() + pings.load(); }
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
      std::fprintf(stderr,
                   "caf_restart %s: stuck (starts %llu, crashes %llu, work %llu, pings %llu)\n",
                   what, static_cast<unsigned long long>(t.starts.load()),
                   static_cast<unsigned long long>(t.crashes.load()),
                   static_cast<unsigned long long>(t.work.load()),
                   static_cast<unsigned long long>(t.pings.load()));
      return false;
    }
  }
  return true;
}

caf::error silent_crash(caf::scheduled_actor*, std::exception_ptr&) {
  return caf::make_error(caf::sec::runtime_error);
}

caf::behavior worker(caf::event_based_actor* self, tally* t) {
  t->starts.fetch_add(1);
  t->check();
  self->set_exception_handler(silent_crash);
  return {
    [t](crash_atom) -> void {
      t->crashes.fetch_add(1);
      throw std::runtime_error("boom");
    },
    [self, t](ping_atom, const caf::actor& reply_to) {
      t->pings.fetch_add(1);
      self->send(reply_to, pong_atom::value);
    },
    [t](work_atom, int) {
      t->work.fetch_add(1);
      t->check();
    },
  };
}

// A message for a slot, held while its worker is being replaced.
struct held_message {
  enum class kind : std::uint8_t { crash, ping, work } what;
  caf::actor reply_to;  // ping
  int n = 0;            // work
};

struct slot {
  caf::actor worker;
  bool crashing = false;  // a crash was forwarded and its exit is not in yet
  std::deque<held_message> held;
};

struct supervisor_state {
  std::vector<slot> slots;
  std::unordered_map<caf::actor_id, std::size_t> slot_of;
  std::uint64_t respawns = 0;
  std::uint64_t forwarded = 0;
};

using supervisor_actor = caf::stateful_actor<supervisor_state>;

void spawn_worker(supervisor_actor* self, std::size_t index, tally* t) {
  slot& s = self->state.slots[index];
  s.worker = self->spawn<caf::linked>(worker, t);
  s.crashing = false;
  self->state.slot_of[s.worker.id()] = index;
}

// Sends `m` to the slot's worker, or holds it while the worker is replaced.
void forward(supervisor_actor* self, std::size_t index, held_message m) {
  slot& s = self->state.slots[index];
  if (s.crashing) {
    s.held.push_back(std::move(m));
    return;
  }
  ++self->state.forwarded;
  switch (m.what) {
    case held_message::kind::crash:
      s.crashing = true;
      self->send(s.worker, crash_atom::value);
      break;
    case held_message::kind::ping:
      self->send(s.worker, ping_atom::value, std::move(m.reply_to));
      break;
    case held_message::kind::work:
      self->send(s.worker, work_atom::value, m.n);
      break;
  }
}

caf::behavior supervisor(supervisor_actor* self, std::size_t workers, tally* t) {
  self->state.slots.resize(workers);
  for (std::size_t i = 0; i < workers; ++i)
    spawn_worker(self, i, t);
  self->set_exit_handler([self, t](caf::exit_msg& em) {
    auto& st = self->state;
    const auto found = em.source ? st.slot_of.find(em.source.id()) : st.slot_of.end();
    if (found == st.slot_of.end()) {  // not from a worker: stop, and the linked workers with us
      self->quit(em.reason);
      return;
    }
    const std::size_t index = found->second;
    st.slot_of.erase(found);
    ++st.respawns;
    spawn_worker(self, index, t);
    slot& s = st.slots[index];
    while (!s.held.empty() && !s.crashing) {
      held_message m = std::move(s.held.front());
      s.held.pop_front();
      forward(self, index, std::move(m));
    }
  });
  return {
    [self](crash_atom, std::uint32_t index) {
      forward(self, index, {held_message::kind::crash, {}, 0});
    },
    [self](ping_atom, std::uint32_t index, caf::actor& reply_to) {
      forward(self, index, {held_message::kind::ping, std::move(reply_to), 0});
    },
    [self](work_atom, std::uint32_t index, int n) {
      forward(self, index, {held_message::kind::work, {}, n});
    },
    // Replies (respawns, forwarded messages, messages still held), then stops
    // with its linked workers.
    [self](stop_atom) {
      std::uint64_t held = 0;
      for (const auto& s : self->state.slots)
        held += s.held.size();
      const std::uint64_t respawns = self->state.respawns;
      const std::uint64_t forwarded = self->state.forwarded;
      self->quit(caf::exit_reason::user_shutdown);
      return caf::make_message(respawns, forwarded, held);
    },
  };
}

struct counts {
  std::uint64_t respawns = 0;
  std::uint64_t forwarded = 0;
  std::uint64_t held = 0;
};

// Stops the supervisor (and its workers) and returns its counts.
counts stop_supervisor(caf::actor_system& sys, const caf::actor& sup) {
  counts c;
  caf::scoped_actor self{sys};
  self->request(sup, caf::infinite, stop_atom::value)
    .receive([&](std::uint64_t respawns, std::uint64_t forwarded,
                 std::uint64_t held) { c = {respawns, forwarded, held}; },
             [&](const caf::error& err) {
               std::fprintf(stderr, "caf_restart: stopping the supervisor failed: %s\n",
                            sys.render(err).c_str());
             });
  return c;
}

// --- restart-latency -------------------------------------------------------

struct driver_state {
  std::vector<double> samples;
  std::chrono::steady_clock::time_point sent;
};

void latency_round(caf::stateful_actor<driver_state>* self, const caf::actor& sup) {
  self->state.sent = std::chrono::steady_clock::now();
  self->send(sup, crash_atom::value, std::uint32_t{0});
  self->send(sup, ping_atom::value, std::uint32_t{0}, caf::actor_cast<caf::actor>(self));
}

caf::behavior latency_driver(caf::stateful_actor<driver_state>* self, caf::actor sup,
                             std::size_t rounds, std::promise<std::vector<double>>* done) {
  self->state.samples.reserve(rounds);
  latency_round(self, sup);
  return {
    [self, sup, rounds, done](pong_atom) {
      auto& st = self->state;
      st.samples.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - st.sent)
          .count());
      if (st.samples.size() < rounds) {
        latency_round(self, sup);
        return;
      }
      done->set_value(std::move(st.samples));
      self->quit();
    },
  };
}

bool run_latency(caf::actor_system& sys, std::size_t rounds) {
  tally t;
  auto sup = sys.spawn(supervisor, std::size_t{1}, &t);
  std::promise<std::vector<double>> done;
  auto result = done.get_future();
  sys.spawn(latency_driver, sup, rounds, &done);
  const bool finished = wait_with_progress(result, t, "latency");
  const counts c = stop_supervisor(sys, sup);
  if (!finished)
    return false;
  std::vector<double> samples = result.get();

  bool ok = bench::expect_eq("caf_restart latency: pings handled", t.pings.load(), rounds);
  ok = bench::expect_eq("caf_restart latency: crashes", t.crashes.load(), rounds) && ok;
  ok = bench::expect_eq("caf_restart latency: respawns", c.respawns, rounds) && ok;
  ok = bench::expect_eq("caf_restart latency: worker starts", t.starts.load(), rounds + 1) && ok;
  ok = bench::expect_eq("caf_restart latency: messages forwarded", c.forwarded, 2 * rounds) && ok;
  ok = bench::expect_eq("caf_restart latency: messages still held", c.held, 0) && ok;
  if (!ok)
    return false;
  auto middle = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
  std::nth_element(samples.begin(), middle, samples.end());
  bench::report("restart-latency", "caf", *middle, "us");
  return true;
}

// --- restart-storm -----------------------------------------------------------

caf::behavior storm_sender(caf::event_based_actor* self, caf::actor sup,
                           std::vector<std::uint32_t> slots, std::size_t rounds) {
  auto done = std::make_shared<std::size_t>(0);
  return {
    [self, sup, slots, rounds, done](next_atom) {
      for (const std::uint32_t s : slots) {
        self->send(sup, crash_atom::value, s);
        self->send(sup, work_atom::value, s, static_cast<int>(*done));
      }
      if (++*done < rounds)
        self->send(self, next_atom::value);
      else
        self->quit();
    },
  };
}

bool run_storm(caf::actor_system& sys, std::size_t crashes) {
  const std::size_t per_worker = std::max<std::size_t>(1, crashes / kWorkers);
  const std::size_t total = per_worker * kWorkers;
  tally t;
  t.want_starts = kWorkers + total;
  t.want_work = total;
  auto finished_future = t.done.get_future();

  auto sup = sys.spawn(supervisor, kWorkers, &t);
  while (t.starts.load() < kWorkers) // all first starts done
    std::this_thread::sleep_for(std::chrono::microseconds(100));

  std::vector<caf::actor> senders;
  for (std::size_t s = 0; s < kSenders; ++s) {
    std::vector<std::uint32_t> share;
    for (std::size_t i = s; i < kWorkers; i += kSenders)
      share.push_back(static_cast<std::uint32_t>(i));
    senders.push_back(sys.spawn(storm_sender, sup, std::move(share), per_worker));
  }
  const bench::stopwatch watch;
  for (const auto& s : senders)
    caf::anon_send(s, next_atom::value);
  const bool finished = wait_with_progress(finished_future, t, "storm");
  const double seconds = watch.seconds();
  const counts c = stop_supervisor(sys, sup);
  if (!finished)
    return false;

  bool ok = bench::expect_eq("caf_restart storm: work messages handled", t.work.load(), total);
  ok = bench::expect_eq("caf_restart storm: crashes", t.crashes.load(), total) && ok;
  ok = bench::expect_eq("caf_restart storm: respawns", c.respawns, total) && ok;
  ok = bench::expect_eq("caf_restart storm: worker starts", t.starts.load(), kWorkers + total) && ok;
  ok = bench::expect_eq("caf_restart storm: messages forwarded", c.forwarded, 2 * total) && ok;
  ok = bench::expect_eq("caf_restart storm: messages still held", c.held, 0) && ok;
  if (!ok)
    return false;
  bench::report("restart-storm", "caf", static_cast<double>(total) / seconds, "restarts/s");
  return true;
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t rounds = bench::arg_or(argc, argv, 1, 10'000);
  const std::size_t crashes = bench::arg_or(argc, argv, 2, 10 * rounds);
  if (crashes > 1'000'000'000 || rounds > 1'000'000'000) {
    std::fprintf(stderr, "caf_restart: at most 1e9 rounds and crashes\n");
    return 2;
  }
  bench::caf_config cfg;
  caf::actor_system sys{cfg};
  if (!run_latency(sys, rounds))
    return 1;
  if (!run_storm(sys, crashes))
    return 1;
  return 0;
}
