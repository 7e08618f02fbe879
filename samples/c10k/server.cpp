#include "server.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

namespace c10k {

using boost::system::error_code;

// ---------------------------------------------------------------------------
// connection

void connection::on_start() {
  // Echoes are tiny and latency-bound; never let Nagle hold one back.
  error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  read_some();
}

void connection::read_some() {
  socket_.async_read_some(boost::asio::buffer(buffer_), guard([this](const error_code& error, std::size_t n) {
    if (error) {  // EOF (the client is done) or a real error: either way this connection is over
      quit();
      return;
    }
    echo(n);
  }));
}

// A plain async_write: guard() binds its intermediate writes to the strand
// too, so none of them touches socket_ once the actor has stopped.
void connection::echo(std::size_t n) {
  boost::asio::async_write(socket_, boost::asio::buffer(buffer_.data(), n),
                           guard([this](const error_code& error, std::size_t) {
                             if (error) {
                               quit();
                               return;
                             }
                             read_some();
                           }));
}

// ---------------------------------------------------------------------------
// listener

void listener::accept_next() {
  // The socket is accepted here and moved into the child, so it is created on
  // the system's io_context rather than on the child's strand (the child does
  // not exist before spawn). That is fine: an executor only decides where
  // completions run, and the child binds every completion to its own strand
  // with guard().
  acceptor_.async_accept(guard([this](const error_code& error, tcp::socket socket) {
    if (error) {
      on_accept_error(error);
      return;
    }
    ++stats_.accepted;
    // Spawned from within our turn, the child is linked into our tree before
    // it runs. Its handle is not kept: holding 10,000 handles would keep
    // 10,000 stopped cells alive for nothing.
    (void)spawn<connection>("conn-" + std::to_string(stats_.accepted), std::move(socket));
    accept_next();
  }));
}

void listener::on_accept_error(const error_code& error) {
  if (error == boost::asio::error::operation_aborted) return;  // the acceptor was closed
  ++stats_.accept_errors;
  // Out of descriptors or memory: the connection stays queued in the kernel,
  // so accepting again at once would just spin. Back off briefly instead.
  const bool exhausted = error == boost::asio::error::no_descriptors ||
                         error == boost::system::errc::too_many_files_open_in_system ||
                         error == boost::asio::error::no_buffer_space ||
                         error == boost::asio::error::no_memory;
  log().warn("c10k: accept failed: {}{}", error.message(), exhausted ? "; retrying in 50 ms" : "");
  if (exhausted) {
    (void)start_timer(std::chrono::milliseconds(50), [this] { accept_next(); });
  } else {
    accept_next();  // e.g. the peer gave up before we accepted: not our problem
  }
}

}  // namespace c10k
