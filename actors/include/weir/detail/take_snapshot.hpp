#pragma once
// weir/detail/take_snapshot.hpp — building a system_snapshot.

#include <weir/snapshot.hpp>

namespace weir::detail {

class cell;
class watchdog;
struct runtime;

/// Reads every live actor below `root`, the edges leading into each, the
/// standing cycles and `lints` (null: none). See system::snapshot.
system_snapshot take_snapshot(runtime& rt, const cell& root, const watchdog* lints);

}  // namespace weir::detail
