#include <weir/actor.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_system.hpp>

#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <functional>
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
        self().send(read_next{});
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
  // The socket and the buffer belong to the test, so they outlive the actor
  // (an actor owning its socket would cancel its reads by closing it).
  std::array<char, 4> buf{};
  struct late : weir::actor<read_next> {
    int& ran;
    asio::local::stream_protocol::socket& sock;
    std::array<char, 4>& buf;
    late(int& r, asio::local::stream_protocol::socket& s, std::array<char, 4>& b) : ran(r), sock(s), buf(b) {}
    void on_start() override {
      sock.async_read_some(asio::buffer(buf), guard([this](boost::system::error_code, std::size_t) { ++ran; }));
    }
    void on_message(read_next&) override {}
  };
  auto l = t.system.spawn<late>("late", ran, b, buf);
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
  std::array<char, 4> buf{};
  struct thrower : weir::actor<read_next> {
    asio::local::stream_protocol::socket& sock;
    std::array<char, 4>& buf;
    thrower(asio::local::stream_protocol::socket& s, std::array<char, 4>& b) : sock(s), buf(b) {}
    void on_start() override {
      sock.async_read_some(asio::buffer(buf), guard([](boost::system::error_code, std::size_t) {
        throw std::runtime_error("bad frame");
      }));
    }
    void on_message(read_next&) override {}
  };
  auto th = t.system.spawn<thrower>("thrower", b, buf);
  t.run_until_idle();
  asio::write(a, asio::buffer(std::string("data")));
  t.run_until_idle();
  CHECK(th.stopped());
  CHECK(t.system.crashes() == 1);
  CHECK(capture.contains("actor /thrower crashed in an Asio completion: std::runtime_error: bad frame"));
}

TEST_CASE("every step scheduled on a guarded handler's executor is dropped once the actor stopped") {
  // Composed operations (async_write, async_read_until...) run their
  // intermediate steps on the handler's associated executor; this is the
  // property that keeps them away from sockets a stopped actor destroyed.
  struct holder : weir::actor<> {
    std::function<void(std::function<void()>)>* post_step;
    explicit holder(std::function<void(std::function<void()>)>* p) : post_step(p) {}
    void on_start() override {
      auto executor = asio::get_associated_executor(guard([] {}));
      *post_step = [executor](std::function<void()> step) { asio::post(executor, std::move(step)); };
    }
  };
  weir::testing::manual_system t;
  std::function<void(std::function<void()>)> post_step;
  auto h = t.system.spawn<holder>("holder", &post_step);
  t.run_until_idle();
  REQUIRE(post_step);
  int ran = 0;
  post_step([&] { ++ran; });
  t.run_until_idle();
  CHECK(ran == 1);
  h.stop();
  t.run_until_idle();
  post_step([&] { ++ran; });
  t.run_until_idle();
  CHECK(ran == 1);
}

TEST_CASE("a multi-megabyte async_write through guard() completes on the actor") {
  weir::testing::manual_system t;
  asio::local::stream_protocol::socket a(t.system.io_context()), b(t.system.io_context());
  asio::local::connect_pair(a, b);
  const std::string payload(4 << 20, 'x');  // far beyond the socket buffer: many steps
  std::size_t written = 0;
  struct writer : weir::actor<> {
    asio::local::stream_protocol::socket sock;
    const std::string& data;
    std::size_t& written;
    writer(asio::local::stream_protocol::socket s, const std::string& d, std::size_t& w)
        : sock(std::move(s)), data(d), written(w) {}
    void on_start() override {
      asio::async_write(sock, asio::buffer(data), guard([this](boost::system::error_code ec, std::size_t n) {
        if (!ec) written = n;
        quit();
      }));
    }
  };
  auto w = t.system.spawn<writer>("writer", std::move(a), payload, written);
  std::string received;
  std::array<char, 65536> chunk{};
  while (received.size() < payload.size()) {
    t.run_until_idle();
    boost::system::error_code ec;
    const std::size_t n = b.read_some(asio::buffer(chunk), ec);
    REQUIRE_FALSE(ec);
    received.append(chunk.data(), n);
  }
  t.run_until_idle();
  CHECK(received == payload);
  CHECK(written == payload.size());
  CHECK(w.stopped());
}
