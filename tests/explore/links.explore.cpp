// Links and monitors against stop: a monitor or link set while its target
// stops, crashes or is stopped by its parent fires exactly once, and a
// linked crash takes the other side down, under every interleaving.

#include "actors.hpp"
#include "scope.hpp"

#include <weir/system.hpp>

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>

using weir::test::crash;
using weir::test::crasher;

namespace {

/// What the watcher learned: down notices and trapped exits, by path.
struct notices {
  std::map<std::string, int> downs;
  std::map<std::string, int> exits;
};

struct watch {
  weir::handle<crasher> target;
};
struct link_to {
  weir::handle<crasher> target;
};

/// Monitors or links on request; in on_start spawns a monitored and a
/// linked child of its own. With `trap`, linked exits arrive as messages.
class watcher : public weir::actor<watch, link_to> {
 public:
  watcher(notices* n, bool trap) : notices_(n), trap_(trap) {}
  void on_start() override {
    trap_exit(trap_);
    (void)spawn_monitored<crasher>("monitored");
    (void)spawn_linked<crasher>("linked");
  }
  void on_message(watch& w) override { (void)monitor(w.target); }
  void on_message(link_to& l) override { link(l.target); }
  void on_down(const weir::down& d) override { ++notices_->downs[d.path]; }
  void on_linked_exit(const weir::linked_exit& e) override { ++notices_->exits[e.path]; }

 private:
  notices* notices_;
  bool trap_;
};

enum class step { crash_monitored, crash_linked, crash_peer, stop_peer, stop_watcher, watch_peer, link_peer };

std::string name_of(step s) {
  switch (s) {
    case step::crash_monitored: return "crash /w/monitored";
    case step::crash_linked: return "crash /w/linked";
    case step::crash_peer: return "crash /peer";
    case step::stop_peer: return "stop /peer";
    case step::stop_watcher: return "stop /w";
    case step::watch_peer: return "/w monitors /peer";
    case step::link_peer: return "/w links /peer";
  }
  return "?";
}

weir::testing::scenario links_and_monitors(std::vector<step> script, bool trap) {
  return [script, trap](weir::testing::schedule_run& run) {
    auto seen = std::make_shared<notices>();
    auto w = run.system.spawn<watcher>("w", seen.get(), trap);
    auto peer = run.system.spawn<crasher>("peer");
    run.t.run_until_idle();
    auto monitored = *run.system.find<crasher>("/w/monitored");
    auto linked = *run.system.find<crasher>("/w/linked");
    bool watched = false;
    bool peer_linked = false;
    for (step s : script) {
      run.script(name_of(s), [=] {
        switch (s) {
          case step::crash_monitored: monitored.send(crash{}); break;
          case step::crash_linked: linked.send(crash{}); break;
          case step::crash_peer: peer.send(crash{}); break;
          case step::stop_peer: peer.stop(); break;
          case step::stop_watcher: w.stop(); break;
          case step::watch_peer: w.send(watch{peer}); break;
          case step::link_peer: w.send(link_to{peer}); break;
        }
      });
      watched |= s == step::watch_peer;
      peer_linked |= s == step::link_peer;
    }

    run.at_quiescence("every monitor fires exactly once, and links follow OTP's rules", [=] {
      for (const auto& [path, n] : seen->downs) {
        if (n != 1) return "/w got " + std::to_string(n) + " down notices for " + path;
      }
      for (const auto& [path, n] : seen->exits) {
        if (n != 1) return "/w trapped " + std::to_string(n) + " exits of " + path;
      }
      if (w.stopped()) {
        // A stopped parent leaves no child behind.
        if (!monitored.stopped() || !linked.stopped()) return std::string("/w stopped but a child of it lives");
        return std::string{};
      }
      // The watcher lives: whatever of its targets stopped was reported.
      if (monitored.stopped() && seen->downs["/w/monitored"] != 1) return std::string("no down for /w/monitored");
      if (linked.stopped() && !trap) return std::string("/w lives although its linked child crashed");
      if (linked.stopped() && seen->exits["/w/linked"] != 1) return std::string("no trapped exit for /w/linked");
      if (watched && peer.stopped() && seen->downs["/peer"] != 1) return std::string("no down for /peer");
      if (peer_linked && peer.stopped()) {
        // A crash of a linked peer stops the watcher unless it traps; a
        // shutdown stop is not `normal` either (OTP: exit(shutdown)).
        if (!trap) return std::string("/w lives although the peer it linked to stopped abnormally");
      }
      if (!watched && seen->downs.count("/peer") != 0) return std::string("a down for /peer nobody asked for");
      return std::string{};
    });
  };
}

}  // namespace

TEST_CASE("explore: monitors and links against crashes and stops, every order of a short script") {
  const std::vector<std::vector<step>> scripts = {
      {step::crash_monitored, step::stop_watcher},
      {step::crash_linked, step::crash_monitored},
      {step::watch_peer, step::crash_peer},
      {step::watch_peer, step::stop_peer, step::stop_watcher},
      {step::link_peer, step::crash_peer},
      {step::link_peer, step::stop_peer},
      {step::stop_peer, step::watch_peer},
      {step::stop_peer, step::link_peer},
      {step::link_peer, step::stop_watcher, step::crash_peer},
      {step::watch_peer, step::link_peer, step::crash_linked, step::crash_peer},
  };
  std::size_t schedules = 0;
  for (bool trap : {false, true}) {
    for (const auto& script : scripts) {
      std::string text = trap ? "trapping:" : "not trapping:";
      for (step s : script) text += " " + name_of(s) + ";";
      CAPTURE(text);
      const auto result = weir::testing::explore(links_and_monitors(script, trap), weir::test::deviations(2, 3));
      schedules += result.schedules;
      if (result.failure) FAIL(text << "\n" << *result.failure);
      CHECK(result.exhausted);
    }
  }
  MESSAGE("explore links and monitors exhaustive: " << schedules << " schedules");
}
