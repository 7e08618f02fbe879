// c10k — sample S6, "many connections, few threads".
//
// A TCP echo server in which every accepted connection is an actor, and a
// client that opens N loopback connections to it (10,000 by default), has
// each one echo a distinct payload, and closes them, while the server
// measures what a connection costs it in memory.
//
//     c10k [--connections N] [--threads T]
//
// Two processes: the program forks first thing, while it still has a single
// thread. The parent is the server (a weir actor system, one thread per core
// by default) and prints everything; the child is the client (one io_context
// on one thread), which the parent steers step by step over a socketpair and
// which reports back after each step (see client.hpp). So each process needs
// only one descriptor per connection, and each measures only its own memory.
// Every wait is bounded; the client dies with the server, and the server
// reaps the client and reports how it ended.
//
// stdout ends with "c10k weir: <bytes> B/connection": the server process's
// RSS growth per connection while all are open. Exit status 0 only if every
// echo was verified, every connection actor stopped once its client had
// closed, and the client process exited with status 0.

#include "client.hpp"
#include "process.hpp"
#include "server.hpp"

#include <weir/system.hpp>

#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include <unistd.h>

namespace {

using c10k::phase_timeout;
using c10k::tcp;
using steady = std::chrono::steady_clock;

// How long the client process gets to exit once the server is done with it.
constexpr std::chrono::seconds exit_timeout{10};

struct options {
  std::size_t connections = 10'000;
  std::size_t threads = weir::system_config::default_threads();
};

std::optional<options> parse_options(int argc, char** argv) {
  options parsed;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    std::size_t* target = flag == "--connections" ? &parsed.connections
                          : flag == "--threads"   ? &parsed.threads
                                                  : nullptr;
    if (target == nullptr || i + 1 == argc) {
      std::fprintf(stderr, "usage: %s [--connections N] [--threads T]\n", argv[0]);
      return std::nullopt;
    }
    const std::string_view value = argv[++i];
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), *target);
    if (error != std::errc{} || end != value.data() + value.size() || *target == 0) {
      std::fprintf(stderr, "%s: %.*s needs a positive integer, got '%.*s'\n", argv[0],
                   static_cast<int>(flag.size()), flag.data(), static_cast<int>(value.size()), value.data());
      return std::nullopt;
    }
  }
  return parsed;
}

// Polls `done` every millisecond until it holds or `timeout` passes. Fine in
// a driver program watching a live system; tests would wait on an event.
bool wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = steady::now() + timeout;
  while (!done()) {
    if (steady::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

double seconds_since(steady::time_point start) {
  return std::chrono::duration<double>(steady::now() - start).count();
}

double mb(std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// RSS growth from `before` to `after`, per connection (may be negative in
// principle: RSS is not an allocation counter).
long long per_connection(std::size_t before, std::size_t after, std::size_t connections) {
  return (static_cast<long long>(after) - static_cast<long long>(before)) / static_cast<long long>(connections);
}

// Sends the client process `command` and returns its report, throwing unless
// the step succeeded for all `expected` connections.
c10k::report ask(c10k::channel& client, const std::string& command, std::size_t expected, const char* step) {
  c10k::report r;
  try {
    client.send(command);
    r = c10k::report::decode(client.receive(c10k::peer_timeout, "client process"));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(step) + ": " + e.what());
  }
  if (!r.result.all_ok(expected)) {
    std::string why = std::string(step) + ": " + std::to_string(r.result.ok) + " of " + std::to_string(expected) +
                      " succeeded";
    if (r.result.failed > 0) why += ", " + std::to_string(r.result.failed) + " failed (first: " + r.result.first_error + ")";
    if (r.result.timed_out) why += ", the rest still pending after " + std::to_string(phase_timeout.count()) + " s";
    throw std::runtime_error(why);
  }
  return r;
}

// The server process: runs the actor system and steers the client process
// through its steps. Prints as it goes; returns the server's RSS growth per
// connection, or throws saying what went wrong. The system is declared
// first, so on failure its shutdown stops the listener and whatever
// connection actors are left.
long long run_server(const options& opts, c10k::channel& client, pid_t client_pid) {
  const std::size_t n = opts.connections;
  const c10k::report client_start = c10k::report::decode(client.receive(c10k::peer_timeout, "client process"));

  weir::system_config config;
  config.threads = opts.threads;
  weir::system system(std::move(config));

  // The listener gets its socket ready-made so the port is known up front.
  tcp::acceptor acceptor(system.io_context());
  const tcp::endpoint loopback(boost::asio::ip::address_v4::loopback(), 0);
  acceptor.open(loopback.protocol());
  acceptor.bind(loopback);
  acceptor.listen(boost::asio::socket_base::max_listen_connections);
  const unsigned short port = acceptor.local_endpoint().port();
  auto listener = system.spawn<c10k::listener>("listener", std::move(acceptor));
  if (!wait_until([&] { return system.live_actors() == 1; }, phase_timeout)) {
    throw std::runtime_error("the listener did not start");
  }
  const std::int64_t idle_actors = system.live_actors();  // the listener
  const std::size_t threads = system.thread_count();

  std::printf("c10k: %zu connections over loopback, server and client in two processes\n"
              "  server       pid %d: weir actor system on %zu threads, one actor per connection\n"
              "  client       pid %d: one io_context on 1 thread\n",
              n, static_cast<int>(::getpid()), threads, static_cast<int>(client_pid));
  std::fflush(stdout);

  const std::size_t rss_before = c10k::current_rss_bytes();
  (void)ask(client, c10k::command::open(port), n, "opening the client sockets");

  // A loopback handshake completes in the kernel before the server accepts,
  // so connecting blindly could overflow the accept queue: the kernel would
  // drop SYNs and connects would stall on retransmits (or fail). Connecting in
  // waves of at most half the real backlog, each fully accepted before the
  // next, keeps the queue bounded.
  const std::size_t backlog = c10k::effective_listen_backlog();
  const std::size_t wave = std::clamp<std::size_t>(backlog / 2, 1, 1024);
  const auto connect_start = steady::now();
  c10k::report client_connected;
  for (std::size_t from = 0; from < n; from += wave) {
    const std::size_t to = std::min(n, from + wave);
    client_connected = ask(client, c10k::command::connect(from, to), to - from, "connecting");
    const auto want = idle_actors + static_cast<std::int64_t>(to);
    if (!wait_until([&] { return system.live_actors() >= want; }, phase_timeout)) {
      throw std::runtime_error("the server spawned " + std::to_string(system.live_actors() - idle_actors) +
                               " connection actors for " + std::to_string(to) + " connections");
    }
  }
  const double connect_seconds = seconds_since(connect_start);
  const std::size_t rss_connected = c10k::current_rss_bytes();
  const std::int64_t connection_actors = system.live_actors() - idle_actors;
  const long long server_share = per_connection(rss_before, rss_connected, n);

  std::printf("  connected    %zu in %.2f s (waves of %zu; listen backlog %zu); %lld connection actors live\n", n,
              connect_seconds, wave, backlog, static_cast<long long>(connection_actors));
  std::printf("  server rss   %.1f MB with only the listener, %.1f MB all connected\n", mb(rss_before),
              mb(rss_connected));
  std::printf("  client rss   %.1f MB at start, %.1f MB all connected\n", mb(client_start.rss_bytes),
              mb(client_connected.rss_bytes));
  std::printf("  per-conn     server %lld B/connection (the figure on the last line): the connection actor\n"
              "               (cell, strand, mailbox, 64 B buffer), its socket and its pending read, as RSS\n"
              "               growth of the server process; kernel socket buffers are not part of RSS\n"
              "               client %lld B/connection: socket, reactor state and bookkeeping, measured in\n"
              "               its own process\n",
              server_share, per_connection(client_start.rss_bytes, client_connected.rss_bytes, n));
  std::fflush(stdout);

  const auto echo_start = steady::now();
  const c10k::report echoes = ask(client, c10k::command::echo(), n, "echo");
  std::printf("  echoes       %zu of %zu verified byte for byte by the client (%zu payload bytes, 24-120 B each) in %.2f s\n",
              echoes.result.ok, n, echoes.echoed_bytes, seconds_since(echo_start));
  std::fflush(stdout);

  // Closing: each connection actor sees EOF, quits and closes its end. That
  // is the client's last step; it exits after reporting.
  const auto close_start = steady::now();
  (void)ask(client, c10k::command::close(), n, "closing");
  const bool all_stopped = wait_until([&] { return system.live_actors() == idle_actors; }, phase_timeout);
  const std::int64_t stopped = connection_actors - (system.live_actors() - idle_actors);
  std::printf("  stopped      %lld of %lld connection actors, after the client closed, in %.2f s\n",
              static_cast<long long>(stopped), static_cast<long long>(connection_actors),
              seconds_since(close_start));
  std::fflush(stdout);
  if (!all_stopped) throw std::runtime_error("connection actors still live after every client closed");

  // Ask the listener what it saw; the promise is answered on its strand.
  std::promise<c10k::listener_stats> reply;
  std::future<c10k::listener_stats> answer = reply.get_future();
  if (listener.send(c10k::stats_query{std::move(reply)}) != weir::send_result::ok ||
      answer.wait_for(phase_timeout) != std::future_status::ready) {
    throw std::runtime_error("the listener did not answer");
  }
  const c10k::listener_stats stats = answer.get();

  system.shutdown();
  std::printf("  listener     %llu accepted, %llu accept errors, %llu actor crashes, %lld actors live after shutdown\n",
              static_cast<unsigned long long>(stats.accepted), static_cast<unsigned long long>(stats.accept_errors),
              static_cast<unsigned long long>(system.crashes()), static_cast<long long>(system.live_actors()));
  std::printf("  threads      %zu server threads (weir), 1 client thread\n", threads);
  std::fflush(stdout);
  if (stats.accepted != n) {
    throw std::runtime_error("the listener accepted " + std::to_string(stats.accepted) + " connections");
  }
  if (system.crashes() != 0) throw std::runtime_error("actors crashed (see stderr)");
  return server_share;
}

}  // namespace

int main(int argc, char** argv) {
  const auto started = steady::now();
  const std::optional<options> opts = parse_options(argc, argv);
  if (!opts) return 2;

  // Fork before anything starts a thread (the actor system, Asio, spdlog).
  c10k::channel peer;
  pid_t client_pid = -1;
  try {
    if (std::string why = c10k::raise_fd_limit(opts->connections); !why.empty()) throw std::runtime_error(why);
    client_pid = c10k::fork_with_channel(peer);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "c10k: FAILED: %s\n", e.what());
    return 1;
  }
  if (client_pid == 0) return c10k::run_client_process(peer, opts->connections);

  c10k::child_process client(client_pid);
  std::optional<long long> server_share;
  std::string failure;
  try {
    server_share = run_server(*opts, peer, client_pid);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  // Success or not, the client is done: one still waiting for a command sees
  // end of file and exits; one that does not exit in time is killed.
  peer.close();
  const c10k::child_exit client_exit = client.reap(exit_timeout);
  std::printf("  client exit  process %d %s\n", static_cast<int>(client_pid), client_exit.how.c_str());
  std::printf("  peak-rss     server %.1f MB, client %.1f MB\n", mb(c10k::peak_rss_bytes()),
              mb(client_exit.peak_rss_bytes));
  std::printf("  elapsed      %.2f s\n", seconds_since(started));
  std::fflush(stdout);
  if (failure.empty() && !client_exit.clean) failure = "the client process " + client_exit.how;
  if (!failure.empty()) {
    std::fprintf(stderr, "c10k: FAILED: %s\n", failure.c_str());
    return 1;
  }
  std::printf("c10k weir: %lld B/connection\n", *server_share);
  return 0;
}
