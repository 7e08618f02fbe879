#include "cycle_watch.hpp"

#include <cstdio>
#include <string>
#include <utility>

namespace deadlock_sample {

void cycle_watch::watch(weir::handle<coordinator> c, weir::handle<worker> w, const std::size_t* manual_step) {
  std::lock_guard lock(mutex_);
  coordinator_ = std::move(c);
  worker_ = std::move(w);
  step_ = manual_step;
  since_ = std::chrono::steady_clock::now();
}

void cycle_watch::unwatch() {
  std::lock_guard lock(mutex_);
  coordinator_ = {};
  worker_ = {};
  step_ = nullptr;
}

void cycle_watch::operator()(const weir::deadlock_report& report) {
  std::lock_guard lock(mutex_);
  sighting s;
  s.report = report;
  if (step_ != nullptr) s.step = *step_;
  s.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since_).count();
  s.both_suspended = coordinator_ && worker_ && coordinator_.suspended() && worker_.suspended();
  seen_.push_back(std::move(s));
  const sighting& last = seen_.back();
  if (seen_.size() > print_first_) return;
  const std::string closer = report.cycle.empty() ? std::string{"?"} : report.cycle.front().path;
  if (last.step) {
    std::printf("  deadlock #%zu reported at step %zu, inside the turn of %s (its wait closed the cycle)\n",
                seen_.size(), *last.step, closer.c_str());
  } else {
    std::printf("  deadlock #%zu reported at +%.3f ms, inside the turn of %s (its wait closed the cycle)\n",
                seen_.size(), last.ms, closer.c_str());
  }
  std::printf("    both suspended at that instant: %s; remedy: %.*s\n", last.both_suspended ? "yes" : "NO",
              static_cast<int>(to_string(report.remedy).size()), to_string(report.remedy).data());
  print_report(report);
  std::fflush(stdout);
}

std::vector<sighting> cycle_watch::sightings() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

void print_report(const weir::deadlock_report& report) {
  for (std::size_t i = 0; i < report.cycle.size(); ++i) {
    const auto& m = report.cycle[i];
    const auto& next = report.cycle[(i + 1) % report.cycle.size()];
    if (m.kind == weir::wait_kind::credit) {
      std::printf("    %-22s waits for credit from %-22s on edge %s\n", m.path.c_str(), next.path.c_str(), m.on.c_str());
      std::printf("    %-22s   carries %s: %lld unconsumed, capacity %lld\n", "", m.message_type.c_str(),
                  static_cast<long long>(m.depth), static_cast<long long>(m.capacity));
    } else {
      std::printf("    %-22s waits for a reply from %s\n", m.path.c_str(), m.on.c_str());
    }
  }
  std::printf("    to_string(): %s\n", report.to_string().c_str());
}

}  // namespace deadlock_sample
