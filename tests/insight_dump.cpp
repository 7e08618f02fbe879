// Prints the insight scene's snapshot as JSON on stdout, for the schema check
// (tests/scripts/check_schema.py). Logs go nowhere: stdout must be JSON only.
// With `--metrics` it prints the scene's /metrics text instead, for
// `promtool check metrics` (tests/scripts/check_metrics.sh).
//
// With `--serve PORT` it serves the scene's page on 127.0.0.1:PORT instead,
// until SIGINT or SIGTERM: tests/screenshot_page.sh photographs it.

#include <weir/insight/http_server.hpp>
#include <weir/insight/json.hpp>
#include <weir/insight/metrics.hpp>

#include "insight_scene.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/sinks/null_sink.h>

#include <csignal>
#include <exception>
#include <iostream>
#include <string>

namespace {

int serve(weir::test::insight_scene& scene, std::uint16_t port) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  // Blocked before the server's thread starts, so only sigwait sees them.
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  weir::insight::http_server server(scene.t.system, {.port = port, .sample_period = std::chrono::milliseconds(0)});
  for (int i = 0; i < 30; ++i) server.sample_now();  // a history to draw
  std::cout << "serving http://127.0.0.1:" << server.port() << "/" << std::endl;
  int received = 0;
  sigwait(&stop_signals, &received);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto quiet = std::make_shared<spdlog::logger>("insight-dump", std::make_shared<spdlog::sinks::null_sink_mt>());
    weir::test::insight_scene scene(quiet);
    if (argc == 3 && std::string(argv[1]) == "--serve") {
      return serve(scene, static_cast<std::uint16_t>(std::stoi(argv[2])));
    }
    if (argc == 2 && std::string(argv[1]) == "--metrics") {
      std::cout << weir::insight::metrics_text(scene.t.system);
      return 0;
    }
    std::cout << boost::json::serialize(weir::insight::snapshot_json(scene.t.system)) << '\n';
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "insight_dump: " << e.what() << '\n';
    return 1;
  }
}
