#include "process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace c10k {

namespace {

using steady = std::chrono::steady_clock;

[[noreturn]] void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

// ---------------------------------------------------------------------------
// channel

channel::channel(channel&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), pending_(std::move(other.pending_)) {}

channel& channel::operator=(channel&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    pending_ = std::move(other.pending_);
  }
  return *this;
}

void channel::close() noexcept {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

void channel::send(const std::string& line) {
  const std::string framed = line + '\n';
  for (std::size_t sent = 0; sent < framed.size();) {
    // MSG_NOSIGNAL: a peer that died must show up as an error here, not as
    // a SIGPIPE that kills this process before it can say what happened.
    const ssize_t n = ::send(fd_, framed.data() + sent, framed.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::string("the other process is gone: ") + std::strerror(errno));
    sent += static_cast<std::size_t>(n);
  }
}

std::string channel::receive(std::chrono::seconds timeout, const char* peer) {
  const auto deadline = steady::now() + timeout;
  for (;;) {
    if (const auto end = pending_.find('\n'); end != std::string::npos) {
      std::string line = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      return line;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - steady::now());
    pollfd readable{fd_, POLLIN, 0};
    const int ready = left.count() > 0 ? ::poll(&readable, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw_errno("poll");
    if (ready == 0) {
      throw std::runtime_error(std::string("no word from the ") + peer + " within " +
                               std::to_string(timeout.count()) + " s");
    }
    char chunk[512];
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("the ") + peer + " has gone away (it closed the channel)");
    pending_.append(chunk, static_cast<std::size_t>(n));
  }
}

// ---------------------------------------------------------------------------
// processes

pid_t fork_with_channel(channel& to_peer) {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) throw_errno("socketpair");
  const pid_t parent = ::getpid();
  std::fflush(nullptr);  // else output buffered so far would be written by both processes
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(ends[0]);
    ::close(ends[1]);
    throw std::system_error(error, std::generic_category(), "fork");
  }
  // Each process keeps one end: only then does the other's exit show up as
  // end of file on it.
  ::close(ends[pid == 0 ? 0 : 1]);
  to_peer = channel(ends[pid == 0 ? 1 : 0]);
  if (pid == 0) {
    // Die with the parent rather than linger with 10,000 sockets. Check the
    // parent after asking: it may have died before the request was made.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(1);
  }
  return pid;
}

child_process::~child_process() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

child_exit child_process::reap(std::chrono::seconds timeout) {
  const auto deadline = steady::now() + timeout;
  int status = 0;
  rusage usage{};
  pid_t reaped = 0;
  // Polling is fine here: a healthy child has exited or is about to.
  while ((reaped = ::wait4(pid_, &status, WNOHANG, &usage)) == 0 && steady::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const bool overdue = reaped == 0;
  if (overdue) {
    ::kill(pid_, SIGKILL);
    while ((reaped = ::wait4(pid_, &status, 0, &usage)) < 0 && errno == EINTR) {
    }
  }
  const int error = errno;
  pid_ = -1;

  child_exit out;
  if (reaped < 0) {
    out.how = std::string("could not be reaped: ") + std::strerror(error);
    return out;
  }
  out.peak_rss_bytes = static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // ru_maxrss is in KiB
  if (WIFEXITED(status)) {
    out.clean = WEXITSTATUS(status) == 0;
    out.how = "exited with status " + std::to_string(WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    out.how = "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
  } else {
    out.how = "ended with wait status " + std::to_string(status);
  }
  if (overdue) out.how = "had not exited after " + std::to_string(timeout.count()) + " s, so it " + out.how;
  return out;
}

// ---------------------------------------------------------------------------
// resources

std::string raise_fd_limit(std::size_t connections) {
  const std::size_t needed = connections + spare_fds;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return "getrlimit(RLIMIT_NOFILE) failed";
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    // An unlimited hard limit still cannot exceed fs.nr_open: ask only for
    // what we need then.
    if (::setrlimit(RLIMIT_NOFILE, &raised) != 0 && limit.rlim_max == RLIM_INFINITY) {
      raised.rlim_cur = std::max<rlim_t>(limit.rlim_cur, needed);
      (void)::setrlimit(RLIMIT_NOFILE, &raised);
    }
    (void)::getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur >= needed) return {};
  const std::size_t fit = limit.rlim_cur > spare_fds ? limit.rlim_cur - spare_fds : 0;
  return std::to_string(connections) + " connections need " + std::to_string(needed) +
         " file descriptors in each of the two processes (one per connection, plus " + std::to_string(spare_fds) +
         " spare), but RLIMIT_NOFILE allows " + std::to_string(limit.rlim_cur) + " (hard limit " +
         std::to_string(limit.rlim_max) + "). Raise the hard limit (e.g. `ulimit -n " + std::to_string(needed) +
         "` as root, LimitNOFILE= in systemd, or limits.conf) or run with --connections " + std::to_string(fit) +
         " or fewer.";
}

std::size_t effective_listen_backlog() {
  std::size_t backlog = SOMAXCONN;
  std::ifstream sysctl("/proc/sys/net/core/somaxconn");
  if (std::size_t cap = 0; sysctl >> cap && cap > 0) backlog = std::min(backlog, cap);
  return backlog;
}

}  // namespace c10k
