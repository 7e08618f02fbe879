#pragma once
// c10k_actors.hpp — the actors of story S6, "many connections, few threads":
// an echo server with one actor per accepted TCP connection. Shared by the
// sample (main.cpp) and its test (tests/samples/c10k.test.cpp).

#include <weir/actor.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/logger.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace c10k {

using boost::asio::ip::tcp;
using boost::system::error_code;

/// What the listener has done, readable from any thread.
struct listener_stats {
  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> accept_errors{0};
};

/// Echoes whatever its socket receives until the peer closes, then quits. It
/// takes no messages: its socket drives it. Every completion goes through
/// guard(), so it runs on this actor's strand as one of its turns, and is
/// dropped once the actor has stopped (its socket and buffer are gone then).
class connection final : public weir::actor<> {
 public:
  explicit connection(tcp::socket socket) : socket_(std::move(socket)) {}

  void on_start() override {
    error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);  // echoes are tiny: never let Nagle hold one back
    read_some();
  }

 private:
  void read_some() {
    socket_.async_read_some(boost::asio::buffer(buffer_), guard([this](const error_code& error, std::size_t n) {
      if (error) return quit();  // end of file (the client is done) or a real error: this connection is over
      boost::asio::async_write(socket_, boost::asio::buffer(buffer_.data(), n),
                               guard([this](const error_code& error, std::size_t) { error ? quit() : read_some(); }));
    }));
  }

  tcp::socket socket_;
  // Small on purpose: mostly idle connections are the point, and the buffer is
  // most of what one costs beyond its socket. Longer messages take more rounds.
  std::array<std::byte, 64> buffer_{};
};

/// Owns the listening socket and spawns one `connection` child per accepted
/// socket. Its children are part of its tree: stopping the listener (or the
/// system) stops them all first.
class listener final : public weir::actor<> {
 public:
  listener(tcp::acceptor acceptor, std::shared_ptr<listener_stats> stats)
      : acceptor_(std::move(acceptor)), stats_(std::move(stats)) {}

  void on_start() override { accept_next(); }

 private:
  void accept_next() {
    acceptor_.async_accept(guard([this](const error_code& error, tcp::socket socket) {
      if (error == boost::asio::error::operation_aborted) return;  // the acceptor was closed
      if (error) return back_off(error);
      // Spawned within our turn, the child is in our tree before it runs. Its
      // handle is not kept: 10,000 handles would keep 10,000 stopped cells alive.
      spawn<connection>("conn-" + std::to_string(stats_->accepted.fetch_add(1) + 1), std::move(socket));
      accept_next();
    }));
  }

  // Out of descriptors, say: the connection stays queued in the kernel, and
  // accepting again at once would only spin.
  void back_off(const error_code& error) {
    stats_->accept_errors.fetch_add(1);
    log().warn("c10k: accept failed: {}; retrying in 50 ms", error.message());
    start_timer(std::chrono::milliseconds(50), [this] { accept_next(); });
  }

  tcp::acceptor acceptor_;
  std::shared_ptr<listener_stats> stats_;
};

/// Connection `index`'s payload: distinct (it starts with the index), 24 to
/// 120 bytes, so most take several rounds through the 64-byte buffer.
inline std::string payload_for(std::size_t index) {
  std::string payload = "c10k#" + std::to_string(index) + ":";
  auto x = static_cast<std::uint32_t>(index * 2654435761u + 1);  // xorshift32, never seeded with 0
  while (payload.size() < 24 + (index * 7919) % 97) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    payload.push_back(static_cast<char>(x & 0xffu));
  }
  return payload;
}

}  // namespace c10k
