#pragma once
// driver.hpp — the actor system on a thread pool, or turn by turn (--manual).

#include <weir/config.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include <cstddef>
#include <memory>

namespace deadlock_sample {

/// Thread-pool mode: the system's threads run everything; the driver only
/// looks. Manual mode (weir::testing::manual_system): nothing runs unless
/// the driver runs it, one turn per step(), and it counts the steps, so a
/// report can say which step (turn) it was made in.
///
/// Thread safety: use from the thread that made it.
class driver {
 public:
  driver(bool manual, std::size_t threads, weir::system_config config);

  [[nodiscard]] weir::system& system() noexcept { return manual_ ? manual_->system : *pool_; }
  [[nodiscard]] bool manual() const noexcept { return manual_ != nullptr; }

  /// Manual mode: runs one turn; false if there was nothing to run.
  bool step();
  /// Manual mode: runs every turn that can run.
  void run_until_idle();
  /// Steps run so far (manual mode). The address stays valid: the listener reads it.
  [[nodiscard]] const std::size_t* steps() const noexcept { return &steps_; }

 private:
  std::unique_ptr<weir::testing::manual_system> manual_;
  std::unique_ptr<weir::system> pool_;
  std::size_t steps_ = 0;
};

}  // namespace deadlock_sample
