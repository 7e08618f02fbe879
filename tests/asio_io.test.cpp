#include <weir/actor.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <optional>
#include <string>

namespace asio = boost::asio;

namespace {

struct read_next {};

}  // namespace

TEST_CASE("Asio completions wrapped by guard() run as part of the actor, in order") {
  std::string got;
  weir::testing::manual_system t;
  asio::local::stream_protocol::socket a(t.system.io_context()), b(t.system.io_context());
  asio::local::connect_pair(a, b);

  struct pipe_reader : weir::actor<read_next> {
    std::string& got;
    asio::local::stream_protocol::socket sock;
    std::array<char, 16> buf{};
    pipe_reader(std::string& g, asio::local::stream_protocol::socket s) : got(g), sock(std::move(s)) {}
    void on_start() override {
      read_next first;
      on_message(first);
    }
    void on_message(read_next&) override {
      sock.async_read_some(asio::buffer(buf), guard([this](boost::system::error_code ec, std::size_t n) {
        if (ec) return;
        got.append(buf.data(), n);
        (void)self().send(read_next{});
      }));
    }
  };
  auto r = t.system.spawn<pipe_reader>("reader", got, std::move(b));
  t.run_until_idle();
  asio::write(a, asio::buffer(std::string("hello ")));
  t.run_until_idle();
  asio::write(a, asio::buffer(std::string("world")));
  t.run_until_idle();
  CHECK(got == "hello world");
  CHECK(r.handled() >= 2);  // each completion asked for the next read by message
}

TEST_CASE("a guarded completion after the actor stopped is skipped") {
  std::string got;
  weir::testing::manual_system t;
  asio::local::stream_protocol::socket a(t.system.io_context()), b(t.system.io_context());
  asio::local::connect_pair(a, b);
  int ran = 0;
  struct late : weir::actor<read_next> {
    int& ran;
    asio::local::stream_protocol::socket& sock;
    std::array<char, 4> buf{};
    late(int& r, asio::local::stream_protocol::socket& s) : ran(r), sock(s) {}
    void on_start() override {
      sock.async_read_some(asio::buffer(buf), guard([this](boost::system::error_code, std::size_t) { ++ran; }));
    }
    void on_message(read_next&) override {}
  };
  auto l = t.system.spawn<late>("late", ran, b);
  t.run_until_idle();
  l.stop();
  t.run_until_idle();
  REQUIRE(l.stopped());
  asio::write(a, asio::buffer(std::string("data")));  // completes the pending read
  t.run_until_idle();
  CHECK(ran == 0);
}

TEST_CASE("an exception in a guarded completion is a crash of that actor") {
  weir::test::log_capture capture;
  weir::system_config config;
  config.logger = capture.logger;
  weir::testing::manual_system t(config);
  asio::local::stream_protocol::socket a(t.system.io_context()), b(t.system.io_context());
  asio::local::connect_pair(a, b);
  struct thrower : weir::actor<read_next> {
    asio::local::stream_protocol::socket& sock;
    std::array<char, 4> buf{};
    explicit thrower(asio::local::stream_protocol::socket& s) : sock(s) {}
    void on_start() override {
      sock.async_read_some(asio::buffer(buf), guard([](boost::system::error_code, std::size_t) {
        throw std::runtime_error("bad frame");
      }));
    }
    void on_message(read_next&) override {}
  };
  auto th = t.system.spawn<thrower>("thrower", b);
  t.run_until_idle();
  asio::write(a, asio::buffer(std::string("data")));
  t.run_until_idle();
  CHECK(th.stopped());
  CHECK(t.system.crashes() == 1);
  CHECK(capture.contains("actor /thrower crashed in an Asio completion: std::runtime_error: bad frame"));
}
