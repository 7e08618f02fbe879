#include <weir/clock.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <thread>

namespace weir {
namespace {

namespace asio = boost::asio;

// One Asio steady_timer per armed timer, confined to a strand of its own:
// Asio timers are not safe to touch from two threads at once, and cancel()
// may come from any thread, so every access is posted to that strand.
class real_timer final : public armed_timer, public std::enable_shared_from_this<real_timer> {
 public:
  real_timer(asio::io_context& io, clock::duration period, std::function<void()> fire)
      : strand_(asio::make_strand(io)), timer_(strand_), period_(period), fire_(std::move(fire)) {}

  void start(clock::time_point deadline) {
    asio::post(strand_, [self = shared_from_this(), deadline] {
      self->timer_.expires_at(std::chrono::time_point_cast<std::chrono::steady_clock::duration>(
          std::chrono::steady_clock::time_point{deadline.time_since_epoch()}));
      self->wait();
    });
  }

  void cancel() noexcept override {
    if (cancelled_.exchange(true)) return;
    try {
      asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
    } catch (...) {
      // Posting can only fail when out of memory; the flag alone still stops
      // further calls, the timer then simply expires unobserved.
    }
  }

 private:
  void wait() {
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->cancelled_.load()) return;
      self->fire_();
      if (self->period_.count() > 0 && !self->cancelled_.load()) {
        self->timer_.expires_at(self->timer_.expiry() + self->period_);
        self->wait();
      }
    });
  }

  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer timer_;
  const clock::duration period_;
  const std::function<void()> fire_;
  std::atomic<bool> cancelled_{false};
};

class real_clock final : public clock {
 public:
  explicit real_clock(asio::io_context& io) : io_(io) {}

  time_point now() const noexcept override {
    return std::chrono::time_point_cast<duration>(std::chrono::steady_clock::now());
  }

  std::shared_ptr<armed_timer> arm(time_point deadline, duration period,
                                   std::function<void()> fire) override {
    auto timer = std::make_shared<real_timer>(io_, period, std::move(fire));
    timer->start(deadline);
    return timer;
  }

  void sleep_for(duration d) override { std::this_thread::sleep_for(d); }

 private:
  asio::io_context& io_;
};

}  // namespace

std::shared_ptr<clock> make_real_clock(asio::io_context& io) {
  return std::make_shared<real_clock>(io);
}

}  // namespace weir
