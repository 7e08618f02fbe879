#pragma once
// log_capture.hpp — a logger whose output a test can read.

#include <weir/config.hpp>

#include <spdlog/logger.h>

#include <memory>
#include <sstream>
#include <string>

namespace weir::test {

/// A spdlog logger writing into a string, at level debug, for asserting what
/// the runtime reported. Pass `logger` in system_config::logger.
class log_capture {
 public:
  log_capture();
  std::shared_ptr<spdlog::logger> logger;
  /// A default system_config whose logger is this capture's.
  [[nodiscard]] system_config config() const {
    system_config out;
    out.logger = logger;
    return out;
  }
  /// Everything logged so far.
  [[nodiscard]] std::string text() const;
  [[nodiscard]] bool contains(const std::string& needle) const { return text().find(needle) != std::string::npos; }

 private:
  std::shared_ptr<std::ostringstream> out_;
};

}  // namespace weir::test
