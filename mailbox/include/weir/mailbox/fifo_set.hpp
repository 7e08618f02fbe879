#pragma once
// weir/mailbox/fifo_set.hpp — one private FIFO per inbox, stored inline when few.

#include <weir/mailbox/envelope_fifo.hpp>

#include <cstddef>
#include <memory>

namespace weir {

/// The consumer's FIFOs, one per inbox, indexed by inbox_index. Most actors
/// have the runtime's two inboxes (control, timers) and one user inbox:
/// those three live inline, which saves an allocation and a cache miss per
/// actor; more go to the heap.
///
/// Thread safety: none; owned by one actor's strand.
class fifo_set {
 public:
  explicit fifo_set(std::size_t count) : count_(count) {
    if (on_heap()) {
      heap_ = new envelope_fifo[count];
    } else {
      std::uninitialized_default_construct_n(inline_, inline_count);
    }
  }
  ~fifo_set() {
    if (on_heap()) {
      delete[] heap_;
    } else {
      std::destroy_n(inline_, inline_count);
    }
  }
  fifo_set(const fifo_set&) = delete;
  fifo_set& operator=(const fifo_set&) = delete;

  envelope_fifo& operator[](std::size_t i) noexcept { return data()[i]; }
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  envelope_fifo* begin() noexcept { return data(); }
  envelope_fifo* end() noexcept { return data() + count_; }

 private:
  static constexpr std::size_t inline_count = 3;
  [[nodiscard]] bool on_heap() const noexcept { return count_ > inline_count; }
  envelope_fifo* data() noexcept { return on_heap() ? heap_ : inline_; }

  // One or the other, as count_ says: a union keeps every actor's cell
  // 8 bytes smaller than a pointer beside the inline FIFOs would.
  union {
    envelope_fifo inline_[inline_count];
    envelope_fifo* heap_;
  };
  std::size_t count_;
};

}  // namespace weir
