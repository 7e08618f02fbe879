#include "lint_watch.hpp"

#include <algorithm>

namespace stuck_actor_sample {

void lint_watch::operator()(const weir::lint& raised) {
  {
    std::lock_guard lock(mutex_);
    const std::chrono::duration<double> after = std::chrono::steady_clock::now() - since_;
    seen_.push_back({raised, after.count()});
  }
  raised_.notify_all();
}

std::vector<expected_lint> lint_watch::wait_for(const std::vector<expected_lint>& wanted,
                                                std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  raised_.wait_until(lock, deadline, [&] { return missing(wanted).empty(); });
  return missing(wanted);
}

std::vector<sighting> lint_watch::seen() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

std::vector<expected_lint> lint_watch::missing(const std::vector<expected_lint>& wanted) const {
  std::vector<expected_lint> out;
  for (const expected_lint& w : wanted) {
    const bool found = std::any_of(seen_.begin(), seen_.end(), [&](const sighting& s) {
      return s.lint.kind == w.kind && s.lint.path == w.path;
    });
    if (!found) out.push_back(w);
  }
  return out;
}

}  // namespace stuck_actor_sample
