#pragma once
// messages.hpp — what the actors of the stuck_actor sample say to each other.

#include <cstdint>

namespace stuck_actor_sample {

/// checkout -> db, over a bounded edge: one order to store.
struct write_order {
  int id = 0;
};

/// collector -> indexer, over a plain unbounded edge: one telemetry sample.
struct metric {
  std::uint64_t seq = 0;
};

/// collector -> indexer, on the same edge, after the last metric: edges keep
/// their order, so when the indexer handles it, every metric sent before it
/// has been handled.
struct flood_end {
  std::uint64_t sent = 0;
};

/// main -> collector: stop flooding (idempotent; the flood also stops by
/// itself at its cap).
struct stop_flood {};

/// main -> indexer, in its preferred inbox: stop spending time on each
/// metric and drain the backlog. A preferred inbox is served first, so this
/// overtakes the backlog instead of waiting behind it.
struct catch_up {};

}  // namespace stuck_actor_sample
