#pragma once
// weir/detail/manual_turns.hpp — the ready turns of a manual-mode system.

#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

namespace weir::detail {

class cell;

/// In manual mode a cell's turn does not go to the scheduler but is queued
/// here, so that a test decides which ready actor runs next: the manual executor
/// takes the oldest (FIFO, what a thread pool does on one thread), the
/// schedule explorer (weir/testing/explorer.hpp) any of them.
///
/// A cell is queued at most once at a time: the scheduling protocol (see
/// cell.hpp) keeps one turn in flight per actor. A queued cell stays alive
/// until its turn has run: its parent's link holds it until the last turn
/// reports child_stopped.
///
/// Thread safety: push() from any thread (a plain thread may send to an
/// actor); the rest from the thread that drives the system.
class manual_turns {
 public:
  void push(cell& ready) {
    std::lock_guard lock(mutex_);
    ready_.push_back(&ready);
  }
  [[nodiscard]] std::size_t size() const {
    std::lock_guard lock(mutex_);
    return ready_.size();
  }
  /// The ready cells, oldest first.
  [[nodiscard]] std::vector<cell*> ready() const {
    std::lock_guard lock(mutex_);
    return {ready_.begin(), ready_.end()};
  }
  /// Takes the `index`-th oldest ready cell out; null if there is none.
  cell* take(std::size_t index) {
    std::lock_guard lock(mutex_);
    if (index >= ready_.size()) return nullptr;
    cell* chosen = ready_[index];
    ready_.erase(ready_.begin() + static_cast<std::ptrdiff_t>(index));
    return chosen;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<cell*> ready_;
};

}  // namespace weir::detail
