#pragma once
// options.hpp — the command line of the shard_replicator sample.

#include <cstddef>
#include <optional>

namespace shard_replicator {

struct options {
  std::size_t total_mib = 1024;
  std::size_t chunk_kib = 64;
  std::size_t shards = 16;
  std::size_t hosts = 4;
  std::size_t capacity = 8;     // chunks per coordinator -> host edge
  bool unbounded = false;       // plain unbounded edges instead of bounded(capacity)
  std::size_t threads = 0;      // 0: the system's default (one per core)
  /// Fail unless the process's peak RSS stays below this many MiB.
  std::optional<std::size_t> expect_peak_rss_mib;
};

/// Parses argv; on a bad or unknown flag prints usage to stderr and returns
/// nothing.
std::optional<options> parse_options(int argc, char** argv);

}  // namespace shard_replicator
