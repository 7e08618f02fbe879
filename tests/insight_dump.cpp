// Prints the insight scene's snapshot as JSON on stdout, for the schema check
// (tests/scripts/check_schema.py). Logs go nowhere: stdout must be JSON only.

#include <weir/insight/json.hpp>

#include "insight_scene.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/sinks/null_sink.h>

#include <exception>
#include <iostream>

int main() {
  try {
    auto quiet = std::make_shared<spdlog::logger>("insight-dump", std::make_shared<spdlog::sinks::null_sink_mt>());
    weir::test::insight_scene scene(quiet);
    std::cout << boost::json::serialize(weir::insight::snapshot_json(scene.t.system)) << '\n';
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "insight_dump: " << e.what() << '\n';
    return 1;
  }
}
