#include "coordinator.hpp"

#include "host.hpp"

#include <algorithm>
#include <utility>

namespace shard_replicator {

coordinator::coordinator(pipeline_config config, std::promise<coordinator_report> done)
    : config_(std::move(config)), done_(std::move(done)) {
  report_.sent.resize(config_.shards);
  report_.hosts.resize(config_.hosts);
}

void coordinator::on_start() {
  const weir::handle<weir::interface<host_done>> back = self();
  for (std::size_t i = 0; i < config_.hosts; ++i) {
    // Spawned as children: stopping the coordinator stops them first.
    const weir::handle<host> h = spawn<host>("host-" + std::to_string(i), i, config_.sink, back);
    edges_.push_back(weir::connect<host_interface>(h, config_.policy));
  }
  self().send(produce_next{});
}

void coordinator::on_message(produce_next&) {
  if (!done_) return;  // failed: stop producing
  if (next_chunk_ == config_.total_chunks()) {
    for (auto& edge : edges_) (void)edge.send(end_of_stream{});  // a stopped host has reported already
    return;
  }
  const std::uint64_t index = next_chunk_++;
  const auto shard = static_cast<std::uint32_t>(index % config_.shards);
  const std::uint64_t seq = index / config_.shards;
  const auto size = static_cast<std::size_t>(
      std::min<std::uint64_t>(config_.chunk_bytes, config_.total_bytes - index * config_.chunk_bytes));

  chunk c{.shard = shard, .seq = seq, .checksum = 0, .bytes = payload(size)};
  generate(shard, seq, c.bytes.bytes());
  c.checksum = checksum(c.bytes.bytes());
  report_.sent[shard].add(c.checksum, size);
  ++report_.chunks;
  report_.bytes += size;

  const std::size_t target = shard % config_.hosts;
  if (edges_[target].send(std::move(c)) != weir::send_result::ok) {
    fail("host-" + std::to_string(target) + " has stopped before its stream ended");
    return;
  }
  self().send(produce_next{});
}

void coordinator::on_message(host_done& d) {
  const std::size_t host = d.host;
  report_.hosts[host] = std::move(d);
  if (!report_.hosts[host].error.empty()) {
    fail("host-" + std::to_string(host) + ": " + report_.hosts[host].error);
    return;
  }
  if (++hosts_done_ == config_.hosts) deliver();
}

void coordinator::fail(std::string why) {
  if (report_.error.empty()) report_.error = std::move(why);
  deliver();
}

// Every host has handled every message on its edge by now (or the run
// failed), so the edge counters are final.
void coordinator::deliver() {
  if (!done_) return;
  report_.edges.clear();
  for (const auto& edge : edges_) report_.edges.push_back(edge.stats());
  done_->set_value(std::move(report_));
  done_.reset();
}

}  // namespace shard_replicator
