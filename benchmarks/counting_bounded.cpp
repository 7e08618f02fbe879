// weir: the counting workload of bench_counting (one sender actor, one
// receiver, N int messages) over a bounded edge with the default reaction,
// suspend: weir::connect(receiver, weir::bounded{.capacity = 1024}).
// Measures what flow control costs in throughput and what it saves in
// memory. Prints "counting-bounded weir: X msg/s" and
// "counting-bounded-rss weir: X MB". Issue #3's targets: >= 0.8x the msg/s
// of bench_counting, peak RSS <= 50 MB.
//
// Usage: bench_counting_bounded [--insight on|off] [messages]   (default 10,000,000)

#include "counting_workload.hpp"

#include <weir/edge.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>

namespace {

constexpr std::size_t capacity = 1024;

// Sends per turn. Suspension only happens between handlers (see
// weir::bounded), so a sender that sent everything from one handler would
// hold N - capacity messages at its end; producing in slices bounds what it
// holds by one slice. One slice = one capacity keeps the self-message
// overhead at one `more` per 1,024 sends.
constexpr int slice = static_cast<int>(capacity);

struct more {};

class sender : public weir::actor<more> {
 public:
  sender(weir::handle<bench::counting::receiver> target, int total) : target_(std::move(target)), total_(total) {}
  void on_start() override {
    // Connected here, not in the constructor, so the edge is labelled with
    // this actor's path (the constructor runs on the spawning thread).
    // Every field spelled out: block_timeout has no default member
    // initializer, so leaving it out trips -Wmissing-field-initializers.
    out_ = weir::connect(target_, weir::bounded{.capacity = capacity,
                                                .on_full = weir::overflow_reaction::suspend,
                                                .block_timeout = std::nullopt});
    produce();
  }
  void on_message(more&) override { produce(); }

 private:
  void produce() {
    const int end = std::min(total_, sent_ + slice);
    for (; sent_ < end; ++sent_) (void)out_.send(sent_);
    // Out of credit, the sends past it are held here and the runtime
    // suspends us after this handler; `more` then waits in the mailbox until
    // they have gone on. No quit() after the last slice: a sender that stops
    // for good dead-letters what it still holds. The receiver ends the run.
    if (sent_ < total_) (void)self().send(more{});
  }

  weir::handle<bench::counting::receiver> target_;
  weir::edge<bench::counting::receiver> out_;
  int total_;
  int sent_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  return bench::counting::run<sender>(argc, argv, "counting-bounded");
}
