// stuck_actor — story S5, "insight into a running system": a service hangs,
// and weir says who is stuck and why, live, in one call.
//
// The shop (stuck_actor_actors.hpp), on real threads, gets stuck three ways:
//   (a) /shop/orders/db blocks its pool thread on a lock held outside the system
//   (b) /shop/orders/checkout is suspended on its full bounded(4) edge into the db
//   (c) /shop/telemetry/collector floods the slower indexer over a plain unbounded edge
// The watchdog raises blocking_handler, long_wait and inbox_growth; main waits
// for them on on_lint, prints them and one snapshot (tree_text and a line per
// situation), then releases everything and counts what was handled. With
// --serve S the insight page shows it all for S seconds first, on port 8642.
// The deterministic checks are tests/samples/stuck_actor.test.cpp.

#include "stuck_actor_actors.hpp"

#include "../common/logger.hpp"
#include "../common/options.hpp"

#include <weir/insight/http_server.hpp>
#include <weir/snapshot.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <thread>

using namespace stuck_actor;

int main(int argc, char** argv) {
  samples::positive threads = 2, timeout = 30;
  std::size_t serve = 0;
  samples::po::options_description flags("options");
  flags.add_options()                                                                                  //
      ("threads", samples::po::value(&threads)->default_value(threads), "threads in the system's pool")  //
      ("timeout", samples::po::value(&timeout)->default_value(timeout), "seconds to wait for the lints")  //
      ("serve", samples::po::value(&serve), "serve the insight page for this many seconds, stuck")      //
      ("quiet", "weir's own log: errors only");
  const auto options = samples::parse(argc, argv, "[options]", flags);

  auto lock = std::make_shared<gate>();
  auto book = std::make_shared<ledger>();
  std::mutex mutex;  // guards `raised`, filled on the watchdog's thread
  std::condition_variable changed;
  std::vector<weir::lint> raised;
  weir::system_config config;
  config.threads = threads;
  config.logger = samples::stderr_logger("      [weir %^%l%$] %v", options.count("quiet") != 0);
  if (options.count("quiet") != 0) config.logger->set_level(spdlog::level::err);  // lints are warnings
  // Thresholds for a run of seconds (production defaults are longer).
  config.insight.blocking_threshold = 100ms;
  config.insight.wait_threshold = 300ms;
  config.insight.growth_window = 1s;
  config.insight.growth_samples = 5;
  config.insight.growth_min_depth = 1000;
  config.insight.on_lint = [&](const weir::lint& l) {
    std::lock_guard hold(mutex);
    raised.push_back(l), changed.notify_all();
  };
  weir::system sys(std::move(config));
  struct open_at_exit {  // on every way out, before the system shuts down
    gate& g;
    ~open_at_exit() { g.open(); }
  } opener{*lock};
  std::optional<weir::insight::http_server> page;
  if (serve > 0) page.emplace(sys, weir::insight::http_server_config{.port = 8642});
  spawn_shop(sys, lock, book);
  std::printf("stuck_actor: (a) a blocking handler, (b) an actor suspended on a full bounded edge, (c) an inbox\n"
              "growing without bound, under /shop on %zu threads; waiting for the watchdog's lints\n\n",
              sys.thread_count());
  std::fflush(stdout);

  const auto named = [&](weir::lint_kind kind, const std::string& path) {  // under `mutex`
    return std::any_of(raised.begin(), raised.end(), [&](const weir::lint& l) { return l.kind == kind && l.path == path; });
  };
  std::unique_lock hold(mutex);
  if (!changed.wait_for(hold, std::chrono::seconds(timeout), [&] {
        return named(weir::lint_kind::blocking_handler, "/shop/orders/db") &&
               named(weir::lint_kind::long_wait, "/shop/orders/checkout") &&
               named(weir::lint_kind::inbox_growth, "/shop/telemetry/indexer");
      })) {
    std::fprintf(stderr, "stuck_actor: FAILED: not all three lints within %zu s\n%s", timeout.value, sys.tree_text().c_str());
    return 1;
  }
  std::printf("lints raised (insight_config::on_lint, in order):\n");
  for (const weir::lint& l : raised) std::printf("  %s\n", l.to_string().c_str());
  hold.unlock();

  const weir::system_snapshot snap = sys.snapshot();  // one instant: the tree and the lines below agree
  std::printf("\nsystem.tree_text():\n%s\nthe three situations, as the snapshot names them:\n", snap.to_text().c_str());
  const weir::actor_snapshot* db_now = snap.find("/shop/orders/db");
  const weir::actor_snapshot* checkout_now = snap.find("/shop/orders/checkout");
  const weir::actor_snapshot* indexer_now = snap.find("/shop/telemetry/indexer");
  std::printf("  (a) blocking handler:  %s is %s, handling %s for %lld ms (its pool thread is blocked)\n",
              db_now->path.c_str(), std::string(to_string(db_now->state)).c_str(), db_now->handling.c_str(),
              static_cast<long long>(db_now->handling_for.count()));
  std::printf("  (b) suspended on edge: %s is %s, waits for credit on %s\n", checkout_now->path.c_str(),
              std::string(to_string(checkout_now->state)).c_str(),
              checkout_now->waits.empty() ? "?" : checkout_now->waits.front().on.c_str());
  std::printf("  (c) inbox growth:      %s has %lld queued (~%llu KiB), on a plain %s edge\n", indexer_now->path.c_str(),
              static_cast<long long>(indexer_now->queued),
              static_cast<unsigned long long>(indexer_now->approx_bytes_queued / 1024),
              indexer_now->edges.empty() ? "?" : indexer_now->edges.front().policy.c_str());
  if (page) {
    std::printf("\nstuck_actor: the insight page is at http://127.0.0.1:%u/ for %zu s\n",
                static_cast<unsigned>(page->port()), serve);
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::seconds(serve));  // a person looking, not a synchronisation
  }

  sys.find<indexer>("/shop/telemetry/indexer")->send(catch_up{});  // first: it overtakes the backlog
  sys.find<collector>("/shop/telemetry/collector")->send(stop_flood{});
  lock->open();
  std::printf("\nreleased: the db's lock opened, the flood stopped, the indexer told to catch up\n");
  const bool drained = book->wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(timeout),
                                        [](const ledger& l) { return l.orders_written == l.orders_sent && l.flood_drained; });
  sys.shutdown();  // every thread joined: the counts below are final
  std::printf("accounting: orders %llu sent, %llu written; metrics %llu sent, %llu indexed; dead letters %llu, "
              "crashes %llu\n", static_cast<unsigned long long>(book->orders_sent),
              static_cast<unsigned long long>(book->orders_written), static_cast<unsigned long long>(book->metrics_sent),
              static_cast<unsigned long long>(book->metrics_indexed),
              static_cast<unsigned long long>(sys.dead_letters()), static_cast<unsigned long long>(sys.crashes()));
  if (!drained || book->metrics_indexed != book->metrics_sent || sys.dead_letters() != 0 || sys.crashes() != 0) {
    std::fprintf(stderr, "stuck_actor: FAILED: not everything was handled once released\n");
    return 1;
  }
  std::printf("stuck_actor: all three situations named (blocking_handler, long_wait, inbox_growth), released, "
              "nothing lost\n");
  return 0;
}
