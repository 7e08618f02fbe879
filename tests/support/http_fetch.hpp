#pragma once
// http_fetch.hpp — one blocking HTTP/1.1 request to a local server, for tests.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace weir::test {

struct http_reply {
  unsigned status = 0;
  std::string content_type;
  std::string allow;
  std::string body;
  bool keep_alive = false;
};

/// A connection to 127.0.0.1:port that sends requests one after another.
class http_client {
 public:
  explicit http_client(std::uint16_t port) : port_(port), stream_(io_) {
    stream_.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), port));
  }

  /// Sends one request and reads its answer. `host` empty: "127.0.0.1:port".
  http_reply request(boost::beast::http::verb method, const std::string& target, std::string host = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, host.empty() ? "127.0.0.1:" + std::to_string(port_) : host);
    req.keep_alive(true);
    if (method == http::verb::post) req.body() = "x=1";
    req.prepare_payload();
    http::write(stream_, req);
    http::response<http::string_body> res;
    http::read(stream_, buffer_, res);
    return {res.result_int(), std::string(res[http::field::content_type]), std::string(res[http::field::allow]),
            std::move(res.body()), res.keep_alive()};
  }
  http_reply get(const std::string& target) { return request(boost::beast::http::verb::get, target); }

  boost::beast::tcp_stream& stream() { return stream_; }

 private:
  std::uint16_t port_;
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

/// GET `target` on a connection of its own.
inline http_reply http_get(std::uint16_t port, const std::string& target) { return http_client(port).get(target); }

}  // namespace weir::test
