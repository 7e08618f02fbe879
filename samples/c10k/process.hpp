#pragma once
// process.hpp — what the c10k sample needs from the operating system: its
// two processes and the channel between them, resident memory, the open-file
// limit, the listen backlog cap.

#include "../common/rss.hpp"

#include <chrono>
#include <cstddef>
#include <string>

#include <sys/types.h>

namespace c10k {

/// One end of a bidirectional, line-based channel between the two processes
/// (a Unix socketpair). Every wait is bounded.
///
/// Thread safety: one thread per object.
class channel {
 public:
  explicit channel(int fd = -1) noexcept : fd_(fd) {}
  channel(channel&& other) noexcept;
  channel& operator=(channel&& other) noexcept;
  ~channel() { close(); }

  /// Sends `line` plus a newline. Throws std::runtime_error if the peer is gone.
  void send(const std::string& line);
  /// Waits up to `timeout` for the next line (without its newline). Throws
  /// std::runtime_error naming `peer` on timeout or if `peer` closed its end.
  std::string receive(std::chrono::seconds timeout, const char* peer);
  /// Closes this end: the peer's next receive sees end of file.
  void close() noexcept;

 private:
  int fd_;
  std::string pending_;  // bytes received beyond the last full line
};

/// How a child process ended.
struct child_exit {
  bool clean = false;  // exited with status 0
  std::string how;     // "exited with status 0", "was killed by signal 9 (Killed)"
  std::size_t peak_rss_bytes = 0;
};

/// The child process: holds its pid until it is reaped. Destroying one that
/// was not reaped kills it first, so no path leaves it running.
class child_process {
 public:
  explicit child_process(pid_t pid) noexcept : pid_(pid) {}
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process();

  /// Waits up to `timeout` for the child to exit, then kills it (SIGKILL),
  /// and reaps it. Call at most once.
  child_exit reap(std::chrono::seconds timeout);

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

 private:
  pid_t pid_;  // -1 once reaped
};

/// Forks into two processes joined by a channel. Must be called while the
/// process has a single thread: in the child, every other thread would be
/// gone, with whatever locks it held. In the parent, returns the child's pid
/// and sets `to_peer` to the parent's end; in the child, returns 0, sets
/// `to_peer` to the child's end and arranges for the child to be killed if
/// the parent dies. Throws std::system_error.
pid_t fork_with_channel(channel& to_peer);

/// Resident memory, now and at its peak: shared with the other samples.
using weir_samples::current_rss_bytes;
using weir_samples::peak_rss_bytes;

/// Descriptors each process needs besides its sockets: stdio, the channel,
/// the listener, an io_context's epoll/eventfd/timerfd, and room to spare.
inline constexpr std::size_t spare_fds = 64;

/// Raises the soft RLIMIT_NOFILE to the hard limit (both processes inherit
/// it). Returns an empty string if that allows `connections` loopback
/// connections (one descriptor each per process, plus spare_fds), else a
/// message saying why not and what to do.
std::string raise_fd_limit(std::size_t connections);

/// The backlog listen() really gets: the smaller of SOMAXCONN, which Asio's
/// max_listen_connections asks for, and net.core.somaxconn, which the kernel
/// silently caps it to.
std::size_t effective_listen_backlog();

}  // namespace c10k
