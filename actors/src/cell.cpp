// The cell: construction, identity, the mailbox and the turn (see cell.hpp).

#include <weir/actor.hpp>
#include <weir/detail/cell.hpp>
#include "cell_extras.hpp"
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

namespace {

// The spawn in progress on this thread (see construction_scope).
thread_local cell* constructing = nullptr;
// The actor whose constructor runs on this thread, for the whole scope (its
// edges opened there are its own, not the spawning actor's).
thread_local cell* being_built = nullptr;

}  // namespace

// ---------------------------------------------------------------------------
// The turn in progress on this thread, and its held wake-up (see cell.hpp).

struct turn_scope {
  explicit turn_scope(cell& self) noexcept : self(self), previous(active) {
    active = this;
    if (self.rt_->insight) {  // tell the watchdog which actor this thread runs
      slot = &self.rt_->slots.mine();
      previous_actor = slot->actor.load(std::memory_order_relaxed);
      slot->actor.store(self.id(), std::memory_order_relaxed);
    }
  }
  ~turn_scope() {
    if (slot != nullptr) slot->actor.store(previous_actor, std::memory_order_relaxed);
    active = previous;
    // The turn is over and this thread is about to be free: the last actor it
    // woke runs next, here, without waking another thread.
    if (held != nullptr) held->schedule_turn(run_order::next);
  }
  turn_scope(const turn_scope&) = delete;
  turn_scope& operator=(const turn_scope&) = delete;

  /// The turn goes on doing other work: let another thread take the held wake.
  void release_held() {
    if (held != nullptr) {
      held->schedule_turn(run_order::soon);
      held = nullptr;
    }
  }

  cell& self;
  turn_scope* previous;
  cell* held = nullptr;
  turn_slot* slot = nullptr;  // insight on: this thread's slot
  actor_id previous_actor = 0;
  static thread_local turn_scope* active;
};

/// Brackets one handler for insight: the watchdog sees which message runs
/// since when (to report it while it blocks), and the cell keeps when it
/// last made progress and its longest handler, all in coarse time: a few
/// relaxed stores, no clock read.
class handler_stamp {
 public:
  handler_stamp(cell& self, const std::type_info& what) noexcept
      : self_(self), slot_(turn_scope::active != nullptr ? turn_scope::active->slot : nullptr) {
    if (slot_ == nullptr) return;
    began_ = self.rt_->coarse_ms.load(std::memory_order_relaxed);
    slot_->since_ms.store(began_, std::memory_order_relaxed);
    slot_->message.store(&what, std::memory_order_relaxed);
    slot_->handlers.store(slot_->handlers.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  }
  ~handler_stamp() {
    if (slot_ == nullptr) return;
    slot_->message.store(nullptr, std::memory_order_relaxed);
    const std::int64_t now = self_.rt_->coarse_ms.load(std::memory_order_relaxed);
    const auto took = static_cast<std::uint32_t>(std::max<std::int64_t>(0, now - began_));
    if (took > self_.longest_handler_ms_.load(std::memory_order_relaxed)) {
      self_.longest_handler_ms_.store(took, std::memory_order_relaxed);
    }
    self_.last_progress_ms_.store(static_cast<std::uint32_t>(now), std::memory_order_relaxed);
  }
  handler_stamp(const handler_stamp&) = delete;
  handler_stamp& operator=(const handler_stamp&) = delete;

 private:
  cell& self_;
  turn_slot* slot_;
  std::int64_t began_ = 0;
};

/// What the watchdog names while on_start, or an Asio completion, runs.
struct on_start_handler {};

thread_local turn_scope* turn_scope::active = nullptr;

cell* cell::current() noexcept {
  return turn_scope::active != nullptr ? &turn_scope::active->self : nullptr;
}

void cell::sender_continues() noexcept {
  if (turn_scope::active != nullptr) turn_scope::active->release_held();
}

// ---------------------------------------------------------------------------
// Construction and reference counting.

cell::cell(std::shared_ptr<runtime> rt, cell_ptr parent, std::string name, std::size_t user_inboxes)
    : tree_node(std::move(name)),
      id_(rt->next_id.fetch_add(1, std::memory_order_relaxed)),
      rt_(std::move(rt)),
      parent_(std::move(parent)),
      fifos_(user_inboxes + first_user_inbox) {
  last_progress_ms_.store(static_cast<std::uint32_t>(rt_->coarse_ms.load(std::memory_order_relaxed)),
                          std::memory_order_relaxed);
}

cell::~cell() {
  // Normally everything was drained at stop; a cell whose spawn failed in
  // the actor's constructor may still hold messages nobody could send yet.
  close_mailbox();
  if (holds_name()) parent_->free_child_name(*this);  // never launched
  if (edge_state* adhoc = adhoc_edge_.load(std::memory_order_acquire)) adhoc->release_owner();
}

void intrusive_ptr_add_ref(cell* c) noexcept { c->refs_.fetch_add(1, std::memory_order_relaxed); }

void intrusive_ptr_release(cell* c) noexcept {
  if (c->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete c;
}

cell_ptr make_cell(const std::shared_ptr<runtime>& rt, cell_ptr parent, std::string name,
                   std::size_t user_inboxes) {
  if (name.empty()) throw std::invalid_argument("weir::spawn: actor name must not be empty");
  if (name.find('/') != std::string::npos) {
    throw std::invalid_argument("weir::spawn: actor name '" + name + "' must not contain '/'");
  }
  cell_ptr child(new cell(rt, std::move(parent), std::move(name), user_inboxes));
  if (cell* above = child->parent()) above->reserve_child_name(*child);  // throws if a live sibling has it
  return child;
}

cell_ptr cell::make_guardian(const std::shared_ptr<runtime>& rt) {
  cell_ptr guardian(new cell(rt, nullptr, "", 0));
  guardian->launch();
  return guardian;
}

std::string cell::path() const {
  if (parent_ == nullptr) return "";  // the guardian is the root, "/"
  return parent_->path() + "/" + name();
}

void cell::attach_behavior(std::unique_ptr<actor_base> behavior) noexcept {
  behavior_type_ = &typeid(*behavior);
  behavior_ = std::move(behavior);
}

construction_scope::construction_scope(cell& c) noexcept : previous_(constructing), previous_built_(being_built) {
  constructing = &c;
  being_built = &c;
}
construction_scope::~construction_scope() {
  constructing = previous_;
  being_built = previous_built_;
}

cell* construction_scope::building() noexcept { return being_built; }

cell* construction_scope::claim() noexcept {
  cell* c = constructing;
  constructing = nullptr;  // a member that is itself an actor must not bind the same cell
  return c;
}


// ---------------------------------------------------------------------------
// Enqueueing and scheduling.

send_result cell::enqueue_user(cell_envelope* message) noexcept {
  switch (queue_.push(message)) {
    case push_result::queued_and_woke:
      wake();
      return send_result::ok;
    case push_result::queued:
      sender_continues();
      return send_result::ok;
    case push_result::closed:
      break;
  }
  discard(message);
  return send_result::closed;
}

bool cell::enqueue_system(cell_envelope* signal) noexcept {
  switch (queue_.push(signal)) {
    case push_result::queued_and_woke:
      wake();
      return true;
    case push_result::queued:
      return true;
    case push_result::closed:
      break;
  }
  discard(signal);
  return false;
}

void cell::request_stop(exit_kind kind) noexcept {
  post_signal(*this, "stop", signals::stop{exit_reason{kind, {}}});
}

void cell::wake() {
  if (turn_scope* turn = turn_scope::active; turn != nullptr) {
    turn->release_held();
    turn->held = this;
  } else {
    schedule_turn(run_order::soon);
  }
}

void cell::schedule_turn(run_order order) {
  if (rt_->manual) [[unlikely]] {
    rt_->manual->push(*this);  // a test chooses when it runs
    return;
  }
  rt_->sched->schedule(*this, order);
}

void cell::unstall() {
  stalled_.store(false, std::memory_order_relaxed);
  if (std::exchange(stalled_turn_, false)) schedule_turn(run_order::soon);
}

void cell::launch() {
  if (parent_ != nullptr) {  // the guardian is not an actor of the user's
    rt_->live.fetch_add(1, std::memory_order_relaxed);
    rt_->started.fetch_add(1, std::memory_order_relaxed);
  }
  wake();
}

// A cell is alive while a turn can run: its parent's link holds a reference
// until child_stopped is handled, and that signal is the last thing its last
// turn does. So a turn may capture `this` without a reference.
void cell::run_turn() {
  if (stalled_.load(std::memory_order_relaxed)) [[unlikely]] {
    stalled_turn_ = true;  // unstall() runs it
    return;
  }
  turn_scope turn(*this);
  if (current_phase() == phase::created) start_behavior();

  if (current_phase() != phase::stopped) distribute(queue_.take_all());  // fresh signals first
  std::size_t budget = rt_->config.batch;
  while (current_phase() != phase::stopped) {
    cell_envelope* item = next_envelope();
    if (item == nullptr) {
      publish_credit();                // before sleeping: senders may be waiting for it
      if (queue_.try_sleep()) return;  // a push will wake us
      continue;                        // a push raced us: keep going
    }
    turn.release_held();
    handle_one(item);
    if (--budget == 0) {
      if (current_phase() != phase::stopped) {
        publish_credit();
        schedule_turn(run_order::later);  // yield to other actors
      }
      break;
    }
  }
  if (current_phase() == phase::stopped) notify_parent_and_release();  // last act: may free *this
}

void cell::start_behavior() {
  phase_.store(phase::running, std::memory_order_release);
  if (!behavior_) {  // the guardian
    started_ = true;
    return;
  }
  try {
    const handler_stamp stamp(*this, typeid(on_start_handler));
    behavior_->on_start();
    started_ = true;
  } catch (...) {
    crash(std::current_exception(), nullptr);
  }
  // The last chance for a restarted behaviour to take its edges back.
  if (extras_) extras_->parked_edges.release_unclaimed();
  after_user_code();
}

void cell::distribute(mailbox_queue::chain taken) noexcept {
  for (envelope* item = taken.first; item != nullptr;) {
    envelope* next = item->next;
    fifos_[item->inbox].push_back(item);
    ++local_count_;
    item = next;
  }
}

cell_envelope* cell::next_envelope() {
  // With several user inboxes, look at the mailbox before every pick: a
  // message that just arrived in a preferred inbox goes before older ones
  // elsewhere (biased receive). A relaxed load when nothing is new.
  if (fifos_.size() > first_user_inbox + 1) distribute(queue_.take_all());
  for (;;) {
    if (local_count_ > 0) {
      // Control signals first, then timers, then user inboxes. While
      // suspended, paused or held only control signals run (timers and
      // messages wait); while stopping, messages become dead letters.
      const bool user_code = is_running() && !blocked();
      envelope* item = fifos_[control_inbox].pop_front();
      if (item == nullptr && user_code) item = fifos_[callback_inbox].pop_front();
      if (item == nullptr && user_code && !inbox_paused_) item = pop_user_message();
      if (item != nullptr) {
        --local_count_;
        return static_cast<cell_envelope*>(item);
      }
    }
    mailbox_queue::chain taken = queue_.take_all();
    if (taken.empty()) return nullptr;
    distribute(taken);
  }
}

envelope* cell::pop_user_message() {
  if (extras_ && extras_->fair) {
    const std::size_t i =
        extras_->fair->pick([this](std::size_t inbox) { return !fifos_[first_user_inbox + inbox].empty(); });
    return i == fair_picker::none ? nullptr : fifos_[first_user_inbox + i].pop_front();
  }
  for (std::size_t i = first_user_inbox; i < fifos_.size(); ++i) {  // strict: declaration order
    if (envelope* item = fifos_[i].pop_front()) return item;
  }
  return nullptr;
}

void cell::drain_fairly(std::vector<std::uint32_t> weights) {
  const std::size_t inboxes = fifos_.size() - first_user_inbox;
  if (weights.size() != inboxes) {
    throw std::invalid_argument("weir: actor " + path() + ": drain_fairly needs one weight per inbox (" +
                                std::to_string(inboxes) + "), got " + std::to_string(weights.size()));
  }
  extras().fair = std::make_unique<fair_picker>(std::move(weights));
}

void cell::drain_strictly() noexcept {
  if (extras_) extras_->fair.reset();
}

namespace {

// Single writer: a plain store is enough and avoids a locked instruction.
void bump(std::atomic<std::uint64_t>& counter) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}


}  // namespace

void cell::handle_one(cell_envelope* item) {
  envelope_ptr owned(item);
  const handler_stamp stamp(*this, item->type());
  if (!is_user_inbox(item->inbox)) {
    try {
      item->deliver(*this);
    } catch (...) {
      crash(std::current_exception(), item);  // a callback (user code) threw
    }
    if (item->inbox == callback_inbox) after_user_code();
    return;
  }
  edge_state& edge = *item->edge;
  std::exception_ptr error;
  try {
    item->deliver(*this);
    bump(handled_);
    bump(edge.handled);
  } catch (...) {
    error = std::current_exception();
  }
  // Consumed before a crash stops the actor: the stop hands back the credit
  // of everything consumed so far, this message included.
  if (error) {
    exit_reason reason = report_crash(error, item);  // counts the dead letter while the edge surely lives
    consumed(*item);                                 // may hand credit back, which may free the edge
    begin_stop(std::move(reason));
  } else {
    consumed(*item);
  }
  after_user_code();
}

bool run_manual_step(runtime& rt) {
  if (cell* ready = rt.manual->take(0)) {
    ready->run_turn();
    return true;
  }
  return rt.io->poll_one() > 0;
}

}  // namespace weir::detail
