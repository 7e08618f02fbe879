#include <weir/insight/http_server.hpp>

#include <weir/insight/history.hpp>
#include <weir/insight/json.hpp>
#include <weir/insight/metrics.hpp>
#include <weir/insight/page.hpp>
#include <weir/system.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/logger.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace weir::insight {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// A browser keeps a connection open between refreshes; one it forgot must
// not hold a socket for ever.
constexpr std::chrono::seconds idle_timeout{30};
// Only GETs are served: a client sending more than this is not the page.
constexpr std::uint64_t max_body = 4096;
// What the page may load: nothing but itself and its own JSON.
constexpr std::string_view page_policy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'";

std::string_view view(beast::string_view s) { return {s.data(), s.size()}; }

bool loopback_host(std::string_view host, std::uint16_t port) {
  if (host.empty()) return true;  // HTTP/1.0: no Host, no rebinding either
  const std::string with_port = ":" + std::to_string(port);
  for (std::string_view name : {"127.0.0.1", "localhost"}) {
    if (host == name) return true;
    if (host.size() == name.size() + with_port.size() && host.substr(0, name.size()) == name &&
        host.substr(name.size()) == with_port) {
      return true;
    }
  }
  return false;
}

response make_response(http::status status, unsigned version, bool keep_alive, std::string_view type,
                       std::string body) {
  response res{status, version};
  res.set(http::field::server, "weir-insight");
  res.set(http::field::content_type, type);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

const http_server_config& validated(const http_server_config& config) {
  if (config.sample_period < std::chrono::milliseconds::zero()) {
    throw std::invalid_argument("http_server_config::sample_period must be >= 0");
  }
  if (config.history_samples == 0) throw std::invalid_argument("http_server_config::history_samples must be >= 1");
  validate(config.metrics);
  return config;
}

response text_response(http::status status, const request& req, std::string body) {
  return make_response(status, req.version(), req.keep_alive(), "text/plain; charset=utf-8", std::move(body) + "\n");
}

// What a session asks of the server: the answer to one request.
class responder {
 public:
  virtual response respond(const request& req) = 0;

 protected:
  ~responder() = default;
};

}  // namespace

struct http_server::impl final : responder {
  impl(const weir::system& sys, const http_server_config& cfg);

  void accept();
  void start_sampling();
  void wait_for_sample();
  void sample();
  void run();
  response respond(const request& req) override;

  const weir::system& system;
  const http_server_config config;
  insight::history history;
  // Declared before the sockets and timers, so it outlives them; its
  // destructor frees the handlers still pending, and the sessions they own.
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  asio::steady_timer sampler{io};
  asio::steady_timer accept_retry{io};
  std::uint16_t port = 0;
  std::thread thread;
};

namespace {

// One connection: read a request, answer it, again while the client keeps it
// alive. Owned by its pending operation (shared_from_this); single-threaded,
// on the server's io_context.
class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, responder& server) : stream_(std::move(socket)), server_(server) {}

  void read() {
    parser_.emplace();
    parser_->body_limit(max_body);
    stream_.expires_after(idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return close();
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
      return write(make_response(http::status::bad_request, 11, false, "text/plain; charset=utf-8",
                                 "bad request: " + ec.message() + "\n"));
    }
    if (ec) return;  // timed out or reset: nothing to answer
    write(server_.respond(parser_->get()));
  }

  void write(response res) {
    response_ = std::move(res);
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (self->response_.keep_alive()) return self->read();
      self->close();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  responder& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;  // fresh per request
  response response_;  // alive until its write completes
};

}  // namespace

http_server::impl::impl(const weir::system& sys, const http_server_config& cfg)
    : system(sys), config(validated(cfg)), history(cfg.history_samples) {
  const tcp::endpoint at(asio::ip::make_address_v4("127.0.0.1"), cfg.port);
  acceptor.open(at.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  acceptor.bind(at);
  acceptor.listen();
  port = acceptor.local_endpoint().port();
}

void http_server::impl::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      std::make_shared<session>(std::move(socket), *this)->read();
      return accept();
    }
    // Out of file descriptors, typically: try again shortly rather than spin.
    system.log().warn("insight: accept failed: {}", ec.message());
    accept_retry.expires_after(std::chrono::milliseconds(100));
    accept_retry.async_wait([this](beast::error_code retry) {
      if (!retry) accept();
    });
  });
}

void http_server::impl::sample() {
  try {
    history.add(system.snapshot());
  } catch (const std::exception& e) {
    system.log().warn("insight: sampling failed: {}", e.what());
  }
}

void http_server::impl::start_sampling() {
  if (config.sample_period == std::chrono::milliseconds::zero()) return;
  sample();  // here, so that /history.json is never empty once the constructor returns
  sampler.expires_after(config.sample_period);
  wait_for_sample();
}

void http_server::impl::wait_for_sample() {
  sampler.async_wait([this](beast::error_code ec) {
    if (ec) return;
    sample();
    // At a fixed rate, but after a stall (a suspended laptop) resume from
    // now instead of firing every missed sample at once.
    sampler.expires_at(std::max(sampler.expiry() + config.sample_period, asio::steady_timer::clock_type::now()));
    wait_for_sample();
  });
}

void http_server::impl::run() {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      system.log().error("insight: server thread: {}", e.what());
    }
  }
}

response http_server::impl::respond(const request& req) {
  const std::string_view target = [&] {
    const std::string_view t = view(req.target());
    return t.substr(0, t.find('?'));  // the page may add a query to defeat caches
  }();
  if (!loopback_host(view(req[http::field::host]), port)) {
    return text_response(http::status::forbidden, req, "forbidden: the Host must be 127.0.0.1 or localhost");
  }
  if (req.method() != http::verb::get) {
    response res = text_response(http::status::method_not_allowed, req, "method not allowed: only GET");
    res.set(http::field::allow, "GET");
    return res;
  }
  try {
    if (target == "/") {
      response res = make_response(http::status::ok, req.version(), req.keep_alive(), "text/html; charset=utf-8",
                                   std::string(page));
      res.set("Content-Security-Policy", page_policy);
      return res;
    }
    if (target == "/snapshot.json") {
      return make_response(http::status::ok, req.version(), req.keep_alive(), "application/json",
                           boost::json::serialize(snapshot_json(system)));
    }
    if (target == "/metrics") {
      return make_response(http::status::ok, req.version(), req.keep_alive(), "text/plain; version=0.0.4; charset=utf-8",
                           metrics_text(system, config.metrics));
    }
    if (target == "/history.json") {
      return make_response(http::status::ok, req.version(), req.keep_alive(), "application/json",
                           boost::json::serialize(history.to_json()));
    }
  } catch (const std::exception& e) {
    system.log().warn("insight: {} failed: {}", target, e.what());
    return text_response(http::status::internal_server_error, req, "internal error");
  }
  return text_response(http::status::not_found, req, "not found: " + std::string(target));
}

http_server::http_server(const weir::system& system, http_server_config config)
    : impl_(std::make_unique<impl>(system, config)) {
  impl_->accept();
  impl_->start_sampling();
  impl_->thread = std::thread([server = impl_.get()] { server->run(); });
  system.log().info("insight: serving http://127.0.0.1:{}/", impl_->port);
}

http_server::~http_server() {
  // Stopping (not closing) abandons every pending operation at once; the
  // io_context's destructor, last, then frees them and their sessions.
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t http_server::port() const noexcept { return impl_->port; }

void http_server::sample_now() { impl_->sample(); }

}  // namespace weir::insight
