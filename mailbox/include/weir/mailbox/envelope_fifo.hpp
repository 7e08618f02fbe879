#pragma once
// weir/mailbox/envelope_fifo.hpp — the consumer's private FIFO of envelopes.

#include <weir/mailbox/envelope.hpp>
#include <weir/mailbox/mailbox_queue.hpp>


namespace weir {

/// A single-threaded intrusive FIFO: where the consumer keeps what it took
/// from its mailbox_queue until it handles it, one FIFO per inbox.
///
/// Thread safety: none; owned by one actor's strand.
class envelope_fifo {
 public:
  envelope_fifo() noexcept = default;
  envelope_fifo(const envelope_fifo&) = delete;
  envelope_fifo& operator=(const envelope_fifo&) = delete;

  void push_back(envelope* item) noexcept {
    item->next = nullptr;
    if (last_ == nullptr) {
      first_ = item;
    } else {
      last_->next = item;
    }
    last_ = item;
  }

  /// Removes and returns the oldest envelope, or nullptr if empty.
  envelope* pop_front() noexcept {
    envelope* item = first_;
    if (item == nullptr) return nullptr;
    first_ = item->next;
    if (first_ == nullptr) last_ = nullptr;
    item->next = nullptr;
    return item;
  }

  [[nodiscard]] bool empty() const noexcept { return first_ == nullptr; }

 private:
  envelope* first_ = nullptr;
  envelope* last_ = nullptr;
};

}  // namespace weir
