// weir: Savina's thread ring (ThreadRing). N actors in a ring pass one token
// T hops; the member that receives it with no hops left reports its place
// in the ring, which must be T mod N. Same workload as
// peers/caf_thread_ring.cpp. Prints "thread-ring weir: X ms" and
// "thread-ring-rss weir: X MB".
//
// Usage: bench_thread_ring [--threads N] [hops]   (default 2,000,000; 503 actors)

#include "bench.hpp"

#include <weir/weir.hpp>

#include <cstdint>
#include <future>
#include <string>
#include <vector>

namespace {

constexpr std::size_t members = 503;  // the classic size (Computer Language Benchmarks Game)

struct token {
  std::uint64_t hops_left;
};
using token_port = weir::interface<token>;

// The ring is closed after every member is spawned, so each learns its
// successor by message rather than at construction.
struct successor {
  weir::handle<token_port> next;
};

class member : public weir::actor<token, successor> {
 public:
  member(std::size_t place, std::promise<std::size_t>* done) : place_(place), done_(done) {}
  void on_message(successor& s) override { next_ = std::move(s.next); }
  void on_message(token& t) override {
    if (t.hops_left == 0) {
      done_->set_value(place_);
      return;
    }
    (void)next_.send(token{t.hops_left - 1});
  }

 private:
  std::size_t place_;
  std::promise<std::size_t>* done_;
  weir::handle<token_port> next_;
};

}  // namespace

int main(int argc, char** argv) {
  weir::system_config config;
  config.threads = bench::take_threads(argc, argv);
  const std::uint64_t hops = bench::arg_or(argc, argv, 1, 2'000'000);
  weir::system sys(config);
  std::promise<std::size_t> done;
  const bench::stopwatch watch;
  std::vector<weir::handle<member>> ring;
  for (std::size_t i = 0; i < members; ++i) ring.push_back(sys.spawn<member>("member" + std::to_string(i), i, &done));
  for (std::size_t i = 0; i < members; ++i) (void)ring[i].send(successor{ring[(i + 1) % members]});
  (void)ring[0].send(token{hops});
  const std::size_t last = done.get_future().get();
  const double ms = watch.millis();
  if (!bench::expect_eq("bench_thread_ring last member", last, hops % members)) return 1;
  bench::report("thread-ring", "weir", ms, "ms");
  bench::report_peak_rss("thread-ring", "weir");
  return 0;
}
