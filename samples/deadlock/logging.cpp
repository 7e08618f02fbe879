#include "logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace deadlock_sample {

std::shared_ptr<spdlog::logger> make_logger(bool quiet) {
  // Not registered with spdlog's registry: the system holds it, nobody else.
  auto logger = std::make_shared<spdlog::logger>("weir", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_pattern("      [weir %^%l%$] %v");
  logger->set_level(quiet ? spdlog::level::warn : spdlog::level::info);
  logger->flush_on(spdlog::level::info);  // keep its lines in order with stdout's
  return logger;
}

}  // namespace deadlock_sample
