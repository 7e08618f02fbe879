#include <weir/detail/crash_report.hpp>  // first: the header must be self-contained

#include <weir/detail/log_limiter.hpp>
#include <weir/testing/manual_clock.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

using weir::detail::crash_report;

namespace {

struct reporting {
  weir::test::log_capture capture;
  std::shared_ptr<weir::testing::manual_clock> clock = std::make_shared<weir::testing::manual_clock>();
  weir::detail::log_limiter limiter{weir::log_repeats_config{}, clock, capture.logger};
  std::atomic<std::uint64_t> crashes{0};
  crash_report report{crashes, limiter};
};

std::exception_ptr thrown(const std::runtime_error& e) { return std::make_exception_ptr(e); }

std::size_t lines_with(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("crash_report: a crash is counted and logged naming the actor, what threw and the exception") {
  reporting r;
  const weir::exit_reason reason =
      r.report.record("crash", "/svc/db", "crashed handling query", thrown(std::runtime_error("disk full")));
  CHECK(reason.kind == weir::exit_kind::crashed);
  CHECK(reason.detail == "std::runtime_error: disk full");
  CHECK(r.crashes.load() == 1);
  CHECK(r.capture.contains("weir: actor /svc/db crashed handling query: std::runtime_error: disk full"));
}

TEST_CASE("crash_report: a crash loop is logged once and counted every time") {
  reporting r;
  for (int i = 0; i < 5; ++i) {
    (void)r.report.record("crash", "/svc/db", "crashed handling query", thrown(std::runtime_error("again")));
  }
  (void)r.report.record("on_stop", "/svc/db", "crashed in on_stop", thrown(std::runtime_error("again")));
  CHECK(r.crashes.load() == 6);
  const std::string text = r.capture.text();
  CHECK(lines_with(text, "crashed handling query") == 1);  // same site, path and type: one line
  CHECK(lines_with(text, "crashed in on_stop") == 1);      // another site: its own line
}

TEST_CASE("crash_report: what threw, for the log line") {
  CHECK(crash_report::what_threw(nullptr, false) == "crashed in on_start");
}
