#pragma once
// weir/insight/http_server.hpp — a local web page and JSON endpoints that show a running system.

#include <weir/insight/metrics_config.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace weir {
class system;
}

namespace weir::insight {

/// Settings of an http_server. Invalid values are rejected by its
/// constructor with std::invalid_argument naming the field.
struct http_server_config {
  /// TCP port on 127.0.0.1; 0 lets the kernel pick a free one (see port()).
  std::uint16_t port = 0;
  /// How often /history.json gets a sample of every actor's queue depth:
  /// once in the constructor, then every period (real time, on the server's
  /// thread). Zero: only when sample_now() is called, which is how tests
  /// drive it. Must be >= 0.
  std::chrono::milliseconds sample_period{1000};
  /// Samples kept: the span of the page's sparklines. Must be >= 1.
  std::size_t history_samples = 120;
  /// The labels /metrics may use (see metrics_config).
  metrics_config metrics{};
};

/// An HTTP/1.1 server on 127.0.0.1 only, for a person looking at a system
/// while it runs:
///
///     GET /               the page: actor tree, states, sparklines, cycles, lints
///     GET /snapshot.json  system.snapshot() as insight::to_json writes it
///     GET /history.json   queue depth samples (insight::history::to_json)
///     GET /metrics        Prometheus text exposition (insight::metrics_text)
///
/// anything else is 404, a method other than GET 405. A request whose Host
/// is not 127.0.0.1 or localhost is refused (403): a web page elsewhere
/// cannot read the system through DNS rebinding.
///
/// It runs its own io_context on a thread of its own, so it keeps answering
/// however busy the actors are; reading a snapshot costs the actors nothing
/// (see system::snapshot). It logs through system.log(), never to stdout.
///
///     weir::insight::http_server insight(sys, {.port = 8642});
///     // open http://127.0.0.1:8642/ while sys runs
///
/// Lifetime: the server must be destroyed before `system`. The destructor
/// closes every connection and joins the server's thread.
///
/// Thread safety: port() and sample_now() from any thread.
class http_server {
 public:
  /// Binds and listens before returning, so a client may connect at once.
  /// Throws boost::system::system_error if the port cannot be bound, and
  /// std::invalid_argument naming an invalid config field.
  explicit http_server(const weir::system& system, http_server_config config = {});
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// The port bound: config.port, or the one the kernel picked for 0.
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// Adds one sample to /history.json now, on the calling thread.
  void sample_now();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace weir::insight
