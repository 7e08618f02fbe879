#include "client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace c10k {

using boost::asio::ip::tcp;
using boost::system::error_code;
namespace asio = boost::asio;

// ---------------------------------------------------------------------------
// the protocol

namespace {

constexpr std::string_view report_tag = "report";
constexpr std::string_view open_verb = "open";
constexpr std::string_view connect_verb = "connect";
constexpr std::string_view echo_verb = "echo";
constexpr std::string_view close_verb = "close";

// Carries out one command line on `c`. Throws on a malformed command.
phase_result carry_out(client& c, std::string_view verb, std::istream& args, std::size_t connections) {
  if (verb == open_verb) {
    unsigned short port = 0;
    if (!(args >> port)) throw std::runtime_error("open: no port");
    c.open({asio::ip::address_v4::loopback(), port}, connections);
    phase_result opened;
    opened.ok = connections;
    return opened;
  }
  if (verb == connect_verb) {
    std::size_t from = 0;
    std::size_t to = 0;
    if (!(args >> from >> to) || from >= to || to > connections) throw std::runtime_error("connect: bad range");
    return c.connect(from, to, phase_timeout);
  }
  if (verb == echo_verb) return c.echo(phase_timeout);
  if (verb == close_verb) return c.close(phase_timeout);
  throw std::runtime_error("unknown command '" + std::string(verb) + "'");
}

}  // namespace

std::string report::encode() const {
  std::string error = result.first_error;
  std::replace(error.begin(), error.end(), '\n', ' ');  // one report, one line
  std::ostringstream line;
  line << report_tag << ' ' << result.ok << ' ' << result.failed << ' ' << result.timed_out << ' ' << rss_bytes
       << ' ' << echoed_bytes << ' ' << error;
  return line.str();
}

report report::decode(const std::string& line) {
  std::istringstream fields(line);
  std::string tag;
  report out;
  fields >> tag >> out.result.ok >> out.result.failed >> out.result.timed_out >> out.rss_bytes >> out.echoed_bytes;
  if (!fields || tag != report_tag) throw std::runtime_error("malformed report from the client process: " + line);
  fields.get();  // the separator: the rest of the line is the error text
  std::getline(fields, out.result.first_error);
  return out;
}

std::string command::open(unsigned short port) { return std::string(open_verb) + ' ' + std::to_string(port); }
std::string command::connect(std::size_t from, std::size_t to) {
  return std::string(connect_verb) + ' ' + std::to_string(from) + ' ' + std::to_string(to);
}
std::string command::echo() { return std::string(echo_verb); }
std::string command::close() { return std::string(close_verb); }

int run_client_process(channel& server, std::size_t connections) {
  try {
    report started;  // "up and running", with a baseline for the RSS figures
    started.rss_bytes = current_rss_bytes();
    server.send(started.encode());
    client c;
    for (;;) {
      std::istringstream line(server.receive(peer_timeout, "server process"));
      std::string verb;
      line >> verb;
      report r;
      try {
        r.result = carry_out(c, verb, line, connections);
      } catch (const std::exception& e) {
        r.result.failed = 1;
        r.result.first_error = e.what();
      }
      r.rss_bytes = current_rss_bytes();
      r.echoed_bytes = c.echoed_bytes();
      server.send(r.encode());
      if (verb == close_verb) return r.result.all_ok(connections) ? 0 : 1;
    }
  } catch (const std::exception& e) {  // the channel failed: no one left to report to but stderr
    std::fprintf(stderr, "c10k client process: %s\n", e.what());
    return 1;
  }
}

// ---------------------------------------------------------------------------
// client

std::string client::payload_for(std::size_t index) {
  std::string payload = "c10k#" + std::to_string(index) + ":";
  const std::size_t length = 24 + (index * 7919) % 97;
  auto x = static_cast<std::uint32_t>(index * 2654435761u + 1);  // xorshift32, never seeded with 0
  while (payload.size() < length) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    payload.push_back(static_cast<char>(x & 0xffu));
  }
  return payload;
}

void client::open(tcp::endpoint server, std::size_t count) {
  server_ = server;
  peers_.reserve(count);  // never reallocated afterwards: handlers refer to peers by index
  for (std::size_t i = 0; i < count; ++i) {
    peers_.emplace_back(io_);
    peers_.back().socket.open(server_.protocol());
  }
}

phase_result client::connect(std::size_t from, std::size_t to, std::chrono::seconds timeout) {
  for (std::size_t i = from; i < to; ++i) {
    peers_[i].socket.async_connect(server_, [this, i](const error_code& error) {
      if (error) {
        fail(i, "connect", error);
      } else {
        ++result_.ok;
      }
    });
  }
  return run(timeout);
}

phase_result client::echo(std::chrono::seconds timeout) {
  echoed_bytes_ = 0;
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    peer& p = peers_[i];
    p.sent = payload_for(i);
    p.received.assign(p.sent.size(), '\0');
    echoed_bytes_ += p.sent.size();
    asio::async_write(p.socket, asio::buffer(p.sent), [this, i](const error_code& error, std::size_t) {
      if (error) {
        fail(i, "write", error);
        return;
      }
      peer& p = peers_[i];
      asio::async_read(p.socket, asio::buffer(p.received), [this, i](const error_code& error, std::size_t) {
        if (error) {
          fail(i, "read echo", error);
        } else if (peers_[i].received != peers_[i].sent) {
          fail(i, "echo differs from what was sent");
        } else {
          ++result_.ok;
        }
      });
    });
  }
  return run(timeout);
}

phase_result client::close(std::chrono::seconds timeout) {
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    tcp::socket& socket = peers_[i].socket;
    error_code error;
    socket.shutdown(tcp::socket::shutdown_send, error);  // FIN: the server reads EOF and its actor quits
    if (error) {
      fail(i, "shutdown", error);
      continue;
    }
    socket.async_read_some(asio::buffer(scratch_), [this, i](const error_code& error, std::size_t) {
      if (error == asio::error::eof) {
        ++result_.ok;  // the server closed its end: its connection actor has quit
      } else if (!error) {
        fail(i, "unexpected bytes after the echo");
      } else {
        fail(i, "waiting for the server to close", error);
      }
      error_code ignored;
      peers_[i].socket.close(ignored);
    });
  }
  return run(timeout);
}

phase_result client::run(std::chrono::seconds timeout) {
  io_.restart();
  io_.run_for(timeout);             // returns early once every operation has completed
  result_.timed_out = !io_.stopped();  // operations still pending
  return std::exchange(result_, {});
}

void client::fail(std::size_t index, const char* what, const error_code& error) {
  if (result_.failed++ == 0) {
    result_.first_error = "connection " + std::to_string(index) + ": " + what;
    if (error) result_.first_error += ": " + error.message();
  }
}

}  // namespace c10k
