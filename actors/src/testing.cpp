#include <weir/testing/manual_clock.hpp>
#include <weir/testing/manual_executor.hpp>
#include <weir/testing/manual_system.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace weir::testing {

// ---------------------------------------------------------------------------
// manual_clock

class manual_clock::entry final : public armed_timer {
 public:
  entry(manual_clock& owner, duration period, std::function<void()> fire)
      : owner_(owner), period_(period), fire_(std::move(fire)) {}

  void cancel() noexcept override { owner_.cancel(key_); }

  manual_clock& owner_;
  const duration period_;
  const std::function<void()> fire_;
  key key_{};  // guarded by owner_.mutex_
};

clock::time_point manual_clock::now() const noexcept {
  std::lock_guard lock(mutex_);
  return now_;
}

std::shared_ptr<armed_timer> manual_clock::arm(time_point deadline, duration period,
                                               std::function<void()> fire) {
  auto timer = std::make_shared<entry>(*this, period, std::move(fire));
  std::lock_guard lock(mutex_);
  timer->key_ = key{deadline, sequence_++};
  due_.emplace(timer->key_, timer);
  return timer;
}

void manual_clock::cancel(const key& k) {
  std::lock_guard lock(mutex_);
  due_.erase(k);
}

std::size_t manual_clock::advance(duration by) {
  if (by < duration::zero()) throw std::invalid_argument("weir::testing::manual_clock::advance: negative duration");
  std::size_t fired = 0;
  std::unique_lock lock(mutex_);
  const time_point target = now_ + by;
  while (!due_.empty() && due_.begin()->first.first <= target) {
    auto node = due_.extract(due_.begin());
    std::shared_ptr<entry> timer = std::move(node.mapped());
    now_ = node.key().first;
    if (timer->period_ > duration::zero()) {
      timer->key_ = key{now_ + timer->period_, sequence_++};
      due_.emplace(timer->key_, timer);
    }
    lock.unlock();  // fire() may arm or cancel timers
    timer->fire_();
    ++fired;
    lock.lock();
  }
  now_ = target;
  return fired;
}

bool manual_clock::advance_to_next() {
  duration step{};
  {
    std::lock_guard lock(mutex_);
    if (due_.empty()) return false;
    step = due_.begin()->first.first - now_;
  }
  advance(std::max(step, duration::zero()));
  return true;
}

std::size_t manual_clock::pending() const {
  std::lock_guard lock(mutex_);
  return due_.size();
}

void manual_clock::sleep_for(duration d) {
  if (d < duration::zero()) throw std::invalid_argument("weir::testing::manual_clock::sleep_for: negative duration");
  duration extra{};
  {
    std::lock_guard lock(mutex_);
    sleeps_.push_back(d);
    extra = oversleep_;
  }
  advance(d + extra);
}

void manual_clock::oversleep_by(duration extra) {
  if (extra < duration::zero()) throw std::invalid_argument("weir::testing::manual_clock::oversleep_by: negative duration");
  std::lock_guard lock(mutex_);
  oversleep_ = extra;
}

std::vector<clock::duration> manual_clock::sleeps() const {
  std::lock_guard lock(mutex_);
  return sleeps_;
}

// ---------------------------------------------------------------------------
// manual_executor

manual_executor::manual_executor(weir::system& sys) : system_(sys) {
  if (sys.config().execution != execution_mode::manual) {
    throw std::invalid_argument("weir::testing::manual_executor needs a system with execution_mode::manual");
  }
}

bool manual_executor::run_one() { return detail::run_manual_step(system_.runtime()); }

std::size_t manual_executor::run_until_idle(std::size_t limit) {
  std::size_t ran = 0;
  while (run_one()) {
    if (++ran >= limit) {
      throw std::runtime_error("weir::testing::manual_executor: still busy after " + std::to_string(limit) +
                               " steps (livelock?)");
    }
  }
  return ran;
}

// ---------------------------------------------------------------------------
// hold / release

void hold(detail::cell& actor) { actor.hold_later(); }
void release(detail::cell& actor) { actor.release_hold_later(); }
void stall(detail::cell& actor) { actor.stall(); }
void unstall(detail::cell& actor) { actor.unstall(); }

// ---------------------------------------------------------------------------
// manual_system

system_config manual_system::manual(system_config config, const std::shared_ptr<manual_clock>& clock) {
  config.execution = execution_mode::manual;
  config.clock = clock;
  return config;
}

manual_system::manual_system(system_config config)
    : clock(std::make_shared<manual_clock>()), system(manual(std::move(config), clock)), executor(system) {}

std::size_t manual_system::advance(clock::duration by) {
  clock->advance(by);
  return executor.run_until_idle();
}

}  // namespace weir::testing
