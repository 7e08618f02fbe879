#pragma once
// driver.hpp — runs the demo's actor system on a thread pool in real time, or
// turn by turn on virtual time (--manual), behind the same few calls.

#include <weir/clock.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include <chrono>
#include <cstddef>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>

namespace spdlog {
class logger;
}

namespace supervision_tree {

/// Thread-pool mode: the system's threads run everything; the driver sleeps
/// until scripted times and blocks on futures, with a watchdog.
///
/// Manual mode (weir::testing::manual_system): nothing runs unless the
/// driver runs it. It moves virtual time forward in small steps, firing due
/// timers and running every turn they cause, so the same script gives the
/// same run, turn for turn: what the smoke test needs.
///
/// Thread safety: use from the thread that made it.
class driver {
 public:
  driver(bool manual, std::size_t threads, std::shared_ptr<spdlog::logger> logger);

  [[nodiscard]] weir::system& system() noexcept { return manual_ ? manual_->system : *pool_; }
  [[nodiscard]] bool manual() const noexcept { return manual_ != nullptr; }
  [[nodiscard]] weir::clock::time_point now() { return system().clock().now(); }

  /// Lets the system run until `deadline` on its clock.
  void run_until(weir::clock::time_point deadline);
  /// Lets the system run a little: one millisecond.
  void run_a_little();

  /// Runs (or lets run) the system until `f` is ready and returns its value.
  /// Throws std::runtime_error naming `what` if it is not ready in time.
  template <class T>
  T wait(std::future<T>& f, const std::string& what) {
    if (manual_) {
      manual_->run_until_idle();
      const auto deadline = now() + virtual_watchdog;
      while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        if (now() >= deadline) throw std::runtime_error(what + ": not done after a virtual minute");
        run_a_little();
      }
    } else if (f.wait_for(watchdog) != std::future_status::ready) {
      throw std::runtime_error(what + ": not done after " + std::to_string(watchdog.count()) + " s (a hang)");
    }
    return f.get();
  }

 private:
  static constexpr std::chrono::seconds watchdog{30};
  static constexpr std::chrono::minutes virtual_watchdog{1};

  std::unique_ptr<weir::testing::manual_system> manual_;
  std::unique_ptr<weir::system> pool_;
};

}  // namespace supervision_tree
