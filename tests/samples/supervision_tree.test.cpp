// The main demo, checked: the sample's tree and script
// (samples/supervision_tree/supervision_tree_actors.hpp) played on the manual
// system and virtual time. After every step the tree, as its supervisors
// report it (which_children), has exactly the restart counts OTP's rules
// give: one_for_one restarts the one, rest_for_one the later siblings,
// one_for_all everyone, a transient normal exit stays down, and a crash loop
// past storage's intensity makes it give up for the root to restart afresh
// (or, with the root's intensity at 0, makes the root give up too).
#include "supervision_tree/supervision_tree_actors.hpp"

#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <future>
#include <string>
#include <vector>

using namespace supervision_tree;

namespace {

/// The demo on a manual system: virtual time moves only when the test says.
struct demo {
  weir::test::log_capture capture;
  weir::testing::manual_system t{capture.config()};
  weir::handle<weir::supervisor> root;
  weir::clock::time_point start;

  explicit demo(int root_intensity = 3)
      : root(t.system.spawn<weir::supervisor>("root", root_flags(root_intensity), subsystems())),
        start(t.system.clock().now()) {
    t.run_until_idle();
  }

  // Millisecond steps, finer than every tick, keep timers in order (as the sample does).
  void run_until(weir::clock::duration since_start) {
    t.run_until_idle();
    while (t.system.clock().now() < start + since_start) t.advance(1ms);
  }

  std::vector<row> rows() {
    const auto get = [this](auto& future) {
      while (future.wait_for(0s) != std::future_status::ready) t.advance(1ms);
      return future.get();
    };
    return rows_of(t.system, root, 0, get);
  }

  /// Everything that is not running at restarts 0, one "path restarts" (or "path down") each.
  std::string changes() {
    std::string out;
    for (const row& r : rows()) {
      if (!r.running) out += r.path.substr(1) + " down; ";
      else if (r.restarts != 0) out += r.path.substr(1) + " " + std::to_string(r.restarts) + "; ";
    }
    return out;
  }
};

}  // namespace

TEST_CASE("supervision_tree: each step restarts exactly what OTP's rules say, and storage's give-up is the root's") {
  demo d;
  CHECK(d.changes() == "");
  const std::vector<std::string> after_step = {
      // one_for_one: the parser alone
      "root/ingest/parser 1; ",
      // rest_for_one: the cache and the writer after it; the db runs on
      "root/ingest/parser 1; root/storage/cache 1; root/storage/writer 1; ",
      // one_for_all: the whole of api
      "root/ingest/parser 1; root/storage/cache 1; root/storage/writer 1; "
      "root/api/auth 1; root/api/sessions 1; root/api/gateway 1; ",
      // a transient worker that exits normally stays down
      "root/ingest/parser 1; root/ingest/backfill down; root/storage/cache 1; root/storage/writer 1; "
      "root/api/auth 1; root/api/sessions 1; root/api/gateway 1; ",
      "root/ingest/parser 2; root/ingest/backfill down; root/storage/cache 1; root/storage/writer 1; "
      "root/api/auth 1; root/api/sessions 1; root/api/gateway 1; ",
      // rest_for_one from the first child: all of storage
      "root/ingest/parser 2; root/ingest/backfill down; root/storage/db 1; root/storage/cache 2; "
      "root/storage/writer 2; root/api/auth 1; root/api/sessions 1; root/api/gateway 1; ",
      // storage's 3rd restart in 5 s is allowed, the 4th is not: it gives up, and the
      // root starts a fresh storage, its workers' counts back at 0
      "root/ingest/parser 2; root/ingest/backfill down; root/storage 1; "
      "root/api/auth 1; root/api/sessions 1; root/api/gateway 1; ",
  };
  const auto steps = script();
  REQUIRE(steps.size() == after_step.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    CAPTURE(i + 1);
    d.run_until(steps[i].at);
    REQUIRE(play(d.t.system, steps[i], i + 1));
    d.t.run_until_idle();
    CHECK(d.changes() == after_step[i]);
  }
  // The last poison message dies with the old db: 2 of step 7's 3 crash, 7 in all.
  CHECK(d.t.system.crashes() == 7);

  d.run_until(2400ms);  // the tree keeps working: every running worker has handled items since its start
  CHECK(d.changes() == after_step.back());
  for (const row& r : d.rows()) {
    CAPTURE(r.path);
    if (r.depth == 2 && r.running) CHECK(r.items > 0);
  }

  d.root.stop();
  d.t.run_until_idle();
  CHECK(d.t.system.wait_for(d.root).kind == weir::exit_kind::shutdown);
  d.t.system.shutdown();
  CHECK(d.t.system.live_actors() == 0);
}

TEST_CASE("supervision_tree: with --root-intensity 0 the root gives up at storage's escalation, and says why") {
  demo d(0);
  const auto steps = script();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    d.run_until(steps[i].at);
    REQUIRE(play(d.t.system, steps[i], i + 1));
    d.t.run_until_idle();
    CHECK(d.root.stopped() == (i + 1 == steps.size()));
  }
  const weir::exit_reason why = d.t.system.wait_for(d.root);
  CHECK(why.kind == weir::exit_kind::crashed);
  CHECK(why.to_string().find("storage") != std::string::npos);
  d.t.system.shutdown();
  CHECK(d.t.system.live_actors() == 0);
}
