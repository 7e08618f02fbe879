#include "payload.hpp"

#include <atomic>
#include <utility>

namespace shard_replicator {

namespace {

std::atomic<std::size_t> live{0};
std::atomic<std::size_t> peak{0};

}  // namespace

payload::payload(std::size_t size) : data_(std::make_unique_for_overwrite<std::byte[]>(size)), size_(size) {
  const std::size_t now = live.fetch_add(size, std::memory_order_relaxed) + size;
  std::size_t seen = peak.load(std::memory_order_relaxed);
  while (now > seen && !peak.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
  }
}

payload::payload(payload&& other) noexcept : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}

payload& payload::operator=(payload&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void payload::release() noexcept {
  live.fetch_sub(std::exchange(size_, 0), std::memory_order_relaxed);
  data_.reset();
}

std::size_t payload::live_bytes() noexcept { return live.load(std::memory_order_relaxed); }
std::size_t payload::peak_live_bytes() noexcept { return peak.load(std::memory_order_relaxed); }

}  // namespace shard_replicator
