#pragma once
// weir/detail/stop_deadlines.hpp — the shutdown timeouts a parent armed for children it stops.

#include <weir/clock.hpp>

#include <memory>
#include <utility>
#include <vector>

namespace weir::detail {

class cell;

/// OTP's shutdown timeout: a parent stopping a supervised child gives it so
/// long, then cuts it off (see cell::on_stop_timeout). One deadline per child
/// at most; whichever comes first, the child's report or its deadline, takes
/// it out, and the other finds it gone.
///
/// Thread safety: none; only the parent's strand touches its deadlines.
class stop_deadlines {
 public:
  void arm(const cell& child, std::shared_ptr<armed_timer> timer);
  /// Takes the deadline armed for `child` out; null if there is none (the
  /// child stopped or reported meanwhile, or none was armed).
  [[nodiscard]] std::shared_ptr<armed_timer> take(const cell& child) noexcept;
  /// The child stopped or reported in time: its deadline is cancelled.
  void cancel(const cell& child) noexcept;

 private:
  std::vector<std::pair<const cell*, std::shared_ptr<armed_timer>>> armed_;
};

}  // namespace weir::detail
