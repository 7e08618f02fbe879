#pragma once
// logging.hpp — the logger handed to weir (system_config::logger): compact
// lines on stderr, so the library's crash (error) and restart (info) lines
// read well between the demo's own output on stdout.

#include <memory>

namespace spdlog {
class logger;
}

namespace supervision_tree {

/// "  [weir error] weir: actor /root/ingest/parser crashed handling ...".
/// `quiet`: warnings and errors only (crashes, give-ups; no restart lines).
std::shared_ptr<spdlog::logger> make_logger(bool quiet);

}  // namespace supervision_tree
