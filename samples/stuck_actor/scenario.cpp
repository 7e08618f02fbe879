#include "scenario.hpp"

#include "../common/logger.hpp"

#include <weir/handle.hpp>
#include <weir/insight/http_server.hpp>

#include <spdlog/logger.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>

namespace stuck_actor_sample {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t orders_capacity = 4;
// Two past the capacity: even once the db has taken the first order (and
// blocks in its handler), more than `capacity` stay unconsumed, so checkout
// is suspended whether or not the order being handled still counts.
constexpr std::size_t orders_sent = orders_capacity + 2;

constexpr std::string_view db_path = "/shop/orders/db";
constexpr std::string_view checkout_path = "/shop/orders/checkout";
constexpr std::string_view indexer_path = "/shop/telemetry/indexer";
constexpr std::string_view collector_path = "/shop/telemetry/collector";
constexpr std::string_view orders_edge = "/shop/orders/checkout -> /shop/orders/db";

// Thresholds for a run of a few seconds (production defaults are longer):
// a handler is blocking past 100 ms, a wait is long past 300 ms, and an
// inbox grows without bound if its depth rose at each of 5 samples over
// one second, ending at 1,000 or more.
weir::insight_config insight_settings(const std::shared_ptr<lint_watch>& watch) {
  weir::insight_config insight;
  insight.blocking_threshold = 100ms;
  insight.wait_threshold = 300ms;
  insight.growth_window = 1s;
  insight.growth_samples = 5;
  insight.growth_min_depth = 1000;
  insight.on_lint = [watch](const weir::lint& raised) { (*watch)(raised); };
  return insight;
}

std::vector<expected_lint> expected_lints() {
  return {{weir::lint_kind::blocking_handler, std::string{db_path}},
          {weir::lint_kind::long_wait, std::string{checkout_path}},
          {weir::lint_kind::inbox_growth, std::string{indexer_path}}};
}

template <class T>
weir::handle<T> must_find(weir::system& sys, std::string_view path) {
  std::optional<weir::handle<T>> found = sys.find<T>(path);
  if (!found) throw std::runtime_error(std::string{path} + " is not in the tree");
  return *found;
}

const weir::edge_snapshot* edge_into(const weir::actor_snapshot& a, std::string_view edge) {
  for (const weir::edge_snapshot& in : a.edges) {
    if (in.edge == edge) return &in;
  }
  return nullptr;
}

std::string sv(std::string_view s) { return std::string{s}; }

// One line per situation, from the snapshot; a failed check per thing missing.
void show_blocked_db(const weir::system_snapshot& snap, std::vector<std::string>& failures) {
  const weir::actor_snapshot* db = snap.find(db_path);
  if (db == nullptr || db->state != weir::actor_state::running || db->handling.find("write_order") == std::string::npos) {
    failures.push_back(sv(db_path) + " should be running write_order in the snapshot");
    return;
  }
  std::printf("  (a) blocking handler:  %s is %.*s, handling %s for %lld ms (its pool thread is blocked)\n",
              db->path.c_str(), static_cast<int>(to_string(db->state).size()), to_string(db->state).data(),
              db->handling.c_str(), static_cast<long long>(db->handling_for.count()));
}

void show_suspended_checkout(const weir::system_snapshot& snap, std::vector<std::string>& failures) {
  const weir::actor_snapshot* checkout = snap.find(checkout_path);
  const weir::actor_snapshot* db = snap.find(db_path);
  const bool waits_on_edge = checkout != nullptr && checkout->waits.size() == 1 &&
                             checkout->waits.front().kind == weir::wait_kind::credit &&
                             checkout->waits.front().on == orders_edge;
  const weir::edge_snapshot* edge = db != nullptr ? edge_into(*db, orders_edge) : nullptr;
  if (!waits_on_edge || checkout->state != weir::actor_state::suspended || edge == nullptr || !edge->capacity) {
    failures.push_back(sv(checkout_path) + " should be suspended, waiting for credit on " + sv(orders_edge));
    return;
  }
  std::printf("  (b) suspended on edge: %s is suspended, waits for credit on %s (%lld unconsumed, capacity %lld, %s)\n",
              checkout->path.c_str(), checkout->waits.front().on.c_str(), static_cast<long long>(edge->depth),
              static_cast<long long>(*edge->capacity), edge->policy.c_str());
}

std::int64_t show_growing_indexer(const weir::system_snapshot& snap, std::int64_t min_depth,
                                  std::vector<std::string>& failures) {
  const weir::actor_snapshot* indexer = snap.find(indexer_path);
  const std::string flood_edge = sv(collector_path) + " -> " + sv(indexer_path);
  const weir::edge_snapshot* edge = indexer != nullptr ? edge_into(*indexer, flood_edge) : nullptr;
  if (edge == nullptr || edge->policy != "unbounded" || indexer->queued < min_depth) {
    failures.push_back(sv(indexer_path) + " should hold " + std::to_string(min_depth) +
                       "+ metrics queued on the plain unbounded edge " + flood_edge);
    return 0;
  }
  std::printf("  (c) inbox growth:      %s has %lld queued (~%llu KiB) on %s (%s), %llu sent, %llu handled so far\n",
              indexer->path.c_str(), static_cast<long long>(indexer->queued),
              static_cast<unsigned long long>(indexer->approx_bytes_queued / 1024), flood_edge.c_str(),
              edge->policy.c_str(), static_cast<unsigned long long>(edge->sent),
              static_cast<unsigned long long>(edge->handled));
  return indexer->queued;
}

void check_equal(std::vector<std::string>& failures, const std::string& what, std::uint64_t got, std::uint64_t want) {
  if (got != want) failures.push_back(what + ": " + std::to_string(got) + ", expected " + std::to_string(want));
}

}  // namespace

stuck_shop::stuck_shop(const options& opts) : opts_(opts) {
  weir::system_config config;
  config.threads = opts.threads;
  config.logger = samples::stderr_logger("      [weir %^%l%$] %v", opts.quiet);
  if (opts.quiet) config.logger->set_level(spdlog::level::err);  // lints are warnings
  config.insight = insight_settings(lints_);
  system_ = std::make_unique<weir::system>(std::move(config));
  spawn_tree();
}

stuck_shop::~stuck_shop() {
  // On every path out: a handler blocked on the lock would keep shutdown()
  // from returning, and an unstopped flood would run on to its cap.
  table_lock_->open();
  if (collector_) collector_.send(stop_flood{});
  system_->shutdown();
}

void stuck_shop::spawn_tree() {
  using namespace weir;
  const supervisor_flags flags{.strategy = restart_strategy::one_for_one, .intensity = 1, .period = 5s};
  // Workers are wired to earlier siblings (weir::sibling): the db before its
  // checkout, the indexer before its collector.
  (void)system_->spawn<supervisor>(
      "shop", flags,
      std::vector{supervisor_child("orders", flags,
                                   {worker<db>("db", table_lock_, book_),
                                    worker<checkout>("checkout", sibling<db>{"db"}, book_, orders_capacity,
                                                     orders_sent)}),
                  supervisor_child("telemetry", flags,
                                   {worker<indexer>("indexer", book_, flood_.work),
                                    worker<collector>("collector", sibling<indexer>{"indexer"}, book_, flood_)})});
}

std::chrono::steady_clock::time_point stuck_shop::deadline() const {
  return std::chrono::steady_clock::now() + std::chrono::seconds(opts_.timeout);
}

std::vector<expected_lint> stuck_shop::wait_until_stuck() {
  std::vector<expected_lint> missing = lints_->wait_for(expected_lints(), deadline());
  // The actors main sends to or checks have started by now: each lint is
  // about one of them, and the collector fed the indexer's. Before, find()
  // could still miss them (the supervisors start them asynchronously).
  db_ = must_find<db>(*system_, db_path);
  indexer_ = must_find<indexer>(*system_, indexer_path);
  collector_ = must_find<collector>(*system_, collector_path);
  return missing;
}

std::vector<std::string> stuck_shop::show() {
  std::printf("lints raised (insight_config::on_lint, in order):\n");
  for (const sighting& s : lints_->seen()) std::printf("  +%.2f s  %s\n", s.seconds, s.lint.to_string().c_str());

  // One snapshot, printed as system.tree_text() prints it, and checked: the
  // text and the checks describe the same instant.
  const weir::system_snapshot snap = system_->snapshot();
  std::printf("\nsystem.tree_text():\n%s\n", snap.to_text().c_str());

  std::vector<std::string> failures;
  std::printf("the three situations, as the snapshot names them:\n");
  show_blocked_db(snap, failures);
  show_suspended_checkout(snap, failures);
  queue_shown_ = show_growing_indexer(snap, system_->config().insight.growth_min_depth, failures);
  for (const expected_lint& e : expected_lints()) {
    bool holding = false;
    for (const weir::lint& l : snap.lints) holding = holding || (l.kind == e.kind && l.path == e.path);
    if (!holding) failures.push_back(sv(to_string(e.kind)) + " on " + e.path + " should be holding in the snapshot");
  }
  std::fflush(stdout);
  return failures;
}

void stuck_shop::release() {
  // Catch up first: it overtakes the backlog (a preferred inbox), so the
  // drain takes milliseconds, not the backlog x 40 us.
  indexer_.send(catch_up{});
  collector_.send(stop_flood{});
  table_lock_->open();
  std::printf("\nreleased: the db's lock opened, the flood stopped, the indexer told to catch up\n");
  std::fflush(stdout);
}

std::vector<std::string> stuck_shop::finish() {
  std::vector<std::string> failures;
  if (!book_->wait_drained(deadline())) {
    failures.push_back("the orders and the flood did not drain within " + std::to_string(opts_.timeout) + " s");
  }
  system_->shutdown();  // every actor stopped, every thread joined: the counts below are final
  const ledger::counts c = book_->now();
  const std::uint64_t dead = system_->dead_letters();
  std::printf("accounting: orders %llu sent, %llu written; metrics %llu sent, %llu indexed (queue was %lld when "
              "shown); dead letters %llu, crashes %llu, actors left %lld\n",
              static_cast<unsigned long long>(c.orders_sent), static_cast<unsigned long long>(c.orders_written),
              static_cast<unsigned long long>(c.metrics_sent), static_cast<unsigned long long>(c.metrics_indexed),
              static_cast<long long>(queue_shown_), static_cast<unsigned long long>(dead),
              static_cast<unsigned long long>(system_->crashes()), static_cast<long long>(system_->live_actors()));
  check_equal(failures, "orders sent", c.orders_sent, orders_sent);
  check_equal(failures, "orders written", c.orders_written, c.orders_sent);
  check_equal(failures, "metrics indexed", c.metrics_indexed, c.metrics_sent);
  // weir's own counts agree: the db handled every order, the indexer every
  // metric plus flood_end and catch_up, and nothing became a dead letter.
  check_equal(failures, "db handled (weir)", db_.handled(), c.orders_sent);
  check_equal(failures, "indexer handled (weir)", indexer_.handled(), c.metrics_sent + 2);
  check_equal(failures, "dead letters (weir)", dead, 0);
  check_equal(failures, "crashes (weir)", system_->crashes(), 0);
  check_equal(failures, "live actors (weir)", static_cast<std::uint64_t>(system_->live_actors()), 0);
  return failures;
}

int run_scenario(const options& opts) {
  stuck_shop shop(opts);
  std::optional<weir::insight::http_server> page;  // destroyed before the system: declared after it
  if (opts.serve_seconds > 0) page.emplace(shop.system(), weir::insight::http_server_config{.port = 8642});
  std::printf("stuck_actor: (a) a blocking handler, (b) an actor suspended on a full bounded edge, (c) an inbox\n"
              "growing without bound, under /shop on %zu threads; waiting for the watchdog's lints\n\n",
              shop.system().thread_count());
  std::fflush(stdout);

  if (const std::vector<expected_lint> missing = shop.wait_until_stuck(); !missing.empty()) {
    for (const expected_lint& m : missing) {
      std::fprintf(stderr, "stuck_actor: FAILED: no %.*s lint on %s within %zu s\n",
                   static_cast<int>(to_string(m.kind).size()), to_string(m.kind).data(), m.path.c_str(),
                   opts.timeout);
    }
    std::fprintf(stderr, "%s", shop.system().tree_text().c_str());
    return check_failed;
  }
  std::vector<std::string> failures = shop.show();

  // The stuck state holds until release(), so a person can look at it on
  // the page. Memory stays bounded meanwhile: the flood stops at its cap.
  if (opts.serve_seconds > 0) {
    std::printf("\nstuck_actor: the insight page is at http://127.0.0.1:%u/ for %zu s\n",
                static_cast<unsigned>(page->port()), opts.serve_seconds);
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::seconds(opts.serve_seconds));
  }

  shop.release();
  for (std::string& f : shop.finish()) failures.push_back(std::move(f));
  std::fflush(stdout);
  if (!failures.empty()) {
    for (const std::string& why : failures) std::fprintf(stderr, "stuck_actor: FAILED: %s\n", why.c_str());
    return check_failed;
  }
  std::printf("stuck_actor: all three situations named (blocking_handler, long_wait, inbox_growth), released, "
              "nothing lost\n");
  return as_expected;
}

}  // namespace stuck_actor_sample
