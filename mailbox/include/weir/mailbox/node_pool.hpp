#pragma once
// weir/mailbox/node_pool.hpp — where message nodes come from.

#include <cstddef>

namespace weir {

/// Memory for envelopes (message nodes and runtime signals).
///
/// Messages are allocated on the sender's thread and freed on the
/// receiver's: the pattern general-purpose allocators handle worst (glibc
/// spends half of a counting benchmark in malloc and free). The pool keeps a
/// free list per thread and size class (32, 48, 64, 96, 128, 192 and 256 bytes; larger nodes
/// use operator new). A thread whose list grows past a high-water mark hands
/// a batch of blocks to a shared depot; a thread whose list is empty takes a
/// batch from it. So blocks flow from consumers back to producers, and the
/// shared part costs one mutex hand-off per batch, not per message.
///
/// Memory held: what threads and the depot cache is bounded (the depot frees
/// blocks beyond its cap), and it was all in flight as messages once.
///
/// Builds with AddressSanitizer use plain operator new/delete instead, so
/// that a use-after-free of a message is still caught.
///
/// Thread safety: allocate() and deallocate() from any thread.
class node_pool {
 public:
#if defined(__SANITIZE_ADDRESS__)
  static constexpr bool enabled = false;
#else
  static constexpr bool enabled = true;
#endif

  /// A block of at least `size` bytes, aligned for any envelope.
  static void* allocate(std::size_t size);
  /// Returns a block from allocate(`size`); `size` must be the same.
  static void deallocate(void* block, std::size_t size) noexcept;
};

}  // namespace weir
