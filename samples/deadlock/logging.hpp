#pragma once
// logging.hpp — the logger handed to weir (system_config::logger): compact
// lines on stderr, between the sample's own output on stdout.

#include <memory>

namespace spdlog {
class logger;
}

namespace deadlock_sample {

/// weir logs every cycle at error level ("weir: deadlock: ..."), a fail_one
/// crash at error and the supervisor's restart at info. `quiet`: warn and up.
std::shared_ptr<spdlog::logger> make_logger(bool quiet);

}  // namespace deadlock_sample
