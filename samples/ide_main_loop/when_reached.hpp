#pragma once
// when_reached.hpp — "reply once your progress reaches N": how the scenario
// learns that work it set off elsewhere is done, without polling or sleeping.

#include <cstdint>
#include <future>
#include <utility>
#include <vector>

namespace ide_main_loop {

/// Asks an actor for its `Counters` once its progress has reached `target`.
template <class Counters>
struct when_reached {
  std::uint64_t target = 0;
  std::promise<Counters> reply;
};

/// The requests an actor holds until its progress reaches their target.
/// Thread safety: none; one actor's strand.
template <class Counters>
class waiting_replies {
 public:
  void add(when_reached<Counters> request) { waiting_.push_back(std::move(request)); }

  /// Replies, with `counters`, to every request whose target `progress` has reached.
  void settle(std::uint64_t progress, const Counters& counters) {
    std::erase_if(waiting_, [&](when_reached<Counters>& request) {
      if (progress < request.target) return false;
      request.reply.set_value(counters);
      return true;
    });
  }

 private:
  std::vector<when_reached<Counters>> waiting_;
};

}  // namespace ide_main_loop
