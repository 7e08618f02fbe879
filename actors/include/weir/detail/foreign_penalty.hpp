#pragma once
// weir/detail/foreign_penalty.hpp — how a thread that is not an actor pays its soft penalty.

#include <weir/clock.hpp>

#include <chrono>
#include <memory>

namespace weir::detail {

// An actor pays its soft penalty by having its next turn deferred on a timer.
// A thread that is not an actor has no turn to defer, so it must sleep. But a
// penalty is 100 ns .. 1 ms, and an OS sleep of a few hundred nanoseconds
// really lasts 60-250 us (timer slack): sleeping per send would charge a
// foreign thread hundreds of times the formula. So each penalty goes on the
// thread's account, and the account is paid only once it reaches one
// `foreign_sleep_chunk`, by a single sleep on the system's clock measured
// against that clock: what was actually slept is subtracted, so an
// over-sleep is credited to the following sends (at most one chunk of
// credit, so a thread descheduled for long does not earn a free flood).
//
//   send: owed += penalty
//         owed >= chunk?  t0 = now(); sleep_for(owed); owed -= now() - t0
//                         owed = max(owed, -chunk)
//
// The account is the thread's (the penalty slows the thread that floods, not
// the edge, which many threads may share) and belongs to one clock, i.e. one
// system: sending through another system's clock opens a new account and
// forgives the old balance, which is always under one chunk.
//
// Thread safety: each thread has its own account; these functions touch only
// the calling thread's.
inline constexpr clock::duration foreign_sleep_chunk = std::chrono::milliseconds(1);

/// Charges `penalty` (>= 0) to the calling thread's account on `on`, and
/// sleeps on `on` if the account reaches one chunk.
void charge_foreign_thread(const std::shared_ptr<clock>& on, clock::duration penalty);

/// What the calling thread owes on `on` (negative: credit from an over-sleep).
[[nodiscard]] clock::duration foreign_thread_owes(const std::shared_ptr<clock>& on) noexcept;

}  // namespace weir::detail
