// weir: Savina's chameneos (Chameneos). C chameneos meet through a mall:
// each asks the mall for a meeting with its colour; the mall pairs two, and
// the pair takes the complement of their colours and asks again. After M
// meetings the mall answers every request with `closing`, each chameneo
// reports how many meetings it had, and the total must be 2 M. Same
// workload as peers/caf_chameneos.cpp. Prints "chameneos weir: X ms" and
// "chameneos-rss weir: X MB".
//
// Usage: bench_chameneos [--threads N] [meetings]   (default 400,000; 100 chameneos)

#include "bench.hpp"
#include "chameneos_colour.hpp"

#include <weir/weir.hpp>

#include <cstdint>
#include <future>
#include <optional>
#include <string>

namespace {

constexpr std::size_t chameneos = 100;

using bench::chameneos::colour;
using bench::chameneos::complement;

// To a chameneo: the mall found it a partner; it answers the partner with
// `change` and asks the mall again.
struct change {
  colour to;
};
struct partner {
  colour theirs;
  weir::handle<weir::interface<change>> who;
};
struct closing {};
using chameneo_port = weir::interface<partner, change, closing>;

// To the mall.
struct meet {
  colour mine;
  weir::handle<chameneo_port> from;
};
struct meetings_had {
  std::uint64_t count;
};
using mall_port = weir::interface<meet, meetings_had>;

class mall : public weir::actor<meet, meetings_had> {
 public:
  mall(std::uint64_t meetings, std::promise<std::uint64_t>* done) : meetings_left_(meetings), done_(done) {}
  void on_message(meet& m) override {
    if (meetings_left_ == 0) {
      (void)m.from.send(closing{});
    } else if (!waiting_) {
      waiting_ = std::move(m);
    } else {
      --meetings_left_;
      (void)waiting_->from.send(partner{m.mine, std::move(m.from)});
      waiting_.reset();
    }
  }
  void on_message(meetings_had& m) override {
    total_ += m.count;
    if (++reports_ == chameneos) {
      done_->set_value(total_);
      quit();
    }
  }

 private:
  std::uint64_t meetings_left_;
  std::promise<std::uint64_t>* done_;
  std::optional<meet> waiting_;
  std::uint64_t total_ = 0;
  std::size_t reports_ = 0;
};

class chameneo : public weir::actor<partner, change, closing> {
 public:
  chameneo(weir::handle<mall_port> mall, colour start) : mall_(std::move(mall)), colour_(start) {}
  void on_start() override { ask_mall(); }
  void on_message(partner& p) override {
    colour_ = complement(colour_, p.theirs);
    ++meetings_;
    (void)p.who.send(change{colour_});
    ask_mall();
  }
  void on_message(change& c) override {
    colour_ = c.to;
    ++meetings_;
    ask_mall();
  }
  void on_message(closing&) override {
    (void)mall_.send(meetings_had{meetings_});
    quit();
  }

 private:
  void ask_mall() { (void)mall_.send(meet{colour_, self()}); }

  weir::handle<mall_port> mall_;
  colour colour_;
  std::uint64_t meetings_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  weir::system_config config;
  config.threads = bench::take_threads(argc, argv);
  const std::uint64_t meetings = bench::arg_or(argc, argv, 1, 400'000);
  weir::system sys(config);
  std::promise<std::uint64_t> done;
  const bench::stopwatch watch;
  auto the_mall = sys.spawn<mall>("mall", meetings, &done);
  for (std::size_t i = 0; i < chameneos; ++i)
    (void)sys.spawn<chameneo>("chameneo" + std::to_string(i), the_mall, static_cast<colour>(i % 3));
  const std::uint64_t total = done.get_future().get();
  const double ms = watch.millis();
  if (!bench::expect_eq("bench_chameneos meetings", total, 2 * meetings)) return 1;
  bench::report("chameneos", "weir", ms, "ms");
  bench::report_peak_rss("chameneos", "weir");
  return 0;
}
