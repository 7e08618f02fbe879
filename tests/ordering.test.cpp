#include <weir/system.hpp>  // first: the header must be self-contained
#include <weir/testing/manual_system.hpp>

#include <doctest/doctest.h>

#include <map>
#include <vector>

namespace {

struct item {
  int sender;
  int seq;
};
struct go {};

class recorder : public weir::actor<item> {
 public:
  explicit recorder(std::vector<item>& seen) : seen_(seen) {}
  void on_message(item& i) override { seen_.push_back(i); }

 private:
  std::vector<item>& seen_;
};

// Sends `count` numbered items to the recorder each time it is told to go.
class producer : public weir::actor<go> {
 public:
  producer(int id, int count, weir::handle<recorder> to) : id_(id), count_(count), to_(std::move(to)) {}
  void on_message(go&) override {
    for (int i = 0; i < count_; ++i) to_.send(item{id_, next_++});
  }

 private:
  int id_;
  int count_;
  int next_ = 0;
  weir::handle<recorder> to_;
};

}  // namespace

TEST_CASE("per sender-receiver pair, messages arrive in the order sent") {
  std::vector<item> seen;
  weir::system_config config;
  config.batch = 3;  // force many turns so interleavings happen
  weir::testing::manual_system t(config);
  auto rec = t.system.spawn<recorder>("rec", seen);
  std::vector<weir::handle<producer>> producers;
  for (int p = 0; p < 4; ++p) producers.push_back(t.system.spawn<producer>("p" + std::to_string(p), p, 7, rec));
  t.run_until_idle();
  for (int round = 0; round < 5; ++round) {
    for (auto& p : producers) p.send(go{});
    // Step turn by turn, so producers and the recorder interleave.
    while (t.run_one()) {
    }
  }
  REQUIRE(seen.size() == 4u * 7u * 5u);
  std::map<int, int> next;
  for (const item& i : seen) {
    CHECK(i.seq == next[i.sender]);
    next[i.sender] = i.seq + 1;
  }
}

TEST_CASE("sends from outside any actor keep their order too") {
  std::vector<item> seen;
  weir::testing::manual_system t;
  auto rec = t.system.spawn<recorder>("rec", seen);
  for (int i = 0; i < 1000; ++i) {
    rec.send(item{0, i});
    if (i % 97 == 0) t.run_one();
  }
  t.run_until_idle();
  REQUIRE(seen.size() == 1000u);
  for (int i = 0; i < 1000; ++i) CHECK(seen[static_cast<std::size_t>(i)].seq == i);
}

TEST_CASE("a turn handles at most `batch` messages, then yields") {
  std::vector<item> seen;
  weir::system_config config;
  config.batch = 4;
  weir::testing::manual_system t(config);
  auto rec = t.system.spawn<recorder>("rec", seen);
  t.run_until_idle();
  for (int i = 0; i < 10; ++i) rec.send(item{0, i});
  REQUIRE(t.run_one());
  CHECK(seen.size() == 4u);
  REQUIRE(t.run_one());
  CHECK(seen.size() == 8u);
  t.run_until_idle();
  CHECK(seen.size() == 10u);
}
