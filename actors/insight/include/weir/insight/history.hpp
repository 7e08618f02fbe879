#pragma once
// weir/insight/history.hpp — every actor's queue depth over the last samples, in bounded memory.

#include <weir/snapshot.hpp>

#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace weir::insight {

/// A ring of the last `capacity` samples of each actor's `queued`, taken
/// from snapshots. Memory is bounded by capacity x the actors alive during
/// those samples: an actor that has stopped leaves with its last sample.
///
/// JSON (to_json), what the web page draws its sparklines from:
///
///     {"capacity": 120, "uptime_ms": [t0, t1, ...],          // one per sample, oldest first
///      "actors": [{"id": 3, "path": "/sup/db",
///                  "queued": [null, 4, 9, ...]}, ...]}       // aligned with uptime_ms; null: not alive then
///
/// Thread safety: all members may be called from any thread (one mutex).
class history {
 public:
  /// Throws std::invalid_argument if `capacity` is 0.
  explicit history(std::size_t capacity);

  /// Appends `snapshot`'s depths, forgetting the oldest sample when full.
  void add(const system_snapshot& snapshot);
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] boost::json::value to_json() const;

 private:
  // One actor's depths from its first retained sample on. An id is never
  // reused, and an actor is in every snapshot from its spawn to its stop,
  // so its samples are contiguous; a gap (never seen) would read as null.
  struct series {
    std::string path;
    std::uint64_t first = 0;  // sequence number of depths.front()
    std::deque<std::optional<std::int64_t>> depths;
  };

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::uint64_t next_ = 0;                // sequence number of the next sample
  std::deque<std::int64_t> uptime_ms_;    // the retained samples, oldest first
  std::map<actor_id, series> actors_;     // ordered: the JSON lists actors by id
};

}  // namespace weir::insight
