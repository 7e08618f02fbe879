#include "options.hpp"

#include "../common/args.hpp"

#include <charconv>
#include <cstdio>
#include <string_view>

namespace ide_main_loop {

namespace {

constexpr const char* usage = "usage: %s [--manual] [--flood PATHS] [--warmup ANSWERS] [--threads T]\n";


}  // namespace

using samples::parse_positive;

std::optional<options> parse_options(int argc, char** argv) {
  options parsed;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--manual") {
      parsed.manual = true;
      continue;
    }
    std::size_t* target = flag == "--flood"     ? &parsed.scenario.flood_paths
                          : flag == "--warmup"  ? &parsed.scenario.warmup_answers
                          : flag == "--threads" ? &parsed.threads
                                                : nullptr;
    if (target == nullptr || i + 1 == argc) {
      std::fprintf(stderr, usage, argv[0]);
      return std::nullopt;
    }
    const std::string_view value = argv[++i];
    if (!parse_positive(value, *target)) {
      std::fprintf(stderr, "%s: %.*s needs a positive integer, got '%.*s'\n", argv[0],
                   static_cast<int>(flag.size()), flag.data(), static_cast<int>(value.size()), value.data());
      return std::nullopt;
    }
  }
  if (parsed.scenario.flood_paths <= parsed.scenario.key_bound) {
    std::fprintf(stderr, "%s: --flood must exceed the key bound (%zu) to be a flood\n", argv[0],
                 parsed.scenario.key_bound);
    return std::nullopt;
  }
  return parsed;
}

}  // namespace ide_main_loop
