#include <weir/detail/log_limiter.hpp>

#include <weir/deadlock.hpp>
#include <weir/detail/duration_text.hpp>
#include <weir/exit_reason.hpp>

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <iterator>

namespace weir::detail {

log_limiter::log_limiter(log_repeats_config config, std::shared_ptr<weir::clock> clock,
                         std::shared_ptr<spdlog::logger> logger)
    : config_(config), clock_(std::move(clock)), logger_(std::move(logger)) {
  overflow_.key = "log_repeats:overflow";
  overflow_.level = spdlog::level::warn;
}

bool log_limiter::admit(std::string_view key, spdlog::level::level_enum level) {
  if (!config_.enabled) return true;
  std::vector<line> due;
  bool admitted = true;
  {
    std::lock_guard lock(mutex_);
    // Read under the lock: windows then open in clock order, which keeps
    // order_ sorted by opening time.
    const clock::time_point now = clock_->now();
    if (auto found = by_key_.find(key); found != by_key_.end()) {
      entry& e = *found->second;
      e.level = level;
      admitted = pass(e, now, due);
      if (admitted) order_.splice(order_.end(), order_, found->second);  // its window is now the newest
    } else {
      if (by_key_.size() >= config_.max_keys) evict_oldest(now, due);
      order_.push_back(entry{std::string{key}, now, 0, level, true});
      by_key_.emplace(order_.back().key, std::prev(order_.end()));
    }
  }
  write(due);
  return admitted;
}

bool log_limiter::pass(entry& e, clock::time_point now, std::vector<line>& due) {
  if (e.open && !ended(e, now)) {
    ++e.repeats;
    ++suppressed_;
    return false;
  }
  close(e, due);
  e.opened = now;
  e.open = true;
  return true;
}

void log_limiter::close(entry& e, std::vector<line>& due) const {
  if (e.repeats == 0) return;
  due.push_back({e.level, fmt::format("weir: {} repeated {} more times within {} (suppressed)", e.key, e.repeats,
                                      milliseconds_text(config_.window))});
  e.repeats = 0;
}

// The oldest window goes, with its count: the log stays exact, only the
// memory of "logged recently" is lost (its next line is logged in full).
void log_limiter::evict_oldest(clock::time_point now, std::vector<line>& due) {
  entry& oldest = order_.front();
  ++evicted_;
  if (pass(overflow_, now, due)) {
    due.push_back({overflow_.level, fmt::format("weir: more than {} different lines repeat at once "
                                                "(log_repeats.max_keys); forgetting the oldest: {}",
                                                config_.max_keys, oldest.key)});
  }
  close(oldest, due);
  by_key_.erase(oldest.key);
  order_.pop_front();
}

void log_limiter::flush() {
  std::vector<line> due;
  {
    std::lock_guard lock(mutex_);
    const clock::time_point now = clock_->now();
    while (!order_.empty() && ended(order_.front(), now)) {
      close(order_.front(), due);
      by_key_.erase(order_.front().key);
      order_.pop_front();
    }
    if (overflow_.open && ended(overflow_, now)) {
      close(overflow_, due);
      overflow_.open = false;
    }
  }
  write(due);
}

void log_limiter::flush_all() {
  std::vector<line> due;
  {
    std::lock_guard lock(mutex_);
    for (entry& e : order_) close(e, due);
    by_key_.clear();
    order_.clear();
    close(overflow_, due);
    overflow_.open = false;
  }
  write(due);
}

void log_limiter::write(const std::vector<line>& due) const {
  for (const line& l : due) logger_->log(l.level, "{}", l.text);
}

std::size_t log_limiter::keys() const {
  std::lock_guard lock(mutex_);
  return by_key_.size();
}

std::uint64_t log_limiter::suppressed() const {
  std::lock_guard lock(mutex_);
  return suppressed_;
}

std::uint64_t log_limiter::evicted() const {
  std::lock_guard lock(mutex_);
  return evicted_;
}

namespace log_keys {

std::string deadlock(const deadlock_report& report) {
  std::vector<std::string_view> paths;
  paths.reserve(report.cycle.size());
  for (const auto& m : report.cycle) paths.push_back(m.path);
  std::sort(paths.begin(), paths.end());
  std::string key = "deadlock:";
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (i != 0) key += ' ';
    key += paths[i];
  }
  return key;
}

std::string crash(std::string_view what, std::string_view path, const exit_reason& reason) {
  // from_exception writes "<type>: <what()>" or "<type> (not a std::exception)".
  const std::string_view detail = reason.detail;
  return of(what, path, detail.substr(0, std::min(detail.find(": "), detail.find(" ("))));
}

std::string of(std::string_view what, std::string_view subject, std::string_view detail) {
  std::string key;
  key.reserve(what.size() + subject.size() + detail.size() + 2);
  key.append(what).append(1, ':').append(subject);
  if (!detail.empty()) key.append(1, ':').append(detail);
  return key;
}

}  // namespace log_keys
}  // namespace weir::detail
