#pragma once
// logger.hpp — the logger samples hand to weir (system_config::logger):
// compact lines on stderr, so the library's crash (error) and restart (info)
// lines read well between a sample's own output on stdout.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace samples {

/// A stderr logger with `pattern` (spdlog syntax), at info, or at warn when
/// `quiet` (crashes and give-ups only). Not registered with spdlog's
/// registry: the system holds it, nobody else.
inline std::shared_ptr<spdlog::logger> stderr_logger(const std::string& pattern, bool quiet) {
  auto logger = std::make_shared<spdlog::logger>("weir", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_pattern(pattern);
  logger->set_level(quiet ? spdlog::level::warn : spdlog::level::info);
  logger->flush_on(spdlog::level::info);  // keep its lines in order with stdout's
  return logger;
}

}  // namespace samples
