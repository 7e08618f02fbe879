#pragma once
// sink.hpp — the other end of the hosts' connections: a loopback TCP server
// that reads every byte, checks every chunk and tallies each shard. It runs
// as actors in the same system as the pipeline, on the same few threads, so
// the run also shows that a suspended coordinator never takes a thread away
// from the code that drains its hosts' sockets.

#include "messages.hpp"
#include "shards.hpp"

#include <weir/actor.hpp>
#include <weir/handle.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace shard_replicator {

/// Everything the sink received, once every connection has ended.
struct sink_report {
  std::vector<shard_tally> shards;  // indexed by shard
  std::uint64_t chunks = 0;
  std::uint64_t bytes = 0;
  std::string error;                // empty if every chunk checked out
};

/// Reads one host's connection frame by frame until end of file: each
/// chunk's checksum must match its header, and each shard's chunks must come
/// in order from 0. Reports to the sink, then quits.
///
/// Every completion goes through guard(): it runs on this actor's strand and
/// is dropped once the actor has stopped (its socket and buffers are gone).
class sink_connection final : public weir::actor<> {
 public:
  sink_connection(boost::asio::ip::tcp::socket socket, weir::handle<weir::interface<connection_tally>> sink,
                  std::size_t shards, std::size_t max_chunk_bytes);

  void on_start() override { read_header(); }

 private:
  void read_header();
  void on_header(const boost::system::error_code& error, std::size_t n);
  void read_payload();
  void on_payload(const boost::system::error_code& error);
  void finish(std::string error);

  boost::asio::ip::tcp::socket socket_;
  const weir::handle<weir::interface<connection_tally>> sink_;
  frame_header::wire header_bytes_{};
  frame_header header_;               // of the chunk being read
  std::vector<std::byte> buffer_;     // one chunk, reused: the sink holds no more
  connection_tally tally_;
};

/// Accepts exactly `connections` connections, one sink_connection child
/// each, and merges their tallies. The promise is answered once all have
/// reported, or at the first failure.
class sink final : public weir::actor<connection_tally> {
 public:
  sink(boost::asio::ip::tcp::acceptor acceptor, std::size_t connections, std::size_t shards,
       std::size_t max_chunk_bytes, std::promise<sink_report> done);

  void on_start() override { accept_next(); }
  void on_message(connection_tally& t) override;

 private:
  void accept_next();
  void fail(std::string why);
  void deliver();

  boost::asio::ip::tcp::acceptor acceptor_;
  const std::size_t connections_;
  const std::size_t shards_;
  const std::size_t max_chunk_bytes_;
  std::optional<std::promise<sink_report>> done_;  // empty once delivered
  sink_report report_;
  std::size_t accepted_ = 0;
  std::size_t reported_ = 0;
};

}  // namespace shard_replicator
