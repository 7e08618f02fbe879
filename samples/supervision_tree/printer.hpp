#pragma once
// printer.hpp — the tree as the demo shows it on stdout: one row per actor,
// with its state, restart count, and what changed since the last print.

#include "snapshot.hpp"
#include "tree.hpp"

#include <cstdio>

namespace supervision_tree {

/// Prints `now`, one indented row per actor; supervisors with their flags,
/// workers with their item count. Rows that changed since `before` (if
/// given) are marked: restarted, started anew (with their supervisor), or
/// left down.
void print_tree(std::FILE* out, const snapshot& now, const snapshot* before, const tree_layout& tree);

}  // namespace supervision_tree
