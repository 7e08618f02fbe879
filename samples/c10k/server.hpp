#pragma once
// server.hpp — the echo server: a listener actor with one connection actor
// per accepted socket, all on the actor system's few threads.

#include <weir/actor.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <future>

namespace c10k {

using boost::asio::ip::tcp;

/// What the listener has done so far.
struct listener_stats {
  std::uint64_t accepted = 0;
  std::uint64_t accept_errors = 0;
};

/// Asks the listener for its stats; the answer arrives through the promise.
struct stats_query {
  std::promise<listener_stats> reply;
};

/// Echoes whatever its socket receives until the peer closes, then quits.
/// Driven by its socket alone, it accepts no messages.
///
/// Every completion goes through guard(), so it runs on this actor's strand
/// as a turn of the actor and is dropped once the actor has stopped (its
/// socket and buffer, members, are gone by then).
class connection final : public weir::actor<> {
 public:
  explicit connection(tcp::socket socket) : socket_(std::move(socket)) {}

  void on_start() override;

 private:
  void read_some();
  void echo(std::size_t n);  // writes buffer_[0, n) back, then reads again

  tcp::socket socket_;
  // Small on purpose: c10k connections are mostly idle, so the buffer is most
  // of what a connection costs beyond its socket. Longer messages simply
  // take several read/write rounds.
  std::array<std::byte, 64> buffer_{};
};

/// Owns the listening socket; spawns one `connection` child per accepted
/// socket. Children are part of its tree: stopping the listener (or the
/// system) stops them all first.
class listener final : public weir::actor<stats_query> {
 public:
  explicit listener(tcp::acceptor acceptor) : acceptor_(std::move(acceptor)) {}

  void on_start() override { accept_next(); }
  void on_message(stats_query& query) override { query.reply.set_value(stats_); }

 private:
  void accept_next();
  void on_accept_error(const boost::system::error_code& error);

  tcp::acceptor acceptor_;
  listener_stats stats_;
};

}  // namespace c10k
