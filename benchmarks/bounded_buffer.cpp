// weir: Savina's producer-consumer with a bounded buffer
// (ProdConsBoundedBuffer). P producers and C consumers trade items through a
// manager that holds at most `buffer` of them. Demand is explicit, as in
// Savina: a producer makes its next item only when the manager sends it
// `produce`; a consumer announces itself `available` after each item. When
// every producer has finished and every consumer waits, the manager tells
// the consumers to close; each reports what it consumed, and the count and
// the sum of the item ids must match what the producers made. Same workload
// as peers/caf_bounded_buffer.cpp. Prints "bounded-buffer weir: X ms" and
// "bounded-buffer-rss weir: X MB".
//
// The workload (sizes, item ids, the per-item work, the check) is apart from
// the protocol (namespace explicit_demand; workload in
// common/bounded_buffer_workload.hpp), so that a variant in which the
// bound is the manager's inbox rather than its bookkeeping can sit beside it
// and report under a name of its own.
//
// Usage: bench_bounded_buffer [--threads N] [items_per_producer]
//        (default 4,000; 40 producers, 40 consumers, buffer 50)

#include "bench.hpp"
#include "bounded_buffer_workload.hpp"

#include <weir/weir.hpp>

#include <cstdint>
#include <deque>
#include <future>
#include <string>
#include <vector>

namespace {

using bench::bounded_buffer::process_item;
using bench::bounded_buffer::tally;
using bench::bounded_buffer::workload;

// ---- Savina's protocol: the manager keeps the bound, demand is explicit ---

namespace explicit_demand {

struct produce {};
using producer_port = weir::interface<produce>;

struct item {
  std::uint64_t id;
  std::uint64_t mix;
  weir::handle<producer_port> producer;  // whom to ask for the next one
};
struct close {};
using consumer_port = weir::interface<item, close>;

struct available {
  weir::handle<consumer_port> consumer;
};
struct producer_done {};
struct consumed {
  tally what;
};
using manager_port = weir::interface<item, available, producer_done, consumed>;

class producer : public weir::actor<produce> {
 public:
  producer(weir::handle<manager_port> manager, std::uint64_t first_id, std::uint64_t count)
      : manager_(std::move(manager)), next_id_(first_id), end_id_(first_id + count) {}
  void on_start() override { make_one(); }
  void on_message(produce&) override {
    if (next_id_ == end_id_) {
      (void)manager_.send(producer_done{});
      quit();
      return;
    }
    make_one();
  }

 private:
  void make_one() {
    const std::uint64_t id = next_id_++;
    (void)manager_.send(item{id, process_item(id), self()});
  }

  weir::handle<manager_port> manager_;
  std::uint64_t next_id_;
  std::uint64_t end_id_;
};

class consumer : public weir::actor<item, close> {
 public:
  explicit consumer(weir::handle<manager_port> manager) : manager_(std::move(manager)) {}
  void on_start() override { (void)manager_.send(available{self()}); }
  void on_message(item& i) override {
    tally_.consume(i.id, i.mix);
    (void)manager_.send(available{self()});
  }
  void on_message(close&) override {
    (void)manager_.send(consumed{tally_});
    quit();
  }

 private:
  weir::handle<manager_port> manager_;
  tally tally_;
};

// Spawns the producers and consumers as its children, as Savina's manager does.
class manager : public weir::actor<item, available, producer_done, consumed> {
 public:
  manager(workload w, std::promise<tally>* done) : work_(w), done_(done) {}
  void on_start() override {
    for (std::size_t p = 0; p < work_.producers; ++p)
      (void)spawn<producer>("producer" + std::to_string(p), self(), work_.first_id(p),
                            work_.items_per_producer);
    for (std::size_t c = 0; c < work_.consumers; ++c)
      consumers_.push_back(spawn<consumer>("consumer" + std::to_string(c), self()));
  }
  void on_message(item& i) override {
    weir::handle<producer_port> producer = i.producer;
    if (idle_consumers_.empty()) {
      buffer_.push_back(std::move(i));
    } else {
      (void)idle_consumers_.back().send(std::move(i));
      idle_consumers_.pop_back();
    }
    if (work_.holds_producers_back(buffer_.size())) {
      held_producers_.push_back(std::move(producer));
    } else {
      (void)producer.send(produce{});
    }
  }
  void on_message(available& a) override {
    if (buffer_.empty()) {
      idle_consumers_.push_back(std::move(a.consumer));
      close_if_finished();
      return;
    }
    (void)a.consumer.send(std::move(buffer_.front()));
    buffer_.pop_front();
    if (!held_producers_.empty()) {
      (void)held_producers_.back().send(produce{});
      held_producers_.pop_back();
    }
  }
  void on_message(producer_done&) override {
    ++finished_producers_;
    close_if_finished();
  }
  void on_message(consumed& c) override {
    total_ += c.what;
    if (++reports_ == work_.consumers) {
      done_->set_value(total_);
      quit();
    }
  }

 private:
  void close_if_finished() {
    if (finished_producers_ < work_.producers || idle_consumers_.size() < work_.consumers) return;
    for (const auto& c : consumers_) (void)c.send(close{});
  }

  workload work_;
  std::promise<tally>* done_;
  std::vector<weir::handle<consumer>> consumers_;
  std::deque<item> buffer_;
  std::vector<weir::handle<consumer_port>> idle_consumers_;
  std::vector<weir::handle<producer_port>> held_producers_;
  std::size_t finished_producers_ = 0;
  std::size_t reports_ = 0;
  tally total_;
};

tally run(weir::system& sys, const workload& w) {
  std::promise<tally> done;
  (void)sys.spawn<manager>("manager", w, &done);
  return done.get_future().get();
}

}  // namespace explicit_demand

}  // namespace

int main(int argc, char** argv) {
  weir::system_config config;
  config.threads = bench::take_threads(argc, argv);
  workload w;
  w.items_per_producer = bench::arg_or(argc, argv, 1, w.items_per_producer);
  weir::system sys(config);
  const bench::stopwatch watch;
  const tally got = explicit_demand::run(sys, w);
  const double ms = watch.millis();
  if (!bench::expect_eq("bench_bounded_buffer items", got.items, w.items()) ||
      !bench::expect_eq("bench_bounded_buffer id sum", got.id_sum, w.id_sum()))
    return 1;
  bench::report("bounded-buffer", "weir", ms, "ms");
  bench::report_peak_rss("bounded-buffer", "weir");
  return 0;
}
