#pragma once
// model.hpp — OTP's supervision rules in a few lines, applied to the script:
// what the tree should look like after each step. The demo compares the
// running tree with it, so it checks weir as much as it shows it.

#include "script.hpp"
#include "snapshot.hpp"
#include "tree.hpp"

#include <weir/clock.hpp>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace supervision_tree {

/// The predicted tree. Rules (those of OTP's supervisor, as weir documents
/// them): a child that exits is restarted if it is permanent, or transient
/// and crashed; the strategy picks who restarts with it (one_for_one: it;
/// one_for_all: every live sibling; rest_for_one: it and the live siblings
/// started after it). Each restart counts once for the supervisor's
/// intensity: more than `intensity` within `period` and the supervisor stops
/// its children and exits crashed instead, for its own supervisor to handle.
/// A restarted supervisor is a fresh one: its children start anew, restart
/// counts and intensity window at zero.
///
/// Time is the scripted time of each step: with real threads the events
/// happen a little later, which matters only if a step falls right on the
/// edge of an intensity window (the default script's never do).
///
/// Thread safety: none; one thread.
class model {
 public:
  explicit model(const tree_layout& tree);

  /// Plays `s`; returns what happens, one sentence each, for the printout.
  std::vector<std::string> apply(const step& s);

  [[nodiscard]] snapshot expected() const;
  [[nodiscard]] bool root_gave_up() const noexcept { return root_gave_up_; }
  /// Exceptions the workers are expected to throw (faults handled by a live worker).
  [[nodiscard]] std::uint64_t crashes() const noexcept { return crashes_; }
  /// Subsystems that gave up and were restarted by the root.
  [[nodiscard]] std::uint32_t escalations() const noexcept { return escalations_; }

 private:
  struct worker_state {
    const worker_layout* layout;
    std::uint32_t restarts = 0;
    bool running = true;
  };
  struct subsystem_state {
    const subsystem_layout* layout;
    std::uint32_t restarts = 0;
    bool running = true;
    std::deque<weir::clock::duration> recent;  // restarts within the intensity period
    std::vector<worker_state> workers;
  };

  /// A worker exited (crashed or not) at `at`; false if its subsystem gave up.
  bool worker_exited(subsystem_state& sub, std::size_t index, bool crashed, weir::clock::duration at,
                     std::vector<std::string>& story);
  /// A subsystem gave up at `at`: the root decides.
  void subsystem_gave_up(std::size_t index, weir::clock::duration at, std::vector<std::string>& story);
  void start_fresh(subsystem_state& sub);

  const tree_layout& tree_;
  std::deque<weir::clock::duration> root_recent_;
  std::vector<subsystem_state> subsystems_;
  bool root_gave_up_ = false;
  std::uint64_t crashes_ = 0;
  std::uint32_t escalations_ = 0;
};

}  // namespace supervision_tree
