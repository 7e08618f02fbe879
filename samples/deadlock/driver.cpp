#include "driver.hpp"

#include <utility>

namespace deadlock_sample {

driver::driver(bool manual, std::size_t threads, weir::system_config config) {
  if (manual) {
    manual_ = std::make_unique<weir::testing::manual_system>(std::move(config));
    return;
  }
  if (threads > 0) config.threads = threads;
  pool_ = std::make_unique<weir::system>(std::move(config));
}

bool driver::step() {
  ++steps_;  // before the turn: a report made inside it sees this step's number
  if (manual_->run_one()) return true;
  --steps_;
  return false;
}

void driver::run_until_idle() {
  while (step()) {
  }
}

}  // namespace deadlock_sample
