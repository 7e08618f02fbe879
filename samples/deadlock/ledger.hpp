#pragma once
// ledger.hpp — the run's accounting, kept outside the actors.
//
// Under --remedy fail_one an actor is crashed and restarted with a fresh
// behaviour object: whatever it kept in its members is gone. Its mailbox
// survives (see weir::supervisor), and so does this ledger, which is how a
// restarted coordinator knows where it was and how main checks that no
// request and no result was lost or duplicated.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace deadlock_sample {

struct ledger {
  explicit ledger(std::size_t requests, std::size_t capacity)
      : requests(requests), capacity(capacity), results_seen(std::make_unique<std::atomic<std::uint8_t>[]>(requests)) {}

  const std::size_t requests;  ///< N: how many the coordinator sends
  const std::size_t capacity;  ///< of both bounded edges

  std::atomic<std::size_t> sent{0};          ///< requests sent (the next id to send)
  std::atomic<std::size_t> handled{0};       ///< requests the worker handled (over all its incarnations)
  std::atomic<std::size_t> received{0};      ///< results the coordinator received
  std::atomic<std::size_t> wrong_values{0};  ///< results whose value is not id * id
  std::atomic<std::size_t> duplicates{0};    ///< results received twice
  std::atomic<std::size_t> coordinator_starts{0};
  std::atomic<std::size_t> worker_starts{0};

  /// results_seen[id] != 0 once the result of request `id` arrived.
  std::unique_ptr<std::atomic<std::uint8_t>[]> results_seen;

  [[nodiscard]] bool complete() const { return received.load() == requests; }
  /// Both edges full and one more message held at each sender (see
  /// weir::bounded): `capacity` + 1 requests the worker has not consumed,
  /// and as many results the coordinator has not (one result per request).
  [[nodiscard]] bool both_edges_full() const {
    const std::size_t h = handled.load();
    return sent.load() - h > capacity && h - received.load() > capacity;
  }
  /// A number that grows with any progress (for "is it stuck?").
  [[nodiscard]] std::size_t progress() const { return sent.load() + handled.load() + received.load(); }
};

using ledger_ptr = std::shared_ptr<ledger>;

}  // namespace deadlock_sample
