#include "driver.hpp"

namespace ide_main_loop {

namespace {

// Finer than any timer of the scenario, so virtual time keeps their order.
constexpr weir::clock::duration virtual_step = std::chrono::microseconds(10);
// No scenario phase takes a virtual minute: past it, something never ends.
constexpr weir::clock::duration virtual_limit = std::chrono::minutes(1);

}  // namespace

driver::driver(bool manual, std::size_t threads) {
  if (manual) {
    manual_ = std::make_unique<weir::testing::manual_system>();
    return;
  }
  weir::system_config config;
  if (threads > 0) config.threads = threads;
  pool_ = std::make_unique<weir::system>(std::move(config));
}

void driver::run_manually_until(const std::function<bool()>& ready, const std::string& what) {
  weir::testing::manual_system& m = *manual_;
  const auto deadline = m.clock->now() + virtual_limit;
  for (;;) {
    m.run_until_idle();
    if (ready()) return;
    if (m.clock->pending() == 0) throw std::runtime_error(what + ": stalled: nothing can run and no timer is set");
    if (m.clock->now() >= deadline) throw std::runtime_error(what + ": not done after a virtual minute");
    m.clock->advance(virtual_step);
  }
}

}  // namespace ide_main_loop
