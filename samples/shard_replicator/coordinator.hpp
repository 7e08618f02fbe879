#pragma once
// coordinator.hpp — produces every chunk of every shard and streams each to
// the host that replicates its shard, over one edge per host.

#include "messages.hpp"
#include "shards.hpp"

#include <weir/actor.hpp>
#include <weir/edge.hpp>
#include <weir/edge_stats.hpp>

#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace shard_replicator {

/// What to replicate, and how the coordinator's edges push back.
struct pipeline_config {
  std::uint64_t total_bytes = 0;
  std::size_t chunk_bytes = 0;
  std::size_t shards = 0;  // chunk i belongs to shard i % shards, which host (i % shards) % hosts writes
  std::size_t hosts = 0;
  weir::edge_policy policy;  // of every coordinator -> host edge
  boost::asio::ip::tcp::endpoint sink;

  [[nodiscard]] std::uint64_t total_chunks() const noexcept { return (total_bytes + chunk_bytes - 1) / chunk_bytes; }
};

/// What the coordinator did, once every host has finished (or one failed).
struct coordinator_report {
  std::vector<shard_tally> sent;          // per shard
  std::uint64_t chunks = 0;
  std::uint64_t bytes = 0;
  std::vector<weir::edge_stats> edges;    // per host, read when all hosts are done
  std::vector<host_done> hosts;           // per host
  std::string error;                      // empty on success
};

/// Asks the coordinator for the next chunk; it sends one to itself per turn.
struct produce_next {};

/// Spawns the hosts as its children and produces chunks one per turn: each
/// turn generates one chunk, sends it on its host's edge and sends itself
/// produce_next. When an edge runs out of credit the runtime suspends the
/// coordinator after that turn, so its produce_next waits in its inbox until
/// the host has consumed enough to hand credit back: the coordinator is
/// throttled by its slowest busy host, and no thread ever waits for it.
///
/// One send per turn also means no edge is overdrawn: the coordinator is
/// suspended the moment one edge runs dry, before it sends on any other, so
/// each edge holds at most `capacity` unconsumed chunks. (A turn that sent
/// on several edges would not be safe that way: the runtime suspends the
/// sender on the first edge the turn drained only, and resumes it when that
/// one has credit, without looking at the others; a stalled host could then
/// be overdrawn by one chunk every turn.)
///
/// host_done has an inbox of its own, listed first: a report is never stuck
/// behind production.
class coordinator final : public weir::actor<weir::inbox<host_done>, weir::inbox<produce_next>> {
 public:
  coordinator(pipeline_config config, std::promise<coordinator_report> done);

  void on_start() override;
  void on_message(host_done& d) override;
  void on_message(produce_next&) override;

 private:
  void fail(std::string why);
  void deliver();

  const pipeline_config config_;
  std::optional<std::promise<coordinator_report>> done_;  // empty once delivered
  std::vector<weir::edge<host_interface>> edges_;         // per host
  coordinator_report report_;
  std::uint64_t next_chunk_ = 0;
  std::size_t hosts_done_ = 0;
};

}  // namespace shard_replicator
