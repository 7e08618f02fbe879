#include "host.hpp"


#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <span>
#include <utility>

namespace shard_replicator {

using boost::system::error_code;
namespace asio = boost::asio;

host::host(std::size_t index, asio::ip::tcp::endpoint sink, weir::handle<weir::interface<host_done>> coordinator)
    : index_(index), sink_(sink), coordinator_(std::move(coordinator)), socket_(executor()) {}

void host::on_start() {
  pause_inbox();  // chunks wait on the edge until there is somewhere to write them
  socket_.async_connect(sink_, guard([this](const error_code& error) {
    if (error) {
      finish("connecting to the sink: " + error.message());
      return;
    }
    connected_ = true;
    write_next();
  }));
}

void host::on_message(chunk& c) {
  queue_.push_back(std::move(c));
  max_queued_ = std::max(max_queued_, queue_.size());
  write_next();
}

void host::on_message(end_of_stream&) {
  ending_ = true;
  write_next();
}

void host::write_next() {
  if (!connected_ || writing_ || finished_) return;
  if (queue_.empty()) {
    if (ending_) {
      finish({});
    } else {
      resume_inbox();  // idle: let the next chunk in
    }
    return;
  }
  const chunk& next = queue_.front();
  header_ = frame_header{.shard = next.shard,
                         .seq = next.seq,
                         .length = static_cast<std::uint32_t>(next.bytes.bytes().size()),
                         .checksum = next.checksum}
                .encode();
  writing_ = true;
  pause_inbox();
  const std::span<const std::byte> bytes = next.bytes.bytes();  // Asio 1.81 takes no std::span
  const std::array<asio::const_buffer, 2> frame{asio::buffer(header_), asio::buffer(bytes.data(), bytes.size())};
  asio::async_write(socket_, frame, guard([this](const error_code& error, std::size_t) { on_written(error); }));
}

void host::on_written(const error_code& error) {
  writing_ = false;
  if (error) {
    finish("writing to the sink: " + error.message());
    return;
  }
  ++chunks_;
  bytes_ += queue_.front().bytes.bytes().size();
  queue_.pop_front();  // its bytes are in the kernel now: free them
  write_next();
}

// Stops the host. On success the send side is shut down first, so the sink
// reads end of file right after the last chunk.
void host::finish(std::string error) {
  finished_ = true;
  if (error.empty()) {
    error_code shutdown_error;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, shutdown_error);
    if (shutdown_error) error = "closing the connection: " + shutdown_error.message();
  }
  error_ = std::move(error);
  quit();
}

// Reported from on_stop because the runtime has settled this host's side of
// the edge by then (every message it handled is counted and its credit
// returned), so the coordinator reads final edge counters once all hosts
// have reported.
void host::on_stop() {
  if (!finished_) error_ = "stopped before its stream ended";
  (void)coordinator_.send(host_done{.host = index_,
                                    .chunks = chunks_,
                                    .bytes = bytes_,
                                    .max_queued = max_queued_,
                                    .error = std::move(error_)});
}

}  // namespace shard_replicator
