#pragma once
// weir/detail/wait_registry.hpp — what one actor waits for, readable from any thread.

#include <weir/wait_record.hpp>

#include <atomic>
#include <cstdint>
#include <vector>

namespace weir::detail {

/// The waits of one actor (suspensions on an edge, pending asks), each under
/// a key unique within its kind: the edge's address, the ask's id. Insight
/// reads them while the actor runs.
///
/// Most actors never wait, so the list is made on the first wait and kept
/// (readers may hold it meanwhile): an idle actor pays one pointer.
///
/// Thread safety: record(), end() and end_all() only on the owning actor's
/// strand (one writer); snapshot() from any thread. The writer takes a lock
/// only for readers' sake, so it is never contended on the message path.
class wait_registry {
 public:
  wait_registry() = default;
  wait_registry(const wait_registry&) = delete;
  wait_registry& operator=(const wait_registry&) = delete;
  ~wait_registry();

  void record(std::uintptr_t key, wait_record record);
  /// Ends the wait of `kind` under `key`, if there is one.
  void end(wait_kind kind, std::uintptr_t key) noexcept;
  void end_all() noexcept;
  /// The waits right now, in the order they began.
  [[nodiscard]] std::vector<wait_record> snapshot() const;

 private:
  struct entries;
  std::atomic<entries*> entries_{nullptr};
};

}  // namespace weir::detail
