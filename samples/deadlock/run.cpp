#include "run.hpp"

#include <chrono>
#include <thread>

namespace deadlock_sample {

namespace {

using steady = std::chrono::steady_clock;

double ms_since(steady::time_point start) {
  return std::chrono::duration<double, std::milli>(steady::now() - start).count();
}

}  // namespace

outcome run_manual(driver& d, const weir::handle<coordinator>& c, const weir::handle<worker>& w, const ledger& book) {
  outcome out;
  while (!book.complete() && d.step()) {
    if (!out.both_suspended_after_step && c.suspended() && w.suspended() && book.both_edges_full()) out.both_suspended_after_step = *d.steps();
  }
  d.run_until_idle();  // what is left once every result is in: the last credit going back
  out.steps = *d.steps();
  out.completed = book.complete();
  out.stuck = !out.completed && d.system().deadlocks() > 0 && d.system().waits() > 0;
  return out;
}

outcome run_threads(driver& d, const ledger& book) {
  outcome out;
  const steady::time_point start = steady::now();
  std::size_t progress = book.progress();
  steady::time_point changed = start;
  while (!book.complete()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (const std::size_t now = book.progress(); now != progress) {
      progress = now;
      changed = steady::now();
    }
    if (d.system().deadlocks() > 0 && d.system().waits() > 0 && ms_since(changed) > stuck_after_ms) {
      out.stuck = true;
      break;
    }
    if (ms_since(start) > 30'000) {
      out.timed_out = true;
      break;
    }
  }
  out.completed = book.complete();
  // The last credit goes back after the last result is consumed: let it.
  const steady::time_point settling = steady::now();
  while (out.completed && d.system().waits() > 0 && ms_since(settling) < 1000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  out.ms = ms_since(start);
  return out;
}

}  // namespace deadlock_sample
