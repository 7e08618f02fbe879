#pragma once
// station.hpp — the demo's worker: it passes numbered items along to the
// sibling it feeds, and fails or finishes when the script says so.

#include <weir/actor.hpp>
#include <weir/ask.hpp>
#include <weir/clock.hpp>
#include <weir/handle.hpp>

#include <cstdint>
#include <string>

namespace supervision_tree {

/// One unit of work, numbered by the station that made it.
struct item {
  std::uint64_t n = 0;
};
/// The script's poison: the station's handler throws `why`, a crash.
struct fault {
  std::string why;
};
/// The script's "your job is done": the station exits normally (quit()).
struct finish {};
/// How many items this incarnation has made or handled. A restart makes a
/// fresh station, so the count starts again from 0 (the mailbox survives).
struct items_seen {
  weir::reply_to<std::uint64_t> reply;
};

/// A worker of the tree. With a positive `tick` it makes one item per tick;
/// every item it makes or receives goes on to `next` (a sibling started
/// before it, resolved at each start by weir::sibling), if it has one.
///
/// Thread safety: an actor; talk to it with messages.
class station : public weir::actor<item, fault, finish, items_seen> {
 public:
  explicit station(weir::clock::duration tick);
  station(weir::clock::duration tick, weir::handle<station> next);

 protected:
  void on_start() override;
  void on_message(item& in) override;
  void on_message(fault& f) override;
  void on_message(finish& f) override;
  void on_message(items_seen& ask) override;

 private:
  void pass_on(std::uint64_t n);

  weir::clock::duration tick_;
  weir::handle<station> next_;  // empty: the end of a pipeline
  std::uint64_t items_ = 0;
};

}  // namespace supervision_tree
