#pragma once
// host.hpp — one replica host: owns one TCP connection to the sink and writes
// the chunks the coordinator sends it, one at a time, as fast as the socket
// takes them.

#include "messages.hpp"

#include <weir/actor.hpp>
#include <weir/handle.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

namespace shard_replicator {

/// Writes each chunk with one async_write and takes the next only when that
/// write has completed, so the host is exactly as slow as its socket and the
/// chunks it has not taken yet wait in its inbox, where the coordinator's
/// bounded edge counts them.
///
/// Pacing the inbox. Credit on a bounded edge returns when the receiver's
/// handler returns, and an asynchronous write outlives the handler that
/// starts it. A host that simply queued chunks locally while a write is in
/// flight would consume its inbox at memory speed, hand the credit straight
/// back, and hoard the whole input. So while a write (or the connect) is in
/// flight the host pauses its inbox (actor_base::pause_inbox): chunks stay
/// on the edge, unconsumed, and credit flows back only as fast as the socket
/// drains. The pause takes effect before the next message, so the local
/// queue never holds more than the chunk being written. With an unbounded
/// edge nothing bounds the inbox, which is the point of --unbounded.
///
/// Every Asio completion goes through guard(): it runs on the host's strand,
/// and is dropped once the host has stopped (its socket is gone by then).
class host final : public weir::actor<chunk, end_of_stream> {
 public:
  host(std::size_t index, boost::asio::ip::tcp::endpoint sink,
       weir::handle<weir::interface<host_done>> coordinator);

  void on_start() override;
  void on_message(chunk& c) override;
  void on_message(end_of_stream&) override;
  void on_stop() override;

 private:
  void write_next();  // starts the next write if possible; closes when done
  void on_written(const boost::system::error_code& error);
  void finish(std::string error);

  const std::size_t index_;
  const boost::asio::ip::tcp::endpoint sink_;
  const weir::handle<weir::interface<host_done>> coordinator_;
  boost::asio::ip::tcp::socket socket_;

  std::deque<chunk> queue_;           // front() is being written while writing_
  frame_header::wire header_{};       // of the chunk being written
  bool connected_ = false;
  bool writing_ = false;
  bool ending_ = false;               // end_of_stream received
  bool finished_ = false;             // done writing, or failed: stopping
  std::string error_;                 // why it failed, if it did
  std::uint64_t chunks_ = 0;          // written so far
  std::uint64_t bytes_ = 0;
  std::size_t max_queued_ = 0;
};

}  // namespace shard_replicator
