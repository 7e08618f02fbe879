// Story S6, "many connections, few threads": the sample's echo server
// (samples/c10k/c10k_actors.hpp) on the manual system, its clients plain
// blocking sockets on loopback. On loopback a connect or a write has reached
// the peer's queue when the call returns, so every step below is ready when
// the test runs the system: no sleeps, no timing.
#include "c10k/c10k_actors.hpp"

#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
using c10k::tcp;

namespace {

constexpr std::size_t clients = 50;

struct fixture {
  weir::test::log_capture capture;
  weir::testing::manual_system t{capture.config()};
  std::shared_ptr<c10k::listener_stats> stats = std::make_shared<c10k::listener_stats>();
  tcp::endpoint at;
  std::int64_t idle = 0;  // live actors with the listener alone
  weir::handle<c10k::listener> listener;
  asio::io_context client_io;
  std::vector<tcp::socket> sockets;

  fixture() {
    tcp::acceptor acceptor(t.system.io_context(), tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    at = acceptor.local_endpoint();
    listener = t.system.spawn<c10k::listener>("listener", std::move(acceptor), stats);
    t.run_until_idle();
    idle = t.system.live_actors();
  }

  /// Runs the system until `done()`; a bound on rounds, not on time, fails a test that would hang.
  template <class Done>
  void run_until(Done done) {
    for (int round = 0; !done(); ++round) {
      REQUIRE(round < 100'000);
      t.run_until_idle();
    }
  }

  void connect_all() {
    for (std::size_t i = 0; i < clients; ++i) sockets.emplace_back(client_io).connect(at);
    run_until([&] { return t.system.live_actors() == idle + static_cast<std::int64_t>(clients); });
  }
};

}  // namespace

TEST_CASE("c10k: one actor per connection echoes its client's bytes exactly, and stops when the client closes") {
  fixture f;
  REQUIRE(f.idle == 1);
  f.connect_all();
  CHECK(f.stats->accepted.load() == clients);

  for (std::size_t i = 0; i < clients; ++i) {
    const std::string payload = c10k::payload_for(i);
    CAPTURE(i);
    REQUIRE(payload.size() >= 24);
    REQUIRE(payload.size() <= 120);  // most take two rounds through the 64-byte buffer
    asio::write(f.sockets[i], asio::buffer(payload));
    f.run_until([&] { return f.sockets[i].available() >= payload.size(); });
    std::string echoed(payload.size(), '\0');
    asio::read(f.sockets[i], asio::buffer(echoed));
    CHECK(echoed == payload);
  }
  // Every connection stays live while idle: one actor each, nothing else.
  f.t.run_until_idle();
  CHECK(f.t.system.live_actors() == f.idle + static_cast<std::int64_t>(clients));

  // The client half-closes: each actor sees the end of file, sends nothing
  // more (the client reads end of file, no stray byte) and stops.
  for (tcp::socket& s : f.sockets) s.shutdown(tcp::socket::shutdown_send);
  f.run_until([&] { return f.t.system.live_actors() == f.idle; });
  for (tcp::socket& s : f.sockets) {
    char stray = 0;
    boost::system::error_code error;
    CHECK(s.read_some(asio::buffer(&stray, 1), error) == 0);
    CHECK(error == asio::error::eof);
  }
  CHECK(f.stats->accepted.load() == clients);
  CHECK(f.stats->accept_errors.load() == 0);
  CHECK(f.t.system.crashes() == 0);
}

TEST_CASE("c10k: stopping the listener closes every connection it accepted (they are its children)") {
  fixture f;
  f.connect_all();
  f.listener.stop();
  f.run_until([&] { return f.listener.stopped(); });
  CHECK(f.t.system.live_actors() == 0);
  for (tcp::socket& s : f.sockets) {
    char byte = 0;
    boost::system::error_code error;
    s.read_some(asio::buffer(&byte, 1), error);  // the server end is closed: end of file, or a reset
    CHECK(error);
  }
  CHECK(f.t.system.crashes() == 0);
}
