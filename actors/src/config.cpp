#include <weir/config.hpp>

#include <stdexcept>

namespace weir {

void validate(const system_config& config) {
  if (config.execution == execution_mode::thread_pool && config.threads == 0) {
    throw std::invalid_argument("weir::system_config::threads must be >= 1 (got 0)");
  }
  if (config.batch == 0) {
    throw std::invalid_argument("weir::system_config::batch must be >= 1 (got 0)");
  }
  validate(config.adhoc, "weir::system_config::adhoc");
}

}  // namespace weir
