#pragma once
// shard_replicator_actors.hpp — the actors of story S1, "progress without
// babysitting". Shared by the sample (main.cpp) and its test
// (tests/samples/shard_replicator.test.cpp).

#include <weir/actor.hpp>
#include <weir/edge.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <deque>
#include <future>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace shard_replicator {

using boost::asio::ip::tcp;
using boost::system::error_code;
namespace asio = boost::asio;

/// A digest of a byte stream, in order (FNV-1a): equal digests at both ends mean the same bytes arrived.
inline std::uint64_t digest(std::uint64_t h, std::span<const std::byte> bytes) {
  for (const std::byte b : bytes) h = (h ^ std::to_integer<std::uint64_t>(b)) * 0x100000001B3ull;
  return h;
}
inline constexpr std::uint64_t digest_start = 0xCBF29CE484222325ull;

struct chunk {  ///< coordinator -> host; moved all the way, its bytes allocated once
  std::uint32_t shard = 0;
  std::uint64_t seq = 0;  ///< its position within its shard, from 0
  std::vector<std::byte> bytes;
};
struct end_of_stream {};  ///< coordinator -> host: write what you have, then close
using host_interface = weir::interface<chunk, end_of_stream>;
struct host_done {  ///< host -> coordinator, as the host stops
  bool finished = false;         ///< wrote everything and closed its connection
  std::size_t max_queued = 0;    ///< chunks it ever held locally (at most 1)
  std::uint64_t out_of_order = 0;  ///< chunks not in their shard's order (edges are FIFO: none)
};

/// Writes each chunk with one async_write and takes the next only once that
/// write has completed. Credit on a bounded edge returns when the handler
/// returns, and a write outlives its handler: so while one is in flight (or
/// the connect), the host pauses its inbox, and the chunks it has not taken
/// stay on the edge, unconsumed. Credit flows back only as fast as the socket
/// drains, and back pressure reaches the coordinator.
class host final : public weir::actor<chunk, end_of_stream> {
 public:
  host(tcp::endpoint sink, weir::handle<weir::interface<host_done>> coordinator)
      : sink_(sink), coordinator_(coordinator), socket_(executor()) {}

  void on_start() override {
    pause_inbox();  // nowhere to write yet
    socket_.async_connect(sink_, guard([this](const error_code& error) { error ? quit() : write_next(); }));
  }
  void on_message(chunk& c) override {
    out_of_order_ += c.seq != next_seq_[c.shard]++ ? 1 : 0;
    queue_.push_back(std::move(c));
    max_queued_ = std::max(max_queued_, queue_.size());
    write_next();
  }
  void on_message(end_of_stream&) override {
    ending_ = true;
    write_next();
  }
  void on_stop() override { coordinator_.send(host_done{finished_, max_queued_, out_of_order_}); }

 private:
  void write_next() {
    if (writing_) return;
    if (queue_.empty() && ending_) {
      error_code error;
      socket_.shutdown(tcp::socket::shutdown_send, error);  // the sink reads end of file after the last chunk
      finished_ = !error;
      return quit();
    }
    if (queue_.empty()) return resume_inbox();
    writing_ = true;
    pause_inbox();
    asio::async_write(socket_, asio::buffer(queue_.front().bytes), guard([this](const error_code& error, std::size_t) {
      writing_ = false;
      if (error) return quit();
      queue_.pop_front();  // its bytes are in the kernel now: free them
      write_next();
    }));
  }

  tcp::endpoint sink_;
  weir::handle<weir::interface<host_done>> coordinator_;
  tcp::socket socket_;
  std::deque<chunk> queue_;  // front() is being written while writing_
  bool writing_ = false, ending_ = false, finished_ = false;
  std::size_t max_queued_ = 0;
  std::uint64_t out_of_order_ = 0;
  std::map<std::uint32_t, std::uint64_t> next_seq_;
};

struct pipeline {
  std::uint64_t total_bytes = 0;
  std::size_t chunk_bytes = 0, shards = 0, hosts = 0;  // chunk i: shard i % shards, host (i % shards) % hosts
  weir::edge_policy policy;  // of every coordinator -> host edge
  tcp::endpoint sink;
  [[nodiscard]] std::uint64_t chunks() const { return (total_bytes + chunk_bytes - 1) / chunk_bytes; }
};
struct coordinator_report {
  std::uint64_t chunks = 0, bytes = 0;
  std::uint64_t digest = 0;  ///< the sum of each host's stream digest
  std::size_t hosts_finished = 0, max_queued = 0;
  std::uint64_t out_of_order = 0;
  std::int64_t max_depth = 0;  ///< most unconsumed chunks on one edge (bounded: its capacity + the one held)
  std::uint64_t suspensions = 0;  ///< times the coordinator was suspended, out of credit
  weir::clock::duration suspended{};  ///< in all, on any edge, holding no thread
};
struct produce_next {};

/// Spawns the hosts as its children and produces one chunk per turn: it
/// sends the chunk on its host's edge and sends itself produce_next. When an
/// edge runs out of credit, weir suspends the coordinator after that turn:
/// produce_next waits in its inbox until the host hands credit back, and no
/// thread waits for anything. One send per turn keeps every edge within its
/// capacity. host_done has its own inbox, first: a report never waits behind production.
class coordinator final : public weir::actor<weir::inbox<host_done>, weir::inbox<produce_next>> {
 public:
  coordinator(pipeline p, std::promise<coordinator_report> done) : p_(std::move(p)), done_(std::move(done)) {}

  void on_start() override {
    for (std::size_t i = 0; i < p_.hosts; ++i) {
      const auto h = spawn<host>("host-" + std::to_string(i), p_.sink, weir::handle<weir::interface<host_done>>(self()));
      edges_.push_back(weir::connect<host_interface>(h, p_.policy));
    }
    self().send(produce_next{});
  }
  void on_message(produce_next&) override {
    if (r_.chunks == p_.chunks()) {
      for (auto& edge : edges_) (void)edge.send(end_of_stream{});  // a host that stopped has reported already
      return;
    }
    const std::uint64_t i = r_.chunks++;
    chunk c{static_cast<std::uint32_t>(i % p_.shards), i / p_.shards, {}};
    c.bytes.assign(std::min<std::uint64_t>(p_.chunk_bytes, p_.total_bytes - i * p_.chunk_bytes), std::byte(i));
    r_.bytes += c.bytes.size();
    host_digests_[c.shard % p_.hosts] = digest(host_digests_[c.shard % p_.hosts], c.bytes);
    auto& edge = edges_[c.shard % p_.hosts];
    if (edge.send(std::move(c)) != weir::send_result::ok) return;  // the host stopped: it reports
    r_.max_depth = std::max(r_.max_depth, edge.stats().depth);
    self().send(produce_next{});
  }
  void on_message(host_done& d) override {
    r_.hosts_finished += d.finished ? 1 : 0;
    r_.max_queued = std::max(r_.max_queued, d.max_queued);
    r_.out_of_order += d.out_of_order;
    if (++hosts_done_ < p_.hosts && d.finished) return;
    for (const auto& edge : edges_) r_.suspended += edge.stats().suspended, r_.suspensions += edge.stats().suspensions;
    for (const std::uint64_t d : host_digests_) r_.digest += d;
    if (done_) std::exchange(done_, std::nullopt)->set_value(r_);  // all done, or one failed
  }

 private:
  pipeline p_;
  std::optional<std::promise<coordinator_report>> done_;
  std::vector<weir::edge<host_interface>> edges_;  // per host
  std::vector<std::uint64_t> host_digests_ = std::vector<std::uint64_t>(p_.hosts, digest_start);
  coordinator_report r_;
  std::size_t hosts_done_ = 0;
};

struct tally {  ///< what a connection (or the sink, summed) read
  std::uint64_t bytes = 0, digest = 0;
};

/// Reads one host's connection to its end, digests the bytes and tells the sink.
class sink_connection final : public weir::actor<> {
 public:
  sink_connection(tcp::socket socket, weir::handle<weir::interface<tally>> sink)
      : socket_(std::move(socket)), sink_(sink) {}

  void on_start() override { read_some(); }

 private:
  void read_some() {
    socket_.async_read_some(asio::buffer(buffer_), guard([this](const error_code& error, std::size_t n) {
      got_.bytes += n;
      got_.digest = digest(got_.digest, std::span(buffer_.data(), n));
      if (!error) return read_some();
      sink_.send(got_);  // end of file: the host has closed (or a reset, which the tally shows)
      quit();
    }));
  }

  tcp::socket socket_;
  weir::handle<weir::interface<tally>> sink_;
  std::array<std::byte, 64 * 1024> buffer_;
  tally got_{0, digest_start};
};

/// The other end of the hosts' connections, on the same threads: accepts
/// `connections`, one sink_connection child each, and answers the promise
/// with their tallies summed once all have reported.
class sink final : public weir::actor<tally> {
 public:
  sink(tcp::acceptor acceptor, std::size_t connections, std::promise<tally> done)
      : acceptor_(std::move(acceptor)), left_(connections), done_(std::move(done)) {}

  void on_start() override { accept_next(); }
  void on_message(tally& t) override {
    total_.bytes += t.bytes, total_.digest += t.digest;
    if (--left_ == 0) done_.set_value(total_);
  }

 private:
  void accept_next() {
    acceptor_.async_accept(guard([this](const error_code& error, tcp::socket socket) {
      if (error) return;  // the acceptor closed
      spawn<sink_connection>("connection-" + std::to_string(++accepted_), std::move(socket),
                             weir::handle<weir::interface<tally>>(self()));
      accept_next();
    }));
  }

  tcp::acceptor acceptor_;
  std::size_t left_, accepted_ = 0;
  std::promise<tally> done_;
  tally total_;
};

}  // namespace shard_replicator
