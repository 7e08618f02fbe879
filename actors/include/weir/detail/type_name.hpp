#pragma once
// weir/detail/type_name.hpp — readable type names for logs.

#include <string>
#include <typeinfo>

namespace weir::detail {

/// The demangled name of `type` ("app::job" rather than "N3app3jobE").
std::string type_name(const std::type_info& type);

}  // namespace weir::detail
