#pragma once
// client.hpp — the load generator: N loopback connections driven fully
// asynchronously by one io_context on one thread, in a process of its own,
// which the server process steers over a channel.

#include "process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace c10k {

/// The longest any phase may take, in either process. No phase of a healthy
/// run comes anywhere near this, even under sanitizers.
inline constexpr std::chrono::seconds phase_timeout{60};
/// How long either process waits to hear from the other: the other's longest
/// phase, plus slack, so that a phase that times out is reported as such
/// before the wait for its report runs out.
inline constexpr std::chrono::seconds peer_timeout = phase_timeout + std::chrono::seconds(15);

/// How one phase went, over the connections it covered.
struct phase_result {
  std::size_t ok = 0;
  std::size_t failed = 0;
  bool timed_out = false;
  std::string first_error;  // "connection 17: connect: Connection refused"

  [[nodiscard]] bool all_ok(std::size_t expected) const { return ok == expected && failed == 0 && !timed_out; }
};

/// What the client process sends back: once when it starts, then once per
/// command. One line on the channel.
struct report {
  phase_result result;
  std::size_t rss_bytes = 0;     // the client process's RSS once the step is done
  std::size_t echoed_bytes = 0;  // payload bytes the echo step sent

  [[nodiscard]] std::string encode() const;
  /// Throws std::runtime_error on a malformed line.
  static report decode(const std::string& line);
};

/// Commands the server process sends, one line each; each is answered by
/// one report. "close" is the last: the client process exits after it.
namespace command {
std::string open(unsigned short port);  // create the sockets for the server at this loopback port
std::string connect(std::size_t from, std::size_t to);
std::string echo();
std::string close();
}  // namespace command

/// The client process's main: sends a first report, then carries out the
/// commands `server` sends until "close". Returns the exit status.
int run_client_process(channel& server, std::size_t connections);

/// Each phase starts its operations, then runs the client's io_context on the
/// calling thread until they have all completed or `timeout` has passed.
class client {
 public:
  /// Creates and opens `count` sockets, not yet connected. Throws system_error.
  void open(boost::asio::ip::tcp::endpoint server, std::size_t count);
  /// Connects sockets [from, to) concurrently.
  phase_result connect(std::size_t from, std::size_t to, std::chrono::seconds timeout);
  /// Sends every connection its own payload and checks the echo byte for byte.
  phase_result echo(std::chrono::seconds timeout);
  /// Half-closes every connection and waits for the server's EOF, which also
  /// proves it sent nothing beyond the echo. Then closes the sockets.
  phase_result close(std::chrono::seconds timeout);

  /// Payload bytes the last echo phase sent (and, if it succeeded, got back).
  [[nodiscard]] std::size_t echoed_bytes() const { return echoed_bytes_; }

  /// The payload of connection `index`: distinct (it starts with the index),
  /// 24 to 120 bytes, so most need several rounds through the server's
  /// 64-byte buffer. The rest is pseudo-random binary.
  static std::string payload_for(std::size_t index);

 private:
  struct peer {
    explicit peer(boost::asio::io_context& io) : socket(io) {}
    boost::asio::ip::tcp::socket socket;
    std::string sent;      // filled by the echo phase only
    std::string received;
  };

  phase_result run(std::chrono::seconds timeout);
  void fail(std::size_t index, const char* what, const boost::system::error_code& error = {});

  boost::asio::io_context io_{1};  // declared first: destroyed after the sockets
  boost::asio::ip::tcp::endpoint server_;
  std::vector<peer> peers_;
  phase_result result_;            // of the phase in progress
  std::size_t echoed_bytes_ = 0;
  // Where EOF is awaited. Shared: the client is single-threaded, and any byte
  // landing here is an error anyway.
  std::array<char, 16> scratch_{};
};

}  // namespace c10k
