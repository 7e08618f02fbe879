// Raw floor for counting, no actor framework: one producer thread pushes N
// ints through a boost::lockfree::queue (multi-producer capable, like an
// actor inbox) to one consumer thread that counts them. The queue has a fixed
// capacity (the producer yields while it is full), so unlike an actor
// mailbox it never allocates per message. Prints "counting lockfree-floor: X msg/s".
//
// Usage: lockfree_counting [messages]   (default 10,000,000)

#include <cstddef>
#include <thread>

#include <boost/lockfree/queue.hpp>

#include "bench.hpp"

namespace {

// boost::lockfree tags node indices with 16 bits, so 65534 is about the
// largest fixed capacity it accepts.
using queue = boost::lockfree::queue<int, boost::lockfree::capacity<65534>>;

} // namespace

int main(int argc, char** argv) {
  const std::size_t messages = bench::arg_or(argc, argv, 1, 10'000'000);

  queue inbox;
  std::size_t received = 0;

  const bench::stopwatch watch;
  std::thread producer{[&] {
    for (std::size_t i = 0; i < messages; ++i) {
      while (!inbox.push(static_cast<int>(i)))
        std::this_thread::yield();
    }
  }};
  std::thread consumer{[&] {
    int value = 0;
    while (received < messages) {
      if (inbox.pop(value)) // spins while empty: the floor must not sleep
        ++received;
    }
  }};
  producer.join();
  consumer.join();
  const double seconds = watch.seconds();

  if (!bench::expect_eq("lockfree_counting messages", received, messages))
    return 1;
  bench::report("counting", "lockfree-floor", static_cast<double>(messages) / seconds, "msg/s");
  return 0;
}
