// options.cpp — see options.hpp.
#include "options.hpp"

#include <boost/program_options/errors.hpp>
#include <boost/program_options/parsers.hpp>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <string_view>

namespace samples {

void validate(boost::any& out, const std::vector<std::string>& values, positive*, int) {
  const std::string& text = po::validators::get_single_string(values);
  std::size_t n = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc{} || end != text.data() + text.size() || n == 0) {
    throw po::invalid_option_value(text);  // "the argument ('0') for option '--trials' is invalid"
  }
  out = positive(n);
}

namespace {

std::string program;  // argv[0]'s last component, for require_one_of's message

std::string program_name(char** argv) {
  const std::string_view path = argv[0];
  return std::string(path.substr(path.find_last_of('/') + 1));
}

[[noreturn]] void usage_error(char** argv, const std::string& what, const std::string& synopsis,
                              const po::options_description& options) {
  std::cerr << program_name(argv) << ": " << what << "\nusage: " << program_name(argv) << ' ' << synopsis << '\n'
            << options;
  std::exit(2);
}

}  // namespace

po::variables_map parse(int argc, char** argv, const std::string& synopsis, const po::options_description& options) {
  program = program_name(argv);
  po::options_description all(options);
  all.add_options()("help,h", "print this help and exit");
  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).run(), values);
    po::notify(values);
  } catch (const po::error& e) {
    usage_error(argv, e.what(), synopsis, all);
  }
  if (values.count("help") != 0) {
    std::cout << "usage: " << program_name(argv) << ' ' << synopsis << '\n' << all;
    std::exit(0);
  }
  return values;
}

void require_one_of(const po::variables_map& values, const std::string& option,
                    std::initializer_list<const char*> choices) {
  const std::string& given = values[option].as<std::string>();
  std::string listed;
  for (const char* choice : choices) {
    if (given == choice) return;
    listed += listed.empty() ? choice : std::string("|") + choice;
  }
  std::cerr << program << ": the argument ('" << given << "') for option '--" << option << "' is invalid: expected "
            << listed << '\n';
  std::exit(2);
}

}  // namespace samples
