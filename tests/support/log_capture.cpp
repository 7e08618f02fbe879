#include "log_capture.hpp"

#include <spdlog/sinks/ostream_sink.h>

namespace weir::test {

log_capture::log_capture() : out_(std::make_shared<std::ostringstream>()) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*out_);
  logger = std::make_shared<spdlog::logger>("weir-test", sink);
  logger->set_level(spdlog::level::debug);
  logger->set_pattern("%l %v");
}

std::string log_capture::text() const {
  logger->flush();
  return out_->str();
}

}  // namespace weir::test
