#include <weir/system.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <weir/detail/log_limiter.hpp>
#include <weir/detail/request_book.hpp>
#include <weir/detail/scheduler.hpp>
#include <weir/detail/take_snapshot.hpp>
#include <weir/detail/type_name.hpp>
#include <weir/detail/watchdog.hpp>

#include <boost/asio/signal_set.hpp>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace weir {
namespace {

// Set on the threads of every system's pool: what would block one of them
// (waiting on a reply, on a path, on shutdown) refuses to run there.
thread_local bool on_pool_thread = false;

std::shared_ptr<spdlog::logger> default_logger() {
  // Not registered with spdlog's registry: several systems may coexist.
  auto logger = std::make_shared<spdlog::logger>("weir", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_level(spdlog::level::info);
  return logger;
}

}  // namespace

struct system::insight_parts {
  std::unique_ptr<detail::watchdog> watchdog;
  std::unique_ptr<boost::asio::signal_set> sigusr1;
};

system::system(system_config config) {
  validate(config);
  const bool manual = config.execution == execution_mode::manual;
  io_ = std::make_unique<boost::asio::io_context>(1);  // one thread runs it, in either mode
  work_.emplace(io_->get_executor());

  rt_ = std::make_shared<detail::runtime>();
  rt_->config = std::move(config);
  rt_->logger = rt_->config.logger ? rt_->config.logger : default_logger();
  rt_->clock = rt_->config.clock ? rt_->config.clock : make_real_clock(*io_);
  rt_->limited_log = std::make_unique<detail::log_limiter>(rt_->config.log_repeats, rt_->clock, rt_->logger);
  rt_->io = io_.get();
  if (manual) rt_->manual = std::make_unique<detail::manual_turns>();
  rt_->owner = this;
  rt_->insight = rt_->config.insight.enabled;
  rt_->started_at = rt_->clock->now();
  if (!manual) {
    scheduler_ = std::make_unique<detail::scheduler>(
        rt_->config.threads, &system::run_turn_of, this, [] { on_pool_thread = true; });
    rt_->sched = scheduler_.get();
    scheduler_->start();
    // Asio's reactor (sockets, timers) runs here and only hands over: every
    // completion is queued to the actor it belongs to (actor_executor).
    io_thread_ = std::thread([this] {
      on_pool_thread = true;
      for (;;) {
        try {
          io_->run();
          return;
        } catch (const std::exception& e) {
          // Actor code cannot get here; this is a fault in weir or Asio
          // itself. Keep the reactor serving.
          rt_->logger->critical("weir: exception escaped the I/O loop: {}", e.what());
        }
      }
    });
  }
  guardian_ = detail::cell::make_guardian(rt_);
  requests_ = std::make_shared<detail::request_book>();
  start_insight();

  rt_->logger->debug("weir: system up, {} mode, {} threads", to_string(rt_->config.execution),
                     thread_count());
}

void system::run_turn_of(detail::run_node& node, void* self) noexcept {
  try {
    static_cast<detail::cell&>(node).run_turn();
  } catch (const std::exception& e) {
    // Actor code cannot get here (its exceptions are crashes); this is a
    // fault in weir itself. Keep the worker serving.
    static_cast<system*>(self)->rt_->logger->critical("weir: exception escaped a turn: {}", e.what());
  }
}

std::size_t system::thread_count() const noexcept { return scheduler_ ? scheduler_->workers() : 0; }

system::~system() {
  try {
    shutdown();
  } catch (const std::exception& e) {
    rt_->logger->critical("weir: shutdown from the destructor failed: {}", e.what());
  }
}

void system::shutdown() {
  require_outside_actors("weir::system::shutdown", "it would wait for itself");
  if (shut_down_.exchange(true)) return;
  guardian_->request_stop(exit_kind::shutdown);
  wait_for_guardian();
  requests_->close();  // tokens held outside any actor: their callers hear no_reply now
  stop_insight();
  rt_->limited_log->flush_all();  // what repeated since its last line, including during the shutdown
  work_.reset();
  io_->stop();
  if (io_thread_.joinable()) io_thread_.join();
  if (scheduler_) scheduler_->stop();
  rt_->logger->debug("weir: system down; {} dead letters, {} crashes", dead_letters(), crashes());
}

void system::wait_for_guardian() {
  if (!scheduler_) {
    // Manual mode: nobody else runs turns, so run them here until done.
    for (;;) {
      {
        std::lock_guard lock(rt_->stop_mutex);
        if (rt_->guardian_stopped) return;
      }
      if (!detail::run_manual_step(*rt_)) {
        std::lock_guard lock(rt_->stop_mutex);
        if (!rt_->guardian_stopped) {
          rt_->logger->error("weir: shutdown stalled: actors remain but none can run");
        }
        return;
      }
    }
  }
  std::unique_lock lock(rt_->stop_mutex);
  rt_->stop_cv.wait(lock, [&] { return rt_->guardian_stopped; });
}

void system::require_outside_actors(std::string_view what, std::string_view instead) {
  if (detail::cell::current() == nullptr && !on_pool_thread) return;
  throw std::logic_error(std::string{what} + " called from inside an actor or on a pool thread; " +
                         std::string{instead});
}

exit_reason system::wait_for_cell(detail::cell& actor) {
  require_outside_actors("weir::system::wait_for", "it would block the thread (monitor the actor instead)");
  struct outcome {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<exit_reason> reason;
  };
  auto result = std::make_shared<outcome>();
  actor.watch_later(detail::watcher{0, [result](const detail::cell&, const exit_reason& reason) {
                                      {
                                        std::lock_guard lock(result->mutex);
                                        result->reason = reason;
                                      }
                                      result->done.notify_all();
                                    }});
  auto finished = [&]() -> std::optional<exit_reason> {
    std::lock_guard lock(result->mutex);
    return result->reason;
  };
  if (!scheduler_) {  // manual mode: run the turns here
    for (;;) {
      if (auto reason = finished()) return *reason;
      if (!detail::run_manual_step(*rt_)) {
        if (auto reason = finished()) return *reason;
        throw std::logic_error("weir::system::wait_for: " + actor.path() +
                               " is still alive but nothing is left to run (manual mode: advance the clock?)");
      }
    }
  }
  std::unique_lock lock(result->mutex);
  result->done.wait(lock, [&] { return result->reason.has_value(); });
  return *result->reason;
}

detail::cell_ptr system::wait_for_cell_at(std::string_view path, clock::duration timeout) {
  require_outside_actors("weir::system::wait_for_path", "it would block the thread (use find())");
  require_path(path, "weir::system::wait_for_path");
  detail::require_positive_timeout(timeout, "weir::system::wait_for_path");
  detail::link_watch& watch = rt_->links;
  const detail::link_watch::waiting registered(watch);  // before the first look: no link is missed
  auto expired = std::make_shared<std::atomic<bool>>(false);
  const std::shared_ptr<armed_timer> timer =
      rt_->clock->arm(rt_->clock->now() + timeout, clock::duration::zero(),
                      [expired, weak = std::weak_ptr<detail::runtime>(rt_)] {
                        expired->store(true);
                        if (auto rt = weak.lock()) rt->links.bump();
                      });
  struct cancel_at_exit {
    const std::shared_ptr<armed_timer>& timer;
    ~cancel_at_exit() { timer->cancel(); }
  } const cancel{timer};

  if (!scheduler_) {  // manual mode: run the turns here, one at a time
    for (;;) {
      if (detail::cell_ptr found = find_cell(path)) return found;
      if (expired->load()) return nullptr;
      if (!detail::run_manual_step(*rt_)) {
        if (detail::cell_ptr found = find_cell(path)) return found;
        if (expired->load()) return nullptr;
        throw std::logic_error("weir::system::wait_for_path: no actor at " + std::string{path} +
                               " and nothing left to run (manual mode: advance the clock?)");
      }
    }
  }
  for (;;) {
    const std::uint64_t seen = watch.generation();
    if (detail::cell_ptr found = find_cell(path)) return found;
    if (expired->load()) return nullptr;
    watch.wait_past(seen);  // a link anywhere in the tree, or the timeout
  }
}

void system::require_path(std::string_view path, std::string_view where) {
  // "/a" or "/a/b/...": every name non-empty.
  const bool valid = path.size() >= 2 && path.front() == '/' && path.back() != '/' &&
                     path.find("//") == std::string_view::npos;
  if (!valid) {
    throw std::invalid_argument(std::string{where} + ": '" + std::string{path} +
                                "' is not an actor path (\"/name\" or \"/name/child/...\")");
  }
}

detail::cell_ptr system::find_cell(std::string_view path) const {
  if (path.empty() || path.front() != '/') return nullptr;
  detail::cell_ptr at = guardian_;
  while (!path.empty()) {
    path.remove_prefix(1);  // the '/'
    const std::string_view name = path.substr(0, path.find('/'));
    path.remove_prefix(name.size());
    at = at->child_named(name);
    if (!at) return nullptr;
  }
  return at == guardian_ ? nullptr : at;
}

void system::check_type(const detail::cell& found, const std::type_info& wanted) {
  if (found.behavior_type() == nullptr || *found.behavior_type() != wanted) {
    throw std::invalid_argument("weir::system::find: " + found.path() + " is a " +
                                (found.behavior_type() ? detail::type_name(*found.behavior_type()) : "?") +
                                ", not a " + detail::type_name(wanted));
  }
}

void system::start_insight() {
  insight_ = std::make_unique<insight_parts>();
  const insight_config& config = rt_->config.insight;
  const bool threads = rt_->config.execution == execution_mode::thread_pool;
  if (config.enabled) {
    insight_->watchdog = std::make_unique<detail::watchdog>(*rt_, guardian_);
    if (threads && config.watchdog_thread) insight_->watchdog->start_thread();
  }
  if (threads && config.dump_on_sigusr1) {
    insight_->sigusr1 = std::make_unique<boost::asio::signal_set>(*io_, SIGUSR1);
    await_sigusr1();
  }
}

void system::await_sigusr1() {
  insight_->sigusr1->async_wait([this](const boost::system::error_code& error, int) {
    if (error) return;  // cancelled at shutdown
    log_tree(spdlog::level::info);
    await_sigusr1();
  });
}

void system::stop_insight() {
  if (insight_->watchdog) insight_->watchdog->stop_thread();
  if (insight_->sigusr1) insight_->sigusr1->cancel();
}

system_snapshot system::snapshot() const { return detail::take_snapshot(*rt_, *guardian_, insight_->watchdog.get()); }

std::string system::tree_text() const { return snapshot().to_text(); }

void system::log_tree(spdlog::level::level_enum level) const {
  rt_->logger->log(level, "weir: actor tree\n{}", tree_text());
}

void system::watchdog_tick() {
  if (insight_->watchdog) insight_->watchdog->tick();
}

std::vector<lint> system::lints() const {
  return insight_->watchdog ? insight_->watchdog->lints() : std::vector<lint>{};
}

std::uint64_t system::lints_raised(lint_kind kind) const noexcept {
  return insight_->watchdog ? insight_->watchdog->raised(kind) : 0;
}

}  // namespace weir
