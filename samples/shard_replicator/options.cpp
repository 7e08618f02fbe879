#include "options.hpp"

#include "../common/args.hpp"

#include <charconv>
#include <cstdio>
#include <string_view>

namespace shard_replicator {

namespace {

constexpr const char* usage =
    "usage: %s [--total-mib M] [--chunk-kib K] [--shards S] [--hosts N] [--capacity C] [--unbounded]\n"
    "          [--threads T] [--expect-peak-rss-mib X]\n";

// Largest chunk: a frame header stores the length in 32 bits, and the sink
// holds one chunk per connection.
constexpr std::size_t max_chunk_kib = 64 * 1024;


}  // namespace

using samples::parse_positive;

std::optional<options> parse_options(int argc, char** argv) {
  options parsed;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--unbounded") {
      parsed.unbounded = true;
      continue;
    }
    std::size_t expected_rss = 0;
    std::size_t* target = flag == "--total-mib"             ? &parsed.total_mib
                          : flag == "--chunk-kib"           ? &parsed.chunk_kib
                          : flag == "--shards"              ? &parsed.shards
                          : flag == "--hosts"               ? &parsed.hosts
                          : flag == "--capacity"            ? &parsed.capacity
                          : flag == "--threads"             ? &parsed.threads
                          : flag == "--expect-peak-rss-mib" ? &expected_rss
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
    if (target == &expected_rss) parsed.expect_peak_rss_mib = expected_rss;
  }
  if (parsed.chunk_kib > max_chunk_kib) {
    std::fprintf(stderr, "%s: --chunk-kib must be at most %zu\n", argv[0], max_chunk_kib);
    return std::nullopt;
  }
  return parsed;
}

}  // namespace shard_replicator
