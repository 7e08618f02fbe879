#pragma once
// tree.hpp — the shape of the demo's two-level tree, as plain data: what the
// supervisors are built from, what the model predicts with, and what the
// printer labels its rows with.

#include <weir/child_spec.hpp>
#include <weir/clock.hpp>
#include <weir/supervisor_flags.hpp>

#include <string>
#include <vector>

namespace supervision_tree {

/// One worker: a station that makes an item every `tick` (zero: it only
/// handles what it is sent) and passes items on to the sibling `feeds`.
struct worker_layout {
  std::string name;
  std::string feeds;  ///< an earlier sibling, or "" for the end of a pipeline
  weir::clock::duration tick{};
  weir::restart_type restart = weir::restart_type::permanent;
};

/// A subsystem supervisor and its workers, in start order.
struct subsystem_layout {
  std::string name;
  weir::supervisor_flags flags;
  std::vector<worker_layout> workers;
};

/// The root supervisor and its subsystems, in start order.
struct tree_layout {
  std::string root_name = "root";
  weir::supervisor_flags root_flags;
  std::vector<subsystem_layout> subsystems;

  [[nodiscard]] std::string root_path() const { return "/" + root_name; }
  /// The subsystem named `name`; nullptr if there is none.
  [[nodiscard]] const subsystem_layout* find(const std::string& name) const;
};

/// The demo's tree with its default flags:
///
///   /root     one_for_one, at most 3 restarts in 10 s
///     ingest  one_for_one  (3 in 5 s): enricher <- parser <- source, backfill (transient) -> parser
///     storage rest_for_one (3 in 5 s): db <- cache, db <- writer
///     api     one_for_all  (1 in 5 s): auth <- sessions <- gateway
///
/// (a <- b: b feeds a, so a starts first and b gets it as weir::sibling.)
tree_layout default_layout();

/// The root's children as weir child specs: one supervisor_child per subsystem.
std::vector<weir::child_spec> child_specs(const tree_layout& tree);

/// "one_for_one, at most 3 restarts in 10 s".
std::string describe(const weir::supervisor_flags& flags);

}  // namespace supervision_tree
