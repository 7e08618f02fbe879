#pragma once
// args.hpp — parsing the samples' numeric command-line values.

#include <charconv>
#include <cstddef>
#include <string_view>
#include <system_error>

namespace samples {

/// Parses a whole positive decimal number; false (out unspecified) otherwise.
inline bool parse_positive(std::string_view text, std::size_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size() && out > 0;
}

}  // namespace samples
