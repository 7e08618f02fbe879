#include <weir/mailbox/fair_picker.hpp>  // first: the header must be self-contained
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

struct urgent {
  int left;  // re-sends itself while > 0: keeps the first inbox busy
};
struct chore {};

class two_inboxes : public weir::actor<weir::inbox<urgent>, weir::inbox<chore>> {
 public:
  two_inboxes(std::string& log, std::vector<std::uint32_t> weights) : log_(log) {
    if (!weights.empty()) drain_fairly(std::move(weights));
  }
  void on_message(urgent& u) override {
    log_ += 'U';
    if (u.left > 0) self().send(urgent{u.left - 1});
  }
  void on_message(chore&) override { log_ += 'c'; }

 private:
  std::string& log_;
};

std::string run(std::vector<std::uint32_t> weights) {
  std::string log;
  weir::testing::manual_system t;
  auto a = t.system.spawn<two_inboxes>("a", log, std::move(weights));
  for (int i = 0; i < 5; ++i) a.send(chore{});
  a.send(urgent{11});  // 12 urgent messages in all, each sent while the last is handled
  t.run_until_idle();
  return log;
}

}  // namespace

TEST_CASE("strict priority starves the low inbox while the high one stays busy") {
  CHECK(run({}) == "UUUUUUUUUUUUccccc");
}

TEST_CASE("weighted-fair draining never starves the low inbox") {
  const std::string log = run({3, 1});
  CHECK(log.size() == 17);
  // While both have messages, every 4 picks serve the low inbox once.
  CHECK(log.substr(0, 8) == "UUcUUUcU");
  // No chore waits behind more than 3 urgent messages.
  std::size_t run_of_u = 0;
  for (char c : log.substr(0, log.rfind('c') + 1)) {
    run_of_u = c == 'U' ? run_of_u + 1 : 0;
    CHECK(run_of_u <= 3);
  }
}

TEST_CASE("fair_picker: smooth weighted round robin spreads picks by weight") {
  weir::fair_picker picker({5, 1, 1});
  std::string order;
  for (int i = 0; i < 14; ++i) order += static_cast<char>('a' + picker.pick([](std::size_t) { return true; }));
  CHECK(order == "aabacaaaabacaa");
  // An empty inbox is skipped; all empty gives none.
  CHECK(picker.pick([](std::size_t i) { return i == 2; }) == 2);
  CHECK(picker.pick([](std::size_t) { return false; }) == weir::fair_picker::none);
}

TEST_CASE("fair draining rejects bad weights, naming what is wrong") {
  CHECK_THROWS_WITH_AS(weir::fair_picker({2, 0}), doctest::Contains("weight of inbox 1 must be >= 1"),
                       std::invalid_argument);
  std::string log;
  weir::testing::manual_system t;
  CHECK_THROWS_WITH_AS(t.system.spawn<two_inboxes>("a", log, std::vector<std::uint32_t>{1, 2, 3}),
                       doctest::Contains("one weight per inbox (2), got 3"), std::invalid_argument);
}
