// Asks against stop and timeout: the answer, the timeout, the replier's stop
// and the asker's stop race; the asker's continuation runs exactly once
// while it lives, and never after it stopped.

#include "scope.hpp"

#include <weir/actor.hpp>
#include <weir/system.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>

using namespace std::chrono_literals;

namespace {

struct question {
  weir::reply_to<int> reply;
};
struct answer_now {};

/// Keeps the token of the question until told to answer (or crashes with it).
class replier : public weir::actor<question, answer_now> {
 public:
  void on_message(question& q) override { pending_ = std::move(q.reply); }
  void on_message(answer_now&) override {
    if (pending_) pending_.send(42);
  }

 private:
  weir::reply_to<int> pending_;
};

struct outcome {
  int replies = 0;
  int errors = 0;
  std::optional<weir::ask_error> error;
};

struct begin {};

class asker : public weir::actor<begin> {
 public:
  asker(weir::handle<replier> to, outcome* o) : to_(std::move(to)), outcome_(o) {}
  void on_message(begin&) override {
    ask(to_, question{}, 1s, [o = outcome_](int&) { ++o->replies; },
        [o = outcome_](weir::ask_error e) {
          ++o->errors;
          o->error = e;
        });
  }

 private:
  weir::handle<replier> to_;
  outcome* outcome_;
};

enum class step { answer, stop_replier, stop_asker };

std::string name_of(step s) {
  return s == step::answer ? "answer" : s == step::stop_replier ? "stop /replier" : "stop /asker";
}

weir::testing::scenario ask_race(std::vector<step> script) {
  return [script](weir::testing::schedule_run& run) {
    auto seen = std::make_shared<outcome>();
    auto r = run.system.spawn<replier>("replier");
    auto a = run.system.spawn<asker>("asker", r, seen.get());
    run.script("begin the ask", [a] { a.send(begin{}); });
    for (step s : script) {
      run.script(name_of(s), [=] {
        switch (s) {
          case step::answer: r.send(answer_now{}); break;
          case step::stop_replier: r.stop(); break;
          case step::stop_asker: a.stop(); break;
        }
      });
    }
    run.at_quiescence("the continuation ran exactly once while the asker lives", [a, seen] {
      const int ran = seen->replies + seen->errors;
      if (ran > 1) return "the ask ended " + std::to_string(ran) + " times";
      if (!a.stopped() && ran != 1) return std::string("the ask never ended");
      return std::string{};
    });
  };
}

}  // namespace

TEST_CASE("explore: asks against the answer, the timeout, and stops of either side") {
  const std::vector<std::vector<step>> scripts = {
      {step::answer},
      {step::stop_replier},
      {step::answer, step::stop_replier},
      {step::stop_replier, step::answer},
      {step::stop_asker, step::answer},
      {step::answer, step::stop_asker},
      {step::answer, step::stop_asker, step::stop_replier},
      {},  // nobody answers: the timeout ends it
  };
  std::size_t schedules = 0;
  for (const auto& script : scripts) {
    std::string text;
    for (step s : script) text += name_of(s) + "; ";
    CAPTURE(text);
    const auto result = weir::testing::explore(ask_race(script), weir::test::deviations(2, 3));
    schedules += result.schedules;
    if (result.failure) FAIL(*result.failure);
    CHECK(result.exhausted);
  }
  MESSAGE("explore asks exhaustive: " << schedules << " schedules");
}
