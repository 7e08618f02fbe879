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
  explicit fifo_set(std::size_t count)
      : heap_(count > inline_count ? std::make_unique<envelope_fifo[]>(count) : nullptr), count_(count) {}
  fifo_set(const fifo_set&) = delete;
  fifo_set& operator=(const fifo_set&) = delete;

  envelope_fifo& operator[](std::size_t i) noexcept { return data()[i]; }
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  envelope_fifo* begin() noexcept { return data(); }
  envelope_fifo* end() noexcept { return data() + count_; }

 private:
  static constexpr std::size_t inline_count = 3;
  envelope_fifo* data() noexcept { return heap_ ? heap_.get() : inline_; }

  envelope_fifo inline_[inline_count];
  std::unique_ptr<envelope_fifo[]> heap_;
  std::size_t count_;
};

}  // namespace weir
