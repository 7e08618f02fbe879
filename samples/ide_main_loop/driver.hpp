#pragma once
// driver.hpp — runs the scenario's actor system on a thread pool, or turn by
// turn on virtual time (--manual), behind one "wait for this" call.

#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>

namespace ide_main_loop {

/// Thread-pool mode: the system's threads run everything and wait() blocks
/// on a future, with a watchdog so that a hang ends the run with a message.
///
/// Manual mode: nothing runs unless wait() runs it. It runs every turn that
/// can run, then moves virtual time forward in small steps (firing due
/// timers) until the future is ready. No thread, no real time: the same
/// input gives the same run, turn for turn, which is what the smoke test needs.
///
/// Thread safety: use from the thread that made it.
class driver {
 public:
  driver(bool manual, std::size_t threads);

  [[nodiscard]] weir::system& system() noexcept { return manual_ ? manual_->system : *pool_; }
  [[nodiscard]] bool manual() const noexcept { return manual_ != nullptr; }

  /// Runs (or lets run) the system until `f` is ready and returns its value.
  /// Throws std::runtime_error naming `what` on a stall or a hang.
  template <class T>
  T wait(std::future<T>& f, const std::string& what) {
    if (manual_) {
      run_manually_until([&] { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }, what);
    } else if (f.wait_for(watchdog) != std::future_status::ready) {
      throw std::runtime_error(what + ": not done after " + std::to_string(watchdog.count()) + " s (a hang)");
    }
    return f.get();
  }

 private:
  static constexpr std::chrono::seconds watchdog{60};

  void run_manually_until(const std::function<bool()>& ready, const std::string& what);

  std::unique_ptr<weir::testing::manual_system> manual_;
  std::unique_ptr<weir::system> pool_;
};

}  // namespace ide_main_loop
