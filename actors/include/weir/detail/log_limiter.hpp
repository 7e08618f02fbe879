#pragma once
// weir/detail/log_limiter.hpp — log a repeating line once, then its count.

#include <weir/clock.hpp>
#include <weir/log_repeats_config.hpp>

#include <spdlog/logger.h>

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weir {
struct deadlock_report;
struct exit_reason;
}  // namespace weir

namespace weir::detail {

/// The runtime's repeat limiter (see log_repeats_config for what users see).
/// A line goes through it with a key naming what repeats; the first line of
/// a key is logged, later ones within the window only counted:
///
///     key's line at t0 ── logged, window [t0, t0 + window) opens
///       repeats before t0 + window ── counted (suppressed)
///     first of: the key's next line after the window (summary, then that
///               line in full, new window) | flush() after the window
///               (summary, key forgotten) | flush_all() (summary, at shutdown)
///
/// Time is the system's clock, so a manual_clock makes it deterministic.
/// Keys are kept in the order their windows opened: the oldest is the first
/// to end, to be flushed, and to be evicted when max_keys is reached.
///
/// A line below the logger's level costs nothing and is not counted: the
/// limiter is about what is written. Summaries and the overflow notice are
/// logged after the limiter's lock is released, so a slow sink holds no one
/// else's error path.
///
/// Thread safety: every member may be called from any thread (one mutex;
/// this is the error path, not the message path).
class log_limiter {
 public:
  log_limiter(log_repeats_config config, std::shared_ptr<weir::clock> clock, std::shared_ptr<spdlog::logger> logger);

  /// Logs the line at `level` unless `key` was logged within the window.
  template <class... Args>
  void log(std::string_view key, spdlog::level::level_enum level, spdlog::format_string_t<Args...> format,
           Args&&... args) {
    if (!logger_->should_log(level)) return;
    if (admit(key, level)) logger_->log(level, format, std::forward<Args>(args)...);
  }
  template <class... Args>
  void error(std::string_view key, spdlog::format_string_t<Args...> format, Args&&... args) {
    log(key, spdlog::level::err, format, std::forward<Args>(args)...);
  }
  template <class... Args>
  void warn(std::string_view key, spdlog::format_string_t<Args...> format, Args&&... args) {
    log(key, spdlog::level::warn, format, std::forward<Args>(args)...);
  }
  template <class... Args>
  void info(std::string_view key, spdlog::format_string_t<Args...> format, Args&&... args) {
    log(key, spdlog::level::info, format, std::forward<Args>(args)...);
  }
  template <class... Args>
  void debug(std::string_view key, spdlog::format_string_t<Args...> format, Args&&... args) {
    log(key, spdlog::level::debug, format, std::forward<Args>(args)...);
  }

  /// Summarises the keys whose window has ended, and forgets them (the
  /// watchdog's tick calls it).
  void flush();
  /// Summarises every key now, ended or not, and forgets them all (shutdown).
  void flush_all();

  /// Keys remembered now (at most max_keys).
  [[nodiscard]] std::size_t keys() const;
  /// Lines counted instead of logged, over the limiter's life.
  [[nodiscard]] std::uint64_t suppressed() const;
  /// Keys forgotten because max_keys were already remembered.
  [[nodiscard]] std::uint64_t evicted() const;

 private:
  struct entry {
    std::string key;
    clock::time_point opened{};  // when its window opened: the key's last logged line
    std::uint64_t repeats = 0;   // suppressed since then
    spdlog::level::level_enum level = spdlog::level::info;
    bool open = false;           // a window is open (the overflow entry starts closed)
  };
  struct line {  // formatted under the lock, written after it
    spdlog::level::level_enum level;
    std::string text;
  };
  using entry_list = std::list<entry>;

  /// Whether this line is to be logged; first writes the lines it made due.
  bool admit(std::string_view key, spdlog::level::level_enum level);
  /// One occurrence of `e` at `now`: counted if its window is open, else it
  /// opens a new one (true: log it) after summarising the one it closes.
  bool pass(entry& e, clock::time_point now, std::vector<line>& due);
  /// Queues e's summary, if it suppressed anything, and zeroes its count.
  void close(entry& e, std::vector<line>& due) const;
  void evict_oldest(clock::time_point now, std::vector<line>& due);
  void write(const std::vector<line>& due) const;
  [[nodiscard]] bool ended(const entry& e, clock::time_point now) const { return now - e.opened >= config_.window; }

  const log_repeats_config config_;
  const std::shared_ptr<weir::clock> clock_;
  const std::shared_ptr<spdlog::logger> logger_;

  mutable std::mutex mutex_;
  entry_list order_;  // by window opening, oldest first
  std::map<std::string, entry_list::iterator, std::less<>> by_key_;
  entry overflow_;  // "log_repeats:overflow": pinned, never evicted
  std::uint64_t suppressed_ = 0;
  std::uint64_t evicted_ = 0;
};

/// Keys for the runtime's repeating lines: short and stable across
/// restarts (paths and type names, never ids or exception messages).
namespace log_keys {
/// "deadlock:/a /b": the members' paths, sorted, so a cycle is one key
/// whichever member's wait closed it.
std::string deadlock(const deadlock_report& report);
/// "<what>:<path>:<exception type>", e.g. "crash:/svc/db:std::runtime_error";
/// the type is the part of exit_reason::from_exception's text before ": ".
std::string crash(std::string_view what, std::string_view path, const exit_reason& reason);
/// "<what>:<subject>", or "<what>:<subject>:<detail>" with a detail, e.g.
/// "restart:/svc/db", "lint:long_wait:/svc/api".
std::string of(std::string_view what, std::string_view subject, std::string_view detail = {});
}  // namespace log_keys

}  // namespace weir::detail
