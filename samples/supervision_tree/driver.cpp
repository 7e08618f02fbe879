#include "driver.hpp"

#include <algorithm>
#include <thread>
#include <utility>

namespace supervision_tree {

namespace {

// Finer than the workers' ticks, so virtual time keeps every timer in order.
constexpr weir::clock::duration virtual_step = std::chrono::milliseconds(1);

}  // namespace

driver::driver(bool manual, std::size_t threads, std::shared_ptr<spdlog::logger> logger) {
  weir::system_config config;
  config.logger = std::move(logger);
  if (manual) {
    manual_ = std::make_unique<weir::testing::manual_system>(std::move(config));
    return;
  }
  if (threads > 0) config.threads = threads;
  pool_ = std::make_unique<weir::system>(std::move(config));
}

void driver::run_until(weir::clock::time_point deadline) {
  if (!manual_) {
    std::this_thread::sleep_until(deadline);  // the real clock is std::chrono::steady_clock
    return;
  }
  manual_->run_until_idle();
  while (now() < deadline) manual_->advance(std::min(virtual_step, deadline - now()));
}

void driver::run_a_little() {
  if (manual_) {
    manual_->advance(virtual_step);
  } else {
    std::this_thread::sleep_for(virtual_step);
  }
}

}  // namespace supervision_tree
