#include "sink.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/read.hpp>

#include <utility>

namespace shard_replicator {

using boost::asio::ip::tcp;
using boost::system::error_code;
namespace asio = boost::asio;

// ---------------------------------------------------------------------------
// sink_connection

sink_connection::sink_connection(tcp::socket socket, weir::handle<weir::interface<connection_tally>> sink,
                                 std::size_t shards, std::size_t max_chunk_bytes)
    : socket_(std::move(socket)), sink_(std::move(sink)), buffer_(max_chunk_bytes) {
  tally_.shards.resize(shards);
}

void sink_connection::read_header() {
  asio::async_read(socket_, asio::buffer(header_bytes_),
                   guard([this](const error_code& error, std::size_t n) { on_header(error, n); }));
}

void sink_connection::on_header(const error_code& error, std::size_t n) {
  if (error == asio::error::eof && n == 0) {  // the host closed between two frames: all there
    finish({});
    return;
  }
  if (error) {
    finish("reading a frame header: " + error.message());
    return;
  }
  const std::optional<frame_header> header = frame_header::decode(header_bytes_);
  if (!header) {
    finish("a frame header with a bad magic number, after " + std::to_string(tally_.chunks) + " chunks");
    return;
  }
  const std::string where = "shard " + std::to_string(header->shard) + " chunk " + std::to_string(header->seq);
  if (header->shard >= tally_.shards.size()) {
    finish(where + ": no such shard");
  } else if (header->length > buffer_.size()) {
    finish(where + ": " + std::to_string(header->length) + " bytes, more than a chunk");
  } else if (header->seq != tally_.shards[header->shard].chunks) {
    finish(where + ": out of order, expected chunk " + std::to_string(tally_.shards[header->shard].chunks));
  } else {
    header_ = *header;
    read_payload();
  }
}

void sink_connection::read_payload() {
  asio::async_read(socket_, asio::buffer(buffer_.data(), header_.length),
                   guard([this](const error_code& error, std::size_t) { on_payload(error); }));
}

void sink_connection::on_payload(const error_code& error) {
  const std::string where = "shard " + std::to_string(header_.shard) + " chunk " + std::to_string(header_.seq);
  if (error) {
    finish(where + ": reading the payload: " + error.message());
    return;
  }
  const std::uint64_t sum = checksum({buffer_.data(), header_.length});
  if (sum != header_.checksum) {
    finish(where + ": checksum mismatch");
    return;
  }
  tally_.shards[header_.shard].add(sum, header_.length);
  ++tally_.chunks;
  tally_.bytes += header_.length;
  read_header();
}

void sink_connection::finish(std::string error) {
  tally_.error = std::move(error);
  sink_.send(std::move(tally_));
  quit();
}

// ---------------------------------------------------------------------------
// sink

sink::sink(tcp::acceptor acceptor, std::size_t connections, std::size_t shards, std::size_t max_chunk_bytes,
           std::promise<sink_report> done)
    : acceptor_(std::move(acceptor)),
      connections_(connections),
      shards_(shards),
      max_chunk_bytes_(max_chunk_bytes),
      done_(std::move(done)) {
  report_.shards.resize(shards);
}

// The acceptor was made on the system's io_context before this actor existed
// (so that the port was known up front); guard() still runs its completions
// on this actor's strand.
void sink::accept_next() {
  if (accepted_ == connections_) {
    error_code ignored;
    acceptor_.close(ignored);  // one connection per host, no more
    return;
  }
  acceptor_.async_accept(guard([this](const error_code& error, tcp::socket socket) {
    if (error) {
      fail("accepting a host's connection: " + error.message());
      return;
    }
    ++accepted_;
    (void)spawn<sink_connection>("conn-" + std::to_string(accepted_), std::move(socket),
                                 weir::handle<weir::interface<connection_tally>>(self()), shards_, max_chunk_bytes_);
    accept_next();
  }));
}

void sink::on_message(connection_tally& t) {
  if (!t.error.empty()) {
    fail(std::move(t.error));
    return;
  }
  for (std::size_t shard = 0; shard < shards_; ++shard) {
    if (t.shards[shard].chunks == 0) continue;
    if (report_.shards[shard].chunks != 0) {
      fail("shard " + std::to_string(shard) + " arrived on two connections");
      return;
    }
    report_.shards[shard] = t.shards[shard];
  }
  report_.chunks += t.chunks;
  report_.bytes += t.bytes;
  if (++reported_ == connections_) deliver();
}

void sink::fail(std::string why) {
  if (report_.error.empty()) report_.error = std::move(why);
  deliver();
}

void sink::deliver() {
  if (!done_) return;
  done_->set_value(std::move(report_));
  done_.reset();
}

}  // namespace shard_replicator
