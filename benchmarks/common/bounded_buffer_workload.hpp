// The workload of Savina's bounded buffer (ProdConsBoundedBuffer), whatever
// the protocol and the framework: sizes, item ids, the per-item work and
// what the consumers must have seen. Shared by bench_bounded_buffer (weir,
// each protocol variant) and peers/caf_bounded_buffer, so that they cannot
// drift apart.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bench::bounded_buffer {

struct workload {
  std::size_t producers = 40;
  std::size_t consumers = 40;
  std::size_t buffer = 50;
  std::uint64_t items_per_producer = 4'000;

  [[nodiscard]] std::uint64_t items() const { return producers * items_per_producer; }
  /// Item ids are 0 .. items()-1: producer p makes p * items_per_producer + k.
  [[nodiscard]] std::uint64_t first_id(std::size_t producer) const { return producer * items_per_producer; }
  [[nodiscard]] std::uint64_t id_sum() const { return items() * (items() - 1) / 2; }
  /// Savina holds a producer back once the buffer holds buffer - producers
  /// items (its adjustedBufferSize): each producer may have one more item on
  /// its way to the manager.
  [[nodiscard]] bool holds_producers_back(std::size_t buffered) const { return buffered + producers >= buffer; }
};

/// Savina's processItem: a fixed amount of arithmetic per item on both sides
/// (here 100 rounds of xorshift), folded into a value that travels on, so
/// that the compiler cannot drop it.
inline std::uint64_t process_item(std::uint64_t seed) {
  std::uint64_t x = seed | 1;
  for (int i = 0; i < 100; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

/// What consumers report: the count and id sum are checked, `mix` (the
/// folded process_item results) only keeps the work observable.
struct tally {
  std::uint64_t items = 0;
  std::uint64_t id_sum = 0;
  std::uint64_t mix = 0;

  void consume(std::uint64_t id, std::uint64_t item_mix) {
    ++items;
    id_sum += id;
    mix ^= process_item(item_mix);
  }
  tally& operator+=(const tally& other) {
    items += other.items;
    id_sum += other.id_sum;
    mix ^= other.mix;
    return *this;
  }
};

}  // namespace bench::bounded_buffer
