#pragma once
// shards.hpp — what the replicated data is and how the sink verifies it: the
// content of each chunk, its checksum, the frame it travels in over TCP, and
// the per-shard tally both ends keep so that they can be compared at the end.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace shard_replicator {

/// Fills `out` with the content of chunk `seq` of shard `shard`: pseudo-random
/// bytes that depend on both, so a chunk delivered to the wrong place or twice
/// does not go unnoticed. Generated on the fly: the input exists nowhere else.
void generate(std::uint32_t shard, std::uint64_t seq, std::span<std::byte> out) noexcept;

/// A 64-bit checksum of `bytes`. Any change to a single 8-byte word changes it.
[[nodiscard]] std::uint64_t checksum(std::span<const std::byte> bytes) noexcept;

/// What precedes each chunk's bytes on a host's connection.
struct frame_header {
  static constexpr std::size_t size = 32;
  using wire = std::array<std::byte, size>;

  std::uint32_t shard = 0;
  std::uint64_t seq = 0;        // the chunk's position within its shard, from 0
  std::uint32_t length = 0;     // payload bytes that follow
  std::uint64_t checksum = 0;   // of those bytes

  /// Little-endian, with a magic number first, whatever the host's byte order.
  [[nodiscard]] wire encode() const noexcept;
  /// Empty if the magic number is wrong.
  static std::optional<frame_header> decode(const wire& bytes) noexcept;
};

/// One shard as one end saw it: how many chunks and bytes, and a digest of the
/// chunk checksums in order. The coordinator tallies what it sent, the sink
/// what it received; equal tallies mean every byte arrived, once, in order.
struct shard_tally {
  std::uint64_t chunks = 0;
  std::uint64_t bytes = 0;
  std::uint64_t digest = 0;

  void add(std::uint64_t chunk_checksum, std::size_t length) noexcept;
  bool operator==(const shard_tally&) const = default;
};

}  // namespace shard_replicator
