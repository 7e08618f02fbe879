#pragma once
// weir/detail/cell_ptr.hpp — a counted reference to a cell, without the cell.

#include <boost/smart_ptr/intrusive_ptr.hpp>

namespace weir::detail {

class cell;
void intrusive_ptr_add_ref(cell* c) noexcept;
void intrusive_ptr_release(cell* c) noexcept;
/// Handles, edges and the tree hold cells by this; only the runtime's own
/// sources need cell.hpp, so a header that holds a handle stays light.
using cell_ptr = boost::intrusive_ptr<cell>;

}  // namespace weir::detail
