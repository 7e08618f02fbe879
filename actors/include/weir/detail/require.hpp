#pragma once
// weir/detail/require.hpp — checks of arguments at public entry points.

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace weir::detail {

template <class F>
inline constexpr bool is_std_function = false;
template <class Signature>
inline constexpr bool is_std_function<std::function<Signature>> = true;

/// Throws std::invalid_argument naming `what` if the callback `f` is empty
/// (an empty std::function or a null function pointer): called later, on an
/// actor's strand, it would only crash the actor far from the mistake.
/// Lambdas and other callables cannot be empty and pass as they are.
template <class F>
void require_callback(const F& f, std::string_view what) {
  if constexpr (std::is_pointer_v<F> || std::is_member_pointer_v<F> || is_std_function<F>) {
    if (!f) throw std::invalid_argument(std::string{what} + " is empty");
  }
}

}  // namespace weir::detail
