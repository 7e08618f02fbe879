// c10k — story S6, "many connections, few threads".
//
// An echo server where every TCP connection is an actor (c10k_actors.hpp), on
// a couple of threads. A client process (forked first thing, so the server's
// memory is its own) opens N loopback connections, has each echo its payload
// and leaves them idle while the server measures what one costs; then it
// closes them, and each connection actor sees the end of file and stops.
//
//     c10k [--connections N] [--threads T]
//
// stdout ends with "c10k weir: <bytes> B/connection" (server RSS growth per
// open connection). The server's checks are tests/samples/c10k.test.cpp.

#include "c10k_actors.hpp"

#include "../common/options.hpp"
#include "../common/rss.hpp"

#include <weir/system.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace asio = boost::asio;
using c10k::tcp;

// The two processes talk in lines over a socketpair: port, "echoed <n>", "close".
std::string read_line(int fd) {
  std::string line;
  for (char c = 0; ::read(fd, &c, 1) == 1 && c != '\n';) line.push_back(c);
  return line;
}

// The client: one io_context on one thread, 64 connections in progress at a
// time (connect, echo, verify), so the listener's accept queue never overflows.
int run_client(int server, std::size_t n) {
  const tcp::endpoint at(asio::ip::address_v4::loopback(), static_cast<unsigned short>(std::stoul(read_line(server))));
  asio::io_context io(1);
  std::vector<tcp::socket> sockets;
  sockets.reserve(n);  // never reallocated: the handlers below refer to sockets by index
  std::vector<std::string> echoes(n);
  std::size_t verified = 0;
  std::function<void()> start_next = [&] {
    if (sockets.size() == n) return;
    const std::size_t i = sockets.size();
    tcp::socket& socket = sockets.emplace_back(io);
    socket.async_connect(at, [&, i](const c10k::error_code& error) {
      if (error) return start_next();
      echoes[i] = c10k::payload_for(i);
      asio::write(socket, asio::buffer(echoes[i]));  // small: the kernel takes it at once
      asio::async_read(socket, asio::buffer(echoes[i]), [&, i](const c10k::error_code& error, std::size_t) {
        if (!error && echoes[i] == c10k::payload_for(i)) ++verified;
        start_next();
      });
    });
  };
  for (int k = 0; k < 64; ++k) start_next();
  io.run();
  const std::string report = "echoed " + std::to_string(verified) + "\n";
  (void)::write(server, report.data(), report.size());
  read_line(server);  // "close" (or the server gone)
  sockets.clear();
  return verified == n ? 0 : 1;
}

double mb(std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }
}  // namespace

int main(int argc, char** argv) {
  samples::positive connections = 10'000, threads = weir::system_config::default_threads();
  samples::po::options_description flags("options");
  flags.add_options()                                                                                        //
      ("connections", samples::po::value(&connections)->default_value(connections), "loopback connections")  //
      ("threads", samples::po::value(&threads)->default_value(threads), "the server's threads");
  samples::parse(argc, argv, "[options]", flags);

  // One descriptor per connection in each process: raise the soft limit to the hard one.
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < connections + 64) {
    std::fprintf(stderr, "c10k: %zu connections need %zu descriptors, RLIMIT_NOFILE allows %zu: raise it "
                 "(ulimit -n) or lower --connections\n", connections.value, connections + 64,
                 static_cast<std::size_t>(limit.rlim_cur));
    return 1;
  }

  // Fork before anything starts a thread (the actor system, spdlog).
  int channel[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, channel) != 0) return 1;
  const pid_t client = ::fork();
  if (client == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // the client dies with the server
    ::close(channel[0]);
    return run_client(channel[1], connections);
  }
  ::close(channel[1]);

  weir::system_config config;
  config.threads = threads;
  weir::system sys(std::move(config));
  tcp::acceptor acceptor(sys.io_context(), tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  const std::string port = std::to_string(acceptor.local_endpoint().port()) + "\n";
  auto stats = std::make_shared<c10k::listener_stats>();
  const std::int64_t idle = sys.live_actors() + 1;  // and the listener
  sys.spawn<c10k::listener>("listener", std::move(acceptor), stats);
  std::printf("c10k: %zu connections over loopback; server: weir on %zu threads, one actor per connection; "
              "client: another process\n", connections.value, sys.thread_count());

  const auto start = std::chrono::steady_clock::now();
  const std::size_t rss_before = weir_samples::current_rss_bytes();
  (void)::write(channel[0], port.data(), port.size());
  const std::string echoed = read_line(channel[0]);  // every connection open, echoed and idle
  const std::size_t rss_connected = weir_samples::current_rss_bytes();
  const std::int64_t actors = sys.live_actors() - idle;
  std::printf("  connected    %lld connection actors live, client says '%s', in %.2f s\n",
              static_cast<long long>(actors), echoed.c_str(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  std::printf("  server rss   %.1f MB with the listener alone, %.1f MB with every connection open\n",
              mb(rss_before), mb(rss_connected));

  (void)::write(channel[0], "close\n", 6);
  int status = 0;
  ::waitpid(client, &status, 0);
  for (int ms = 0; sys.live_actors() > idle && ms < 60'000; ++ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // a person watching, not a test
  }
  const std::int64_t left = sys.live_actors() - idle;
  std::printf("  closed       %lld connection actors left; %zu accepted, %zu accept errors, %llu crashes\n",
              static_cast<long long>(left), stats->accepted.load(), stats->accept_errors.load(),
              static_cast<unsigned long long>(sys.crashes()));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || left != 0 || actors != std::int64_t(connections.value)) {
    std::fprintf(stderr, "c10k: FAILED: a connection was not echoed, or not served by one actor until closed\n");
    return 1;
  }
  const auto growth = static_cast<long long>(rss_connected) - static_cast<long long>(rss_before);
  std::printf("c10k weir: %lld B/connection\n", growth / static_cast<long long>(connections.value));
  return 0;
}
