// A parent stopping while its children stop on their own, on real threads:
// the parent's stop reads what it needs of each child without racing the
// child's own stop. Runs under TSan in CI (it found this race in a Savina
// benchmark: the parent read a child's lazily made extras while the child
// made them).

#include <weir/system.hpp>  // first: the header must be self-contained

#include "scale.hpp"
#include "watchdog.hpp"

#include <spdlog/logger.h>

#include <doctest/doctest.h>

#include <string>

using namespace std::chrono_literals;

namespace {

struct go {};

class quitter : public weir::actor<go> {
 public:
  void on_message(go&) override { quit(); }
};

class parent : public weir::actor<go> {
 public:
  explicit parent(std::size_t children) : children_(children) {}
  void on_start() override {
    for (std::size_t i = 0; i < children_; ++i) kids_.push_back(spawn<quitter>("k" + std::to_string(i)));
  }
  void on_message(go&) override {
    for (auto& kid : kids_) (void)kid.send(go{});  // each quits on its own thread...
    quit();                                  // ...while we stop them all
  }

 private:
  std::size_t children_;
  std::vector<weir::handle<quitter>> kids_;
};

}  // namespace

TEST_CASE("stress: a parent stops while its children quit on their own; every actor stops exactly once") {
  weir::test::watchdog dog("parent stop vs children quitting", 120s);
  const std::size_t rounds = weir::test::scaled(400);
  weir::system_config config;
  config.threads = 2;
  config.logger = std::make_shared<spdlog::logger>("quiet");
  weir::system sys(config);
  for (std::size_t i = 0; i < rounds; ++i) {
    auto p = sys.spawn<parent>("p" + std::to_string(i), 8);
    (void)p.send(go{});
    CHECK(sys.wait_for(p).kind == weir::exit_kind::normal);
  }
  CHECK(sys.live_actors() == 0);
  sys.shutdown();
}
