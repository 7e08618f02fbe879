#pragma once
// options.hpp — the samples' one command-line parser, on Boost.Program_options.
// A sample declares its options, calls parse(), and reads them back; --help,
// unknown flags and bad values are handled here, the same way for every sample.

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <boost/program_options/variables_map.hpp>

#include <cstddef>
#include <initializer_list>
#include <vector>
#include <string>

namespace samples {

namespace po = boost::program_options;

/// A whole number greater than zero (`--trials 0` is rejected, naming the option).
struct positive {
  std::size_t value = 0;
  positive() = default;
  positive(std::size_t v) : value(v) {}  // NOLINT: reads as the number it holds
  operator std::size_t() const { return value; }  // NOLINT
};

/// Lets Boost parse a `positive`: it rejects zero, signs and trailing text.
void validate(boost::any& out, const std::vector<std::string>& values, positive*, int);

/// Parses argv against `options` (plus --help). Returns the values on
/// success; prints the usage and exits 0 on --help; prints
/// "<program>: <what is wrong>" and the usage to stderr and exits 2 on an
/// unknown option, a missing or malformed value, or a value outside `choices`
/// given with require_one_of.
po::variables_map parse(int argc, char** argv, const std::string& synopsis, const po::options_description& options);

/// After parse(): exits 2 with a message naming `option` unless its value is
/// one of `choices`.
void require_one_of(const po::variables_map& values, const std::string& option,
                    std::initializer_list<const char*> choices);

}  // namespace samples
