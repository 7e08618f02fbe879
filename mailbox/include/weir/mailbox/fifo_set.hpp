#pragma once
// weir/mailbox/fifo_set.hpp — one private FIFO per inbox, stored inline when few.

#include <weir/mailbox/envelope_fifo.hpp>

#include <cstddef>
#include <memory>
#include <span>

namespace weir {

/// The consumer's FIFOs, one per inbox, indexed by inbox_index. Most actors
/// have one user inbox (plus the runtime's inbox 0): those two live inline,
/// which saves an allocation and a cache miss per actor; more go to the heap.
///
/// Thread safety: none; owned by one actor's strand.
class fifo_set {
 public:
  explicit fifo_set(std::size_t count)
      : heap_(count > inline_count ? std::make_unique<envelope_fifo[]>(count) : nullptr),
        fifos_(heap_ ? heap_.get() : inline_, count) {}
  fifo_set(const fifo_set&) = delete;
  fifo_set& operator=(const fifo_set&) = delete;

  envelope_fifo& operator[](std::size_t i) noexcept { return fifos_[i]; }
  [[nodiscard]] std::size_t size() const noexcept { return fifos_.size(); }
  auto begin() noexcept { return fifos_.begin(); }
  auto end() noexcept { return fifos_.end(); }

 private:
  static constexpr std::size_t inline_count = 2;
  envelope_fifo inline_[inline_count];
  std::unique_ptr<envelope_fifo[]> heap_;
  std::span<envelope_fifo> fifos_;
};

}  // namespace weir
