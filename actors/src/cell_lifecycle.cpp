// The cell's life: crashes, dead letters, the child tree and the stop protocol, supervised exits and restarts.

#include <weir/actor.hpp>
#include <weir/detail/cell.hpp>
#include "cell_extras.hpp"
#include <weir/detail/supervision_port.hpp>
#include <weir/detail/ask_book.hpp>
#include <weir/detail/control_signal.hpp>
#include <weir/detail/crash_report.hpp>
#include <weir/detail/duration_text.hpp>
#include <weir/detail/links_monitors.hpp>
#include <weir/detail/log_limiter.hpp>
#include <weir/detail/edge_book.hpp>
#include <weir/detail/foreign_penalty.hpp>
#include <weir/detail/ring_state.hpp>
#include <weir/detail/scheduler.hpp>
#include <weir/detail/stop_deadlines.hpp>
#include <weir/detail/timer_set.hpp>
#include <weir/detail/type_name.hpp>
#include <weir/mailbox/fair_picker.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

namespace weir::detail {

// ---------------------------------------------------------------------------
// Crashes, dead letters.

void cell::crash(std::exception_ptr error, const cell_envelope* culprit) {
  begin_stop(report_crash(error, culprit));
}

crash_report cell::crashes() const noexcept { return crash_report{rt_->crashes, *rt_->limited_log}; }

exit_reason cell::report_crash(std::exception_ptr error, const cell_envelope* culprit) {
  const bool user_message = culprit != nullptr && is_user_inbox(culprit->inbox);
  if (user_message) {
    // The message that crashed the actor is dead-lettered, never retried.
    dead_letters_.fetch_add(1, std::memory_order_relaxed);
    rt_->dead_letters.fetch_add(1, std::memory_order_relaxed);
    culprit->edge->dead_lettered.fetch_add(1, std::memory_order_relaxed);
  }
  return crashes().record("crash", path(), crash_report::what_threw(culprit, user_message), error);
}

// Refuses every later push and turns whatever is still queued into dead
// letters (runtime signals are disposed of; an adoption aborts the child).
void cell::close_mailbox() noexcept {
  distribute(queue_.close());
  for (auto& fifo : fifos_) {
    while (envelope* item = fifo.pop_front()) discard(item);
  }
  local_count_ = 0;
}

void cell::discard(envelope* item) noexcept {
  auto* dropped = static_cast<cell_envelope*>(item);
  if (!is_user_inbox(item->inbox)) {
    dropped->on_undelivered();  // e.g. an adoption aborts its child, a watch fires at once
    dropped->dispose();
    return;
  }
  edge_state* edge = dropped->edge;
  dead_letters_.fetch_add(1, std::memory_order_relaxed);
  rt_->dead_letters.fetch_add(1, std::memory_order_relaxed);
  queued_.fetch_sub(1, std::memory_order_relaxed);
  edge->dead_lettered.fetch_add(1, std::memory_order_relaxed);
  if (rt_->logger->should_log(spdlog::level::debug)) {
    const std::string type = type_name(dropped->type());
    rt_->limited_log->debug(log_keys::of("dead-letter", path(), type), "weir: dead letter {} to stopped actor {}", type,
                            path());
  }
  dropped->on_undelivered();  // a carrier forgets what its edge had pending
  dropped->dispose();
  edge->release_in_flight(1);  // last: may delete the edge, and a carrier inside it
}

// ---------------------------------------------------------------------------
// The tree: adopting children and stopping in order.

void cell::hand_to_parent(const cell_ptr& child) {
  cell* parent = child->parent();
  if (current() == parent) {
    parent->adopt(child);  // we run the parent's turn: link now, atomically with the spawn
  } else {
    parent->enqueue_system(new signal_envelope(signals::adopt{child}));  // if refused, discard() aborts the child
  }
}

void cell::adopt(const cell_ptr& child) {
  if (!is_running()) {
    child->abort_unstarted();
    return;
  }
  link_child(*child);
  child->launch();
  rt_->links.linked();  // wakes threads waiting for its path, if any
}

std::vector<cell_ptr> cell::children() const {
  std::vector<cell_ptr> out;
  tree_.for_each([&out](tree_node& child) { out.emplace_back(&static_cast<cell&>(child)); });
  return out;
}

cell_ptr cell::child_named(std::string_view name) const {
  cell_ptr found;
  tree_.for_each([&](tree_node& node) {
    auto& child = static_cast<cell&>(node);
    if (!found && child.name() == name && child.holds_name() && child.current_phase() != phase::stopped) {
      found = cell_ptr(&child);
    }
  });
  return found;
}

void cell::reserve_child_name(cell& child) {
  if (!tree_.reserve_name(child)) {
    throw std::invalid_argument("weir::spawn: " + child.path() +
                                " is already taken by a live actor (names are unique among live siblings)");
  }
}

void cell::free_child_name(cell& child) noexcept { tree_.free_name(child); }

void cell::link_child(cell& child) noexcept {
  intrusive_ptr_add_ref(&child);
  tree_.link(child);
}

void cell::unlink_child(cell& child, bool release) noexcept {
  tree_.unlink(child);
  if (release) intrusive_ptr_release(&child);
}

void cell::on_child_stopped(cell& child) {
  if (rt_->logger->should_log(spdlog::level::debug)) {  // path() and to_string() allocate
    rt_->logger->debug("weir: actor {} stopped ({})", child.path(), child.reason_text());
  }
  if (extras_) extras_->stop_timers.cancel(child);
  if (child.cut_off_) {  // unlinked when cut off; only its reference was left
    intrusive_ptr_release(&child);
    return;
  }
  unlink_child(child, true);
  if (current_phase() == phase::stopping) stop_next_child();
}

void cell::begin_stop(exit_reason reason) {
  if (!is_running()) return;
  phase_.store(phase::stopping, std::memory_order_release);
  extras().reason = std::move(reason);
  // A stopping actor waits for nothing but its children.
  if (suspended_on_ != nullptr) {
    suspended_on_->cancel_wait(*this);
    resume();
  }
  if (extras_) extras_->dry_edges.clear();
  paused_ = false;
  paused_flag_.store(false, std::memory_order_release);
  held_ = false;
  inbox_paused_ = false;
  if (extras_ && extras_->asks) {  // a stopping actor runs no continuation: drop them with their timers
    extras_->asks->clear();
    pending_asks_.store(0, std::memory_order_relaxed);
  }
  end_all_waits();
  if (extras_) extras_->penalty_debt = clock::duration::zero();
  if (extras_ && extras_->penalty_timer) std::exchange(extras_->penalty_timer, nullptr)->cancel();
  stop_next_child();
}

void cell::stop_next_child() {
  if (tree_.empty()) {
    finish_stop();
    return;
  }
  // Newest first, one at a time: each confirms with child_stopped. A child
  // already stopping on its own will confirm anyway: no need to ask.
  cell& child = static_cast<cell&>(*tree_.newest());
  const phase state = child.current_phase();
  if (state == phase::exited) {
    child.release_later();  // a supervised child waiting for a decision: final now
  } else if (!child.stop_sent_by_parent_ && (state == phase::created || state == phase::running)) {
    stop_child(child);
  }
}

void cell::finish_stop() {
  publish_credit();  // what was handled so far frees its senders' credit
  if (started_ && behavior_ && extras().reason.kind != exit_kind::killed) {
    try {
      behavior_->on_stop();
    } catch (...) {
      exit_reason thrown = crashes().record("on_stop", path(), "crashed in on_stop", std::current_exception());
      if (!extras().reason.is_crash()) extras().reason = std::move(thrown);
    }
  }
  if (extras_) extras_->timers.cancel_all();
  {
    // A supervised actor's own edges outlive its behaviour, for the next one.
    const parking_scope parking(*this, extras_ && extras_->supervised ? &extras_->parked_edges : nullptr, false);
    behavior_.reset();
  }
  started_ = false;
  if (extras_ && extras_->supervised) {
    // Not the end: the supervisor restarts the behaviour in this same cell
    // (handles, mailbox and edges stay) or releases it.
    phase_.store(phase::exited, std::memory_order_release);
    cell_ptr parent = parent_;
    post_signal(*parent, "report the exit of", signals::child_exited{cell_ptr(this), extras_->reason});
    return;
  }
  finalize();
}

// The very end: nothing more will run here. Leftover messages become dead
// letters, then monitors and links learn the reason.
void cell::finalize() {
  // Uncounted first: whoever sees `stopped`, or is told by a watch that
  // fires while the mailbox closes (wait_for), must find live_actors() final.
  if (parent_ != nullptr) rt_->live.fetch_sub(1, std::memory_order_relaxed);
  phase_.store(phase::stopped, std::memory_order_release);
  if (parent_ != nullptr) parent_->free_child_name(*this);
  if (extras_) extras_->parked_edges.release_all();  // no behaviour will take them back
  close_mailbox();
  notify_watchers();
}

void cell::notify_watchers() noexcept {
  if (!extras_) return;
  const exit_reason& reason = extras_->reason;
  for (auto& w : extras_->links.take_watchers()) w.notify(*this, reason);
  for (auto& peer : extras_->links.take_links()) peer->exit_from_link_later(cell_ptr(this), reason);
}

void cell::abort_unstarted() {
  extras().reason = exit_reason{exit_kind::never_started, {}};
  phase_.store(phase::stopped, std::memory_order_release);
  if (parent_ != nullptr) parent_->free_child_name(*this);
  close_mailbox();
  behavior_.reset();
  if (rt_->logger->should_log(spdlog::level::debug)) {
    rt_->logger->debug("weir: actor {} never started: its parent was stopping", path());
  }
  notify_watchers();  // a monitor or link made with the spawn learns it at once
}

void cell::notify_parent_and_release() {
  if (parent_ != nullptr) {
    cell_ptr parent = parent_;
    post_signal(*parent, "report the stop of a child to", signals::child_stopped{cell_ptr(this)});
    return;  // *this may be gone now
  }
  std::shared_ptr<runtime> rt = rt_;
  {
    std::lock_guard lock(rt->stop_mutex);
    rt->guardian_stopped = true;
  }
  rt->stop_cv.notify_all();
}

// ---------------------------------------------------------------------------
// Supervision: exits reported to the parent, restarts in the same cell.
//
//     child: crash/quit/stop -> stopping (children, on_stop) -> exited
//            --child_exited--> parent's behaviour decides (supervisor):
//     parent: restart_later(factory) -> child builds a new behaviour, runs
//             on_start, and goes on with the messages that waited;
//         or: release_later()        -> child is final (stopped): dead
//             letters, monitors, links, then child_stopped to the parent.


void cell::make_supervised(clock::duration shutdown_timeout, bool brutal) {
  cell_extras& x = extras();
  supervised_ = true;
  x.supervised = true;
  x.shutdown_timeout = shutdown_timeout;
  x.brutal = brutal;
}

void cell::on_child_exited(cell& child, const exit_reason& reason) {
  if (extras_) extras_->stop_timers.cancel(child);
  if (child.cut_off_ || current_phase() != phase::running || !behavior_) {
    child.release_later();  // we are stopping, or gave up on it already
    return;
  }
  behavior_->on_supervised_exit(child, reason);
}

void cell::stop_child(cell& child) {
  child.stop_sent_by_parent_ = true;
  // An unsupervised child may be making its extras right now, on its own
  // thread: only a supervised one's are read here, made before it launched
  // and never moved.
  const bool supervised = child.supervised_;
  const cell_extras* x = supervised ? child.extras_.get() : nullptr;
  child.request_stop(supervised && x->brutal ? exit_kind::killed : exit_kind::shutdown);
  if (!supervised || x->shutdown_timeout == clock::duration::max()) return;
  auto timer = rt_->clock->arm(rt_->clock->now() + x->shutdown_timeout, clock::duration::zero(),
                               [self = cell_ptr(this), target = cell_ptr(&child)] {
                                 post_signal(*self, "time out the stop of", signals::stop_timeout{target});
                               });
  extras().stop_timers.arm(child, std::move(timer));
}

// A child did not stop within its shutdown timeout: its handler is stuck (no
// C++ runtime can interrupt it). It is cut off: unlinked from us, so our
// shutdown goes on, with the stop still queued for it. When its handler
// returns it stops at once, handling no further message; those become dead
// letters.
void cell::on_stop_timeout(cell& child) {
  if (!extras_ || !extras_->stop_timers.take(child)) return;  // it stopped (or reported) meanwhile
  const phase state = child.current_phase();
  if (state == phase::exited || state == phase::stopped) return;  // its report is on the way
  exit_reason reason{exit_kind::killed,
                     "did not stop within " + milliseconds_text(child.extras_->shutdown_timeout) + "; cut off"};
  rt_->logger->error("weir: actor {} {}", child.path(), reason.detail);
  child.cut_off_ = true;
  unlink_child(child, false);  // its reference goes when it reports (on_child_stopped)
  free_child_name(child);      // a restart needs a new cell with the same name
  if (current_phase() == phase::stopping) {
    stop_next_child();
  } else if (is_running() && behavior_) {
    behavior_->on_supervised_exit(child, reason);
  }
}

void cell::restart_later(behavior_factory make) noexcept {
  stop_sent_by_parent_ = false;  // called on the parent's strand, like every write of it
  post_signal(*this, "restart", signals::restart{std::move(make)});
}

void cell::release_later() noexcept {
  if (parent_ != nullptr) parent_->free_child_name(*this);  // final: a successor may take the name now
  post_signal(*this, "release", signals::release{});
}

void cell::restart(behavior_factory& make) {
  if (current_phase() != phase::exited) return;  // released meanwhile
  restarts_.fetch_add(1, std::memory_order_relaxed);
  extras().parked_edges.begin_incarnation();
  try {
    construction_scope scope(*this);
    // Edges the new behaviour takes back and lets go again while it is
    // built (or because its constructor throws) stay there for the taking.
    const parking_scope parking(*this, &extras().parked_edges, true);
    behavior_ = require_behavior(make(), *behavior_type_, name());
  } catch (...) {
    // It could not even be built: an exit like any other, for the supervisor.
    extras().reason = crashes().record("restart-failed", path(), "could not be restarted", std::current_exception());
    post_signal(*parent_, "report the exit of", signals::child_exited{cell_ptr(this), extras().reason});
    return;
  }
  if (rt_->logger->should_log(spdlog::level::debug)) rt_->logger->debug("weir: actor {} restarted", path());
  start_behavior();
}

void cell::release() {
  switch (current_phase()) {
    case phase::exited:
      finalize();
      return;
    case phase::running:
      // A restart overtook this release (the parent released us after
      // deciding to restart us, e.g. it began to stop meanwhile): stop
      // first; the exit report makes the parent release us again.
      begin_stop(exit_reason{exit_kind::shutdown, {}});
      return;
    default:
      return;  // stopping (an exit report follows) or stopped
  }
}

exit_reason cell::last_reason() const { return extras_ ? extras_->reason : exit_reason{}; }

}  // namespace weir::detail
