// Raw floor for pingpong, no actor framework: two strands of one io_context
// run by 2 threads; a handler on strand A schedules one on strand B and vice
// versa. One round trip is A -> B -> A. Run twice in one process:
//   asio-post:  boost::asio::post, i.e. a plain cross-strand hand-off through
//               the shared queue, as an actor send does;
//   asio-defer: boost::asio::defer, whose continuation hint sends the handler
//               to the posting thread's private queue, so the ball stays on
//               one thread (the best case any scheduler can hope for).
// Prints "pingpong asio-post: X rt/s" and "pingpong asio-defer: X rt/s".
//
// Usage: asio_pingpong [round_trips]   (default 1,000,000)

#include <cstddef>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/defer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "bench.hpp"

namespace {

namespace asio = boost::asio;

constexpr int thread_count = 2;

// `Schedule` is post or defer, called as schedule(strand, handler).
template <class Schedule>
class pingpong {
public:
  pingpong(std::size_t round_trips, Schedule schedule)
      : round_trips_{round_trips}, schedule_{std::move(schedule)} {}

  // Runs the whole exchange; returns the completed round trips.
  std::size_t run() {
    schedule_(a_, [this] { ping(); });
    std::vector<std::thread> helpers;
    for (int i = 1; i < thread_count; ++i) // the calling thread is the last one
      helpers.emplace_back([this] { context_.run(); });
    context_.run(); // returns once the exchange stops and the queue drains
    for (auto& helper : helpers)
      helper.join();
    return completed_;
  }

private:
  using strand = asio::strand<asio::io_context::executor_type>;

  void ping() { // on strand A
    if (completed_ == round_trips_)
      return; // no more work: both run() calls return
    schedule_(b_, [this] { pong(); });
  }

  void pong() { // on strand B
    ++completed_; // strand hand-offs order this with ping()'s read
    schedule_(a_, [this] { ping(); });
  }

  std::size_t round_trips_;
  Schedule schedule_;
  std::size_t completed_ = 0;
  asio::io_context context_{thread_count};
  strand a_ = asio::make_strand(context_);
  strand b_ = asio::make_strand(context_);
};

template <class Schedule>
bool measure(std::string_view system, std::size_t round_trips, Schedule schedule) {
  pingpong<Schedule> game{round_trips, std::move(schedule)};
  const bench::stopwatch watch;
  const std::size_t completed = game.run();
  const double seconds = watch.seconds();
  if (!bench::expect_eq("asio_pingpong round trips", completed, round_trips))
    return false;
  bench::report("pingpong", system, static_cast<double>(round_trips) / seconds, "rt/s");
  return true;
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t round_trips = bench::arg_or(argc, argv, 1, 1'000'000);
  const bool ok_post = measure("asio-post", round_trips, [](auto& strand, auto handler) {
    asio::post(strand, std::move(handler));
  });
  const bool ok_defer = measure("asio-defer", round_trips, [](auto& strand, auto handler) {
    asio::defer(strand, std::move(handler));
  });
  return ok_post && ok_defer ? 0 : 1;
}
