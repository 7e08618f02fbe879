#include <weir/config.hpp>  // first: the header must be self-contained
#include <weir/system.hpp>
#include <weir/testing/manual_executor.hpp>

#include <doctest/doctest.h>

TEST_CASE("zero threads is rejected, naming the field") {
  weir::system_config config;
  config.threads = 0;
  CHECK_THROWS_WITH_AS(weir::system{config}, doctest::Contains("system_config::threads"), std::invalid_argument);
}

TEST_CASE("zero batch is rejected, naming the field") {
  weir::system_config config;
  config.batch = 0;
  CHECK_THROWS_WITH_AS(weir::system{config}, doctest::Contains("system_config::batch"), std::invalid_argument);
}

TEST_CASE("a manual executor needs a manual system") {
  weir::system_config config;
  config.threads = 1;
  weir::system sys(config);
  CHECK_THROWS_AS(weir::testing::manual_executor{sys}, std::invalid_argument);
}

TEST_CASE("the thread pool has the configured size and a default of hardware concurrency") {
  weir::system_config config;
  config.threads = 3;
  weir::system sys(config);
  CHECK(sys.thread_count() == 3);
  CHECK(weir::system_config{}.threads == weir::system_config::default_threads());
  CHECK(weir::system_config::default_threads() >= 1);
}

TEST_CASE("enums name themselves for logs") {
  CHECK(weir::to_string(weir::execution_mode::manual) == "manual");
  CHECK(weir::to_string(weir::send_result::closed) == "closed");
  CHECK(weir::to_string(weir::exit_kind::crashed) == "crashed");
}
