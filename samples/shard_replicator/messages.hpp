#pragma once
// messages.hpp — what the coordinator, its hosts and the sink tell each other.

#include "payload.hpp"
#include "shards.hpp"

#include <weir/inbox.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace shard_replicator {

/// Coordinator -> host: the next chunk of one of the host's shards. Moved all
/// the way: its bytes are allocated once, by the coordinator, and freed once
/// the host's socket has taken them.
struct chunk {
  std::uint32_t shard = 0;
  std::uint64_t seq = 0;
  std::uint64_t checksum = 0;
  payload bytes;
};

/// Coordinator -> host: nothing follows; close the connection once written.
struct end_of_stream {};

/// What a host accepts: the coordinator's edges to hosts carry exactly this.
using host_interface = weir::interface<chunk, end_of_stream>;

/// Host -> coordinator, once, as the host stops: it has written everything
/// and closed its connection, or it failed (then `error` says why).
struct host_done {
  std::size_t host = 0;
  std::uint64_t chunks = 0;
  std::uint64_t bytes = 0;
  /// The most chunks the host ever held in its local queue (see host.hpp).
  std::size_t max_queued = 0;
  std::string error;
};

/// Sink connection -> sink, once: what one connection delivered, shard by
/// shard, when its peer closed it (or why it failed).
struct connection_tally {
  std::vector<shard_tally> shards;  // indexed by shard
  std::uint64_t chunks = 0;
  std::uint64_t bytes = 0;
  std::string error;
};

}  // namespace shard_replicator
