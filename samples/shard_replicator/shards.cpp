#include "shards.hpp"

#include <bit>
#include <cstring>

namespace shard_replicator {

namespace {

constexpr std::uint32_t frame_magic = 0x53485244;  // "SHRD"
constexpr std::uint64_t golden = 0x9E3779B97F4A7C15ull;

// splitmix64's output function: a cheap, well-mixed step per word.
std::uint64_t mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// One step of the checksum. Each part is a bijection of the running state,
// so two inputs that differ in one word never collide.
std::uint64_t absorb(std::uint64_t state, std::uint64_t word) noexcept {
  return std::rotl((state ^ word) * 0x100000001B3ull, 31);
}

template <class T>
void put(std::byte* at, T value) noexcept {
  for (std::size_t i = 0; i < sizeof(T); ++i) at[i] = static_cast<std::byte>((value >> (8 * i)) & 0xffu);
}

template <class T>
T get(const std::byte* at) noexcept {
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(std::to_integer<T>(at[i]) << (8 * i));
  return value;
}

}  // namespace

void generate(std::uint32_t shard, std::uint64_t seq, std::span<std::byte> out) noexcept {
  std::uint64_t state = mix((static_cast<std::uint64_t>(shard) << 40) ^ seq ^ golden);
  std::size_t at = 0;
  for (; at + sizeof(std::uint64_t) <= out.size(); at += sizeof(std::uint64_t)) {
    const std::uint64_t word = mix(state += golden);
    std::memcpy(out.data() + at, &word, sizeof word);
  }
  if (at < out.size()) {  // a partial last word
    const std::uint64_t last = mix(state += golden);
    std::memcpy(out.data() + at, &last, out.size() - at);
  }
}

std::uint64_t checksum(std::span<const std::byte> bytes) noexcept {
  std::uint64_t state = golden ^ bytes.size();
  std::size_t at = 0;
  for (; at + sizeof(std::uint64_t) <= bytes.size(); at += sizeof(std::uint64_t)) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + at, sizeof word);
    state = absorb(state, word);
  }
  if (at < bytes.size()) {  // a partial last word, zero-padded
    std::uint64_t tail = 0;
    std::memcpy(&tail, bytes.data() + at, bytes.size() - at);
    state = absorb(state, tail);
  }
  return mix(state);
}

frame_header::wire frame_header::encode() const noexcept {
  wire out{};
  put(out.data(), frame_magic);
  put(out.data() + 4, shard);
  put(out.data() + 8, seq);
  put(out.data() + 16, length);
  put(out.data() + 24, checksum);  // bytes 20-23 stay zero
  return out;
}

std::optional<frame_header> frame_header::decode(const wire& bytes) noexcept {
  if (get<std::uint32_t>(bytes.data()) != frame_magic) return std::nullopt;
  frame_header out;
  out.shard = get<std::uint32_t>(bytes.data() + 4);
  out.seq = get<std::uint64_t>(bytes.data() + 8);
  out.length = get<std::uint32_t>(bytes.data() + 16);
  out.checksum = get<std::uint64_t>(bytes.data() + 24);
  return out;
}

void shard_tally::add(std::uint64_t chunk_checksum, std::size_t length) noexcept {
  ++chunks;
  bytes += length;
  digest = absorb(digest, chunk_checksum);
}

}  // namespace shard_replicator
