#include <weir/system.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <weir/detail/type_name.hpp>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace weir {
namespace {

std::shared_ptr<spdlog::logger> default_logger() {
  // Not registered with spdlog's registry: several systems may coexist.
  auto logger = std::make_shared<spdlog::logger>("weir", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_level(spdlog::level::info);
  return logger;
}

}  // namespace

system::system(system_config config) {
  validate(config);
  const bool manual = config.execution == execution_mode::manual;
  io_ = std::make_unique<boost::asio::io_context>(manual ? 1 : static_cast<int>(config.threads));
  work_.emplace(io_->get_executor());

  rt_ = std::make_shared<detail::runtime>();
  rt_->config = std::move(config);
  rt_->logger = rt_->config.logger ? rt_->config.logger : default_logger();
  rt_->clock = rt_->config.clock ? rt_->config.clock : make_real_clock(*io_);
  rt_->io = io_.get();
  rt_->owner = this;
  guardian_ = detail::cell::make_guardian(rt_);

  if (!manual) {
    threads_.reserve(rt_->config.threads);
    for (std::size_t i = 0; i < rt_->config.threads; ++i) {
      threads_.emplace_back([this] {
        for (;;) {
          try {
            io_->run();
            return;
          } catch (const std::exception& e) {
            // Actor code cannot get here (its exceptions are crashes); this
            // is a fault in weir or Asio itself. Keep the thread serving.
            rt_->logger->critical("weir: exception escaped the event loop: {}", e.what());
          }
        }
      });
    }
  }
  rt_->logger->debug("weir: system up, {} mode, {} threads", to_string(rt_->config.execution),
                     threads_.size());
}

system::~system() {
  try {
    shutdown();
  } catch (const std::exception& e) {
    rt_->logger->critical("weir: shutdown from the destructor failed: {}", e.what());
  }
}

void system::shutdown() {
  if (detail::cell::current() != nullptr) {
    throw std::logic_error("weir::system::shutdown called from inside an actor; it would wait for itself");
  }
  if (shut_down_.exchange(true)) return;
  guardian_->request_stop(exit_kind::shutdown);
  wait_for_guardian();
  work_.reset();
  io_->stop();
  for (auto& thread : threads_) thread.join();
  rt_->logger->debug("weir: system down; {} dead letters, {} crashes", dead_letters(), crashes());
}

void system::wait_for_guardian() {
  if (threads_.empty()) {
    // Manual mode: nobody else runs turns, so run them here until done.
    for (;;) {
      {
        std::lock_guard lock(rt_->stop_mutex);
        if (rt_->guardian_stopped) return;
      }
      if (io_->poll() == 0) {
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

exit_reason system::wait_for_cell(detail::cell& actor) {
  if (detail::cell::current() != nullptr) {
    throw std::logic_error("weir::system::wait_for called from inside an actor; it would block its thread");
  }
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
  if (threads_.empty()) {  // manual mode: run the turns here
    for (;;) {
      if (auto reason = finished()) return *reason;
      if (io_->poll() == 0) {
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

namespace {

std::string_view state_of(const detail::cell& c) {
  switch (c.current_phase()) {
    case detail::phase::created: return "starting";
    case detail::phase::stopping: return "stopping";
    case detail::phase::exited: return "exited";
    case detail::phase::stopped: return "stopped";
    case detail::phase::running: break;
  }
  if (c.is_suspended()) return "suspended";
  if (c.is_paused()) return "paused";
  if (c.pending_asks() > 0) return "waiting-reply";
  return "running";
}

void describe_subtree(const detail::cell& c, std::size_t depth, std::string& out) {
  out.append(2 * depth, ' ');
  out += c.path();
  out += "  ";
  out += state_of(c);
  out += "  handled=" + std::to_string(c.handled()) + " queued=" + std::to_string(c.queued());
  if (c.restarts() > 0) out += " restarts=" + std::to_string(c.restarts());
  for (const wait_record& w : c.waits()) {
    out += w.kind == wait_kind::credit ? "  waits for credit on " : "  waits for a reply from ";
    out += w.on;
  }
  out += '\n';
  for (const auto& child : c.children()) describe_subtree(*child, depth + 1, out);
}

}  // namespace

std::string system::tree_text() const {
  std::string out;
  for (const auto& top : guardian_->children()) describe_subtree(*top, 0, out);
  return out;
}

}  // namespace weir
