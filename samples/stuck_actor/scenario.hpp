#pragma once
// scenario.hpp — the shop, its three stuck situations, and the phases of a
// run: wait until stuck, show, (hold), release, drain and check.

#include "gate.hpp"
#include "ledger.hpp"
#include "lint_watch.hpp"
#include "options.hpp"
#include "orders.hpp"
#include "telemetry.hpp"

#include <weir/snapshot.hpp>
#include <weir/supervisor.hpp>
#include <weir/system.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace stuck_actor_sample {

/// The tree, as main drives it:
///
///   /shop                      supervisor, one_for_one
///     /shop/orders             supervisor, one_for_one
///       /shop/orders/db        (a) blocks its thread on a lock held outside
///       /shop/orders/checkout  (b) suspended: bounded(4) into db, 6 orders sent
///     /shop/telemetry          supervisor, one_for_one
///       /shop/telemetry/indexer    (c) 40 us per metric: its queue grows
///       /shop/telemetry/collector  (c) 50,000 metrics/s, plain unbounded edge
///
/// Whatever path main takes out (a failed check, an exception), the
/// destructor opens the lock and stops the flood before it shuts the system
/// down: a handler blocked on that lock would keep shutdown() waiting forever.
class stuck_shop {
 public:
  explicit stuck_shop(const options& opts);
  ~stuck_shop();
  stuck_shop(const stuck_shop&) = delete;
  stuck_shop& operator=(const stuck_shop&) = delete;

  [[nodiscard]] weir::system& system() { return *system_; }

  /// Blocks until the watchdog has raised the three lints, one per
  /// situation (event-driven: woken by on_lint), or the timeout passes.
  /// Returns the lints still missing. Then finds the actors' handles.
  std::vector<expected_lint> wait_until_stuck();

  /// Prints each lint raised, the tree (tree_text of one snapshot) and what
  /// that snapshot says of each stuck actor; returns the checks that failed.
  std::vector<std::string> show();

  /// Opens the lock, stops the flood, tells the indexer to catch up.
  void release();

  /// Waits until every order is written and the flood is drained, shuts the
  /// system down, prints the accounting; returns the checks that failed.
  std::vector<std::string> finish();

 private:
  void spawn_tree();
  [[nodiscard]] std::chrono::steady_clock::time_point deadline() const;

  options opts_;
  flood_settings flood_{};
  std::shared_ptr<gate> table_lock_ = std::make_shared<gate>();
  ledger_ptr book_ = std::make_shared<ledger>();
  std::shared_ptr<lint_watch> lints_ = std::make_shared<lint_watch>();
  std::unique_ptr<weir::system> system_;
  // Found once all three lints are in (every actor has started by then).
  weir::handle<db> db_;
  weir::handle<indexer> indexer_;
  weir::handle<collector> collector_;
  std::int64_t queue_shown_ = 0;  // the indexer's queue in the snapshot show() printed
};

/// The whole run; returns main()'s exit status.
int run_scenario(const options& opts);

}  // namespace stuck_actor_sample
