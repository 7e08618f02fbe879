#include <weir/detail/watchdog.hpp>

#include <weir/detail/duration_text.hpp>
#include <weir/detail/log_limiter.hpp>
#include <weir/detail/runtime.hpp>
#include <weir/detail/tree_walk.hpp>
#include <weir/detail/type_name.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace weir::detail {
namespace {

std::int64_t to_ms(clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

std::string waited_on(const wait_record& w) {
  return (w.kind == wait_kind::credit ? "credit on " : "a reply from ") + w.on;
}

}  // namespace

watchdog::watchdog(runtime& rt, cell_ptr root) : rt_(rt), root_(std::move(root)) {}

watchdog::~watchdog() { stop_thread(); }

void watchdog::start_thread() {
  thread_ = std::thread([this] {
    std::unique_lock lock(thread_mutex_);
    while (!stopping_) {
      // The watchdog's period is its job, not a synchronisation: it looks at
      // the system from outside, at a fixed rate, whatever the actors do.
      wake_.wait_for(lock, rt_.config.insight.tick, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      try {
        tick();
      } catch (const std::exception& e) {
        rt_.logger->error("weir: watchdog tick failed: {}", e.what());
      }
      lock.lock();
    }
  });
}

void watchdog::stop_thread() {
  {
    std::lock_guard lock(thread_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void watchdog::tick() {
  std::lock_guard lock(tick_mutex_);
  const clock::time_point now = rt_.clock->now();
  const std::int64_t now_ms = rt_.advance_coarse_clock(now);
  found_lints found;
  check_blocking(now_ms, found);
  check_waits(now, found);
  check_quiescence(now_ms, found);
  check_growth(now_ms, found);
  raise_and_clear(std::move(found));
  rt_.limited_log->flush();  // the counts of repeating lines whose window has ended
}

std::vector<lint> watchdog::lints() const {
  std::lock_guard lock(lints_mutex_);
  std::vector<lint> out;
  out.reserve(lints_.size());
  for (const auto& [key, found] : lints_) out.push_back(found);
  return out;
}

// A handler still running past the threshold. The slot's fields are read
// between two reads of its handler count: if the count moved, another
// handler began meanwhile and nothing is blocking.
void watchdog::check_blocking(std::int64_t now_ms, found_lints& found) {
  const std::int64_t threshold = to_ms(rt_.config.insight.blocking_threshold);
  rt_.slots.for_each([&](const turn_slot& slot) {
    const std::uint64_t handlers = slot.handlers.load(std::memory_order_acquire);
    const std::type_info* message = slot.message.load(std::memory_order_relaxed);
    const std::int64_t since = slot.since_ms.load(std::memory_order_relaxed);
    const actor_id actor = slot.actor.load(std::memory_order_relaxed);
    if (message == nullptr || actor == 0 || now_ms - since < threshold) return;
    if (slot.handlers.load(std::memory_order_acquire) != handlers) return;
    const std::string key = "blocking:" + std::to_string(reinterpret_cast<std::uintptr_t>(&slot)) + ":" +
                            std::to_string(handlers);
    lint l{lint_kind::blocking_handler, actor, {}, std::chrono::milliseconds(now_ms - since), type_name(*message)};
    {
      std::lock_guard lock(lints_mutex_);
      if (auto known = lints_.find(key); known != lints_.end()) l.path = known->second.path;
    }
    if (l.path.empty()) l.path = path_of(actor);  // a tree walk, once per blocking handler
    found.emplace(key, std::move(l));
  });
}

void watchdog::check_waits(clock::time_point now, found_lints& found) {
  const clock::duration threshold = rt_.config.insight.wait_threshold;
  for (wait_entry& w : rt_.waits.entries()) {
    if (now - w.record.since < threshold) continue;
    std::string key = "wait:" + std::to_string(w.waiter) + ":" + w.record.on;
    found.emplace(std::move(key), lint{lint_kind::long_wait, w.waiter, std::move(w.path),
                                       std::chrono::milliseconds(to_ms(now - w.record.since)),
                                       waited_on(w.record)});
  }
}

// Quiet: no handler began and none runs since the last look. Someone waiting
// through a long quiet spell waits on something nobody is going to do.
void watchdog::check_quiescence(std::int64_t now_ms, found_lints& found) {
  std::uint64_t handlers = 0;
  bool running = false;
  rt_.slots.for_each([&](const turn_slot& slot) {
    handlers += slot.handlers.load(std::memory_order_acquire);
    running = running || slot.actor.load(std::memory_order_relaxed) != 0;
  });
  if (handlers != handlers_seen_ || running) {
    handlers_seen_ = handlers;
    quiet_since_ms_ = now_ms;
    return;
  }
  if (now_ms - quiet_since_ms_ < to_ms(rt_.config.insight.quiescence_threshold)) return;
  const std::vector<wait_entry> waits = rt_.waits.entries();
  if (waits.empty()) return;
  std::string detail;
  for (const wait_entry& w : waits) {
    if (!detail.empty()) detail += "; ";
    detail += w.path + " waits for " + waited_on(w.record);
  }
  found.emplace("quiescent", lint{lint_kind::quiescent_waiters, 0, {},
                                  std::chrono::milliseconds(now_ms - quiet_since_ms_), std::move(detail)});
}

// Sampled, not per tick: a walk over every actor. Between samples the
// growth lints found at the last one stand.
void watchdog::check_growth(std::int64_t now_ms, found_lints& found) {
  const insight_config& config = rt_.config.insight;
  if (now_ms < next_growth_sample_ms_) {
    std::lock_guard lock(lints_mutex_);
    for (const auto& [key, known] : lints_) {
      if (known.kind == lint_kind::inbox_growth) found.emplace(key, known);
    }
    return;
  }
  next_growth_sample_ms_ = now_ms + std::max<std::int64_t>(1, to_ms(config.growth_window) / config.growth_samples);
  std::unordered_map<actor_id, depth_history> sampled;
  walk_tree(*root_, [&](const cell_ptr& actor, const cell&) {
    const std::int64_t depth = actor->queued();
    if (depth <= 0) return;  // an empty inbox is not growing: forget its past
    depth_history history;
    if (auto known = histories_.find(actor->id()); known != histories_.end()) {
      history = std::move(known->second);
    } else {
      history.path = actor->path();
    }
    history.depths.push_back(depth);
    history.sampled_at.push_back(now_ms);
    if (history.depths.size() > config.growth_samples + 1) {
      history.depths.erase(history.depths.begin());
      history.sampled_at.erase(history.sampled_at.begin());
    }
    const bool full = history.depths.size() == config.growth_samples + 1;
    const bool rising = std::adjacent_find(history.depths.begin(), history.depths.end(),
                                           [](std::int64_t a, std::int64_t b) { return b <= a; }) ==
                        history.depths.end();
    if (full && rising && depth >= config.growth_min_depth) {
      std::string detail;
      for (std::int64_t d : history.depths) {
        if (!detail.empty()) detail += ", ";
        detail += std::to_string(d);
      }
      found.emplace("growth:" + std::to_string(actor->id()),
                    lint{lint_kind::inbox_growth, actor->id(), history.path,
                         std::chrono::milliseconds(now_ms - history.sampled_at.front()), std::move(detail)});
    }
    sampled.emplace(actor->id(), std::move(history));
  });
  histories_ = std::move(sampled);
}

void watchdog::raise_and_clear(found_lints found) {
  std::vector<lint> raised;
  {
    std::lock_guard lock(lints_mutex_);
    for (const auto& [key, l] : found) {
      if (!lints_.contains(key)) raised.push_back(l);
    }
    lints_ = std::move(found);
  }
  for (const lint& l : raised) {
    raised_[static_cast<std::size_t>(l.kind)].fetch_add(1, std::memory_order_relaxed);
    // A lint that clears and comes back (a flapping wait) is one key.
    rt_.limited_log->warn(log_keys::of("lint", to_string(l.kind), l.path), "weir: lint: {}", l.to_string());
    if (rt_.config.insight.on_lint) {
      try {
        rt_.config.insight.on_lint(l);
      } catch (const std::exception& e) {
        rt_.limited_log->error("listener:on_lint", "weir: insight on_lint callback threw: {}", e.what());
      }
    }
  }
}

std::string watchdog::path_of(actor_id id) const {
  std::string path;
  walk_tree(*root_, [&](const cell_ptr& actor, const cell&) {
    if (actor->id() == id) path = actor->path();
  });
  if (path.empty()) path = std::string{"#"}.append(std::to_string(id));  // gone meanwhile
  return path;
}

}  // namespace weir::detail

namespace weir {

std::string lint::to_string() const {
  const std::string took = weir::detail::milliseconds_text(lasting);
  std::string text{weir::to_string(kind)};
  text += ": ";
  switch (kind) {
    case lint_kind::blocking_handler:
      text += path + " has been handling " + detail + " for " + took + ", blocking its thread";
      break;
    case lint_kind::inbox_growth:
      text += path + " has a queue that grew at every sample for " + took + ": " + detail;
      break;
    case lint_kind::long_wait:
      text += path + " has waited " + took + " for " + detail;
      break;
    case lint_kind::quiescent_waiters:
      text += "nothing ran for " + took + " while actors wait: " + detail;
      break;
  }
  return text;
}

}  // namespace weir
