#include <weir/system.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

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

}  // namespace weir
