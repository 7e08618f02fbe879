#pragma once
// payload.hpp — the bytes of one chunk, counted while they exist.

#include <cstddef>
#include <memory>
#include <span>

namespace shard_replicator {

/// A heap buffer holding one chunk's bytes. Every payload alive adds its size
/// to a process-wide count, so the program can say how much of the input the
/// pipeline held at once: unlike RSS, that figure is exact and no allocator
/// or sanitizer inflates it.
///
/// Thread safety: distinct objects: safe. Shared objects: unsafe. The
/// static counters: any thread.
class payload {
 public:
  explicit payload(std::size_t size);
  payload(payload&& other) noexcept;
  payload& operator=(payload&& other) noexcept;
  payload(const payload&) = delete;
  payload& operator=(const payload&) = delete;
  ~payload() { release(); }

  [[nodiscard]] std::span<std::byte> bytes() noexcept { return {data_.get(), size_}; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return {data_.get(), size_}; }

  /// Bytes held by all payloads alive right now, and at most so far.
  static std::size_t live_bytes() noexcept;
  static std::size_t peak_live_bytes() noexcept;

 private:
  void release() noexcept;

  std::unique_ptr<std::byte[]> data_;
  std::size_t size_ = 0;  // 0 once moved from: it no longer counts
};

}  // namespace shard_replicator
