#include <weir/config.hpp>

#include <weir/detail/duration_text.hpp>

#include <stdexcept>
#include <string>

namespace weir {

void validate(const system_config& config) {
  if (config.execution == execution_mode::thread_pool && config.threads == 0) {
    throw std::invalid_argument("weir::system_config::threads must be >= 1 (got 0)");
  }
  if (config.batch == 0) {
    throw std::invalid_argument("weir::system_config::batch must be >= 1 (got 0)");
  }
  validate(config.adhoc, "weir::system_config::adhoc");
  validate(config.insight);
  validate(config.log_repeats);
}

void validate(const log_repeats_config& config) {
  if (config.window <= clock::duration::zero()) {
    throw std::invalid_argument("weir::log_repeats_config::window must be > 0 (got " +
                                detail::milliseconds_text(config.window) + ")");
  }
  if (config.max_keys == 0) {
    throw std::invalid_argument("weir::log_repeats_config::max_keys must be >= 1 (got 0)");
  }
}

void validate(const insight_config& config) {
  const auto positive = [](clock::duration d, const char* field) {
    if (d <= clock::duration::zero()) {
      throw std::invalid_argument(std::string{"weir::insight_config::"} + field + " must be > 0 (got " +
                                  detail::milliseconds_text(d) + ")");
    }
  };
  positive(config.tick, "tick");
  positive(config.blocking_threshold, "blocking_threshold");
  positive(config.wait_threshold, "wait_threshold");
  positive(config.growth_window, "growth_window");
  positive(config.quiescence_threshold, "quiescence_threshold");
  if (config.growth_samples == 0) {
    throw std::invalid_argument("weir::insight_config::growth_samples must be >= 1 (got 0)");
  }
  if (config.growth_min_depth < 0) {
    throw std::invalid_argument("weir::insight_config::growth_min_depth must be >= 0 (got " +
                                std::to_string(config.growth_min_depth) + ")");
  }
}

}  // namespace weir
