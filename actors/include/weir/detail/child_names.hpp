#pragma once
// weir/detail/child_names.hpp — the names live children hold under one parent.

#include <string_view>
#include <unordered_map>

namespace weir::detail {

class cell;

/// Name -> the live child holding it. Keys view the child's own name, which
/// lives as long as the child; an entry goes before its child does. Guarded
/// by the parent's tree lock (see cell::reserve_child_name).
struct child_names {
  std::unordered_map<std::string_view, const cell*> holders;
};

}  // namespace weir::detail
