#include <weir/actor.hpp>
#include <weir/detail/cell.hpp>
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

// State most actors never need, made on first use (see cell::extras_).
struct cell_extras {
  timer_set timers;
  // Edges holding messages of this actor for want of credit; `suspends`:
  // a handler held one there, so the actor waits before it handles more
  // (an edge taken back after a restart only sends its held messages on).
  struct holding_edge {
    edge_state* edge;
    bool suspends;
  };
  std::vector<holding_edge> dry_edges;
  std::unique_ptr<ask_book> asks;
  std::unique_ptr<fair_picker> fair;   // null: strict priority
  std::shared_ptr<armed_timer> penalty_timer;
  clock::duration penalty_debt{};  // soft penalty owed by the current handler
  exit_reason reason;
  clock::time_point suspended_since{};

  // Supervision: set before launch by the supervisor that spawned this cell.
  bool supervised = false;
  bool brutal = false;
  clock::duration shutdown_timeout = clock::duration::max();
  // Children this actor is stopping, each with its shutdown timeout.
  stop_deadlines stop_timers;

  links_monitors links;

  // The edges this actor opened, parked across a restart (supervised only).
  edge_book parked_edges;
};

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
// Sending: edges, credit, penalties.

edge_state& cell::adhoc_edge() {
  if (edge_state* existing = adhoc_edge_.load(std::memory_order_acquire)) return *existing;
  auto* fresh = new edge_state(*this, rt_->config.adhoc, std::string{}, edge_state::ownership::receiver);
  edge_state* expected = nullptr;
  if (adhoc_edge_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) return *fresh;
  fresh->release_owner();  // another sender made it first
  return *expected;
}

send_result cell::send_on(edge_state& edge, make_node_fn make, void* payload) {
  edge.sent.fetch_add(1, std::memory_order_relaxed);
  cell* sender = current();
  const bounded* limit = edge.as_bounded();
  // A sending actor never blocks and never overdraws: a message without
  // credit, and every later one on the edge (order), waits at its end.
  if (limit != nullptr && limit->on_full == overflow_reaction::suspend && sender != nullptr &&
      (edge.held() > 0 || !edge.has_credit())) {
    cell_envelope* node = make(payload);
    node->edge = &edge;
    edge.hold(node);
    sender->note_holding(edge, true);
    return send_result::ok;
  }
  if (limit != nullptr && !edge.has_credit()) {
    switch (limit->on_full) {
      case overflow_reaction::fail:
        edge.refused.fetch_add(1, std::memory_order_relaxed);
        return send_result::would_block;
      case overflow_reaction::drop_newest:
        edge.dropped.fetch_add(1, std::memory_order_relaxed);
        return send_result::dropped;
      case overflow_reaction::drop_oldest:
        break;  // a drop_oldest edge is a ring (see ring_state): it never gets here
      case overflow_reaction::suspend:
        // Not an actor (an actor holds, above): the thread blocks for credit.
        if (!edge.block_for_credit(limit->block_timeout)) {
          edge.refused.fetch_add(1, std::memory_order_relaxed);
          return send_result::would_block;
        }
        break;
    }
  }
  cell_envelope* node = make(payload);
  node->edge = &edge;
  if (edge.is_ring()) return static_cast<ring_state&>(edge).accept(node);
  edge.add_in_flight();
  const std::int64_t depth = queued_.fetch_add(1, std::memory_order_relaxed) + 1;
  const send_result result = enqueue_user(node);
  if (result != send_result::ok) return result;

  if (const unbounded* open = edge.as_unbounded(); open != nullptr && open->penalty) {
    const clock::duration penalty = open->penalty->for_depth(static_cast<std::size_t>(depth));
    if (penalty > clock::duration::zero()) {
      if (sender != nullptr) {
        sender->extras().penalty_debt += penalty;  // paid after the handler, on the clock
      } else {
        charge_foreign_thread(rt_->clock, penalty);  // not an actor: the thread itself pays
      }
    }
  }
  return send_result::ok;
}

void cell::note_holding(edge_state& edge, bool suspends) {
  auto& holding = extras().dry_edges;
  const auto known = std::find_if(holding.begin(), holding.end(), [&](const auto& h) { return h.edge == &edge; });
  if (known == holding.end()) {
    holding.push_back({&edge, suspends});
  } else {
    known->suspends = known->suspends || suspends;
  }
}

// A held message goes where a send with credit would have put it.
void cell::queue_held(cell_envelope& node) noexcept {
  queued_.fetch_add(1, std::memory_order_relaxed);
  (void)enqueue_user(&node);  // closed: discard() dead-letters it, counted on its edge
}

send_result cell::post_carrier(edge_state& edge, cell_envelope& carrier) noexcept {
  edge.add_in_flight();  // keeps the edge (and the carrier in it) alive while queued
  queued_.fetch_add(1, std::memory_order_relaxed);
  return enqueue_user(&carrier);  // if closed, discard() counts it and resets the edge
}

void cell::count_dead_letters(std::uint64_t n) noexcept {
  dead_letters_.fetch_add(n, std::memory_order_relaxed);
  rt_->dead_letters.fetch_add(n, std::memory_order_relaxed);
}

void cell::hold_later() noexcept { post_signal(*this, "hold", signals::hold{true}); }

void cell::release_hold_later() noexcept { post_signal(*this, "release", signals::hold{false}); }

void cell::resume_inbox_later() noexcept { post_signal(*this, "resume the inbox of", signals::resume_inbox{}); }

void cell::signal_credit(edge_state& edge) noexcept { post_signal(*this, "resume", signals::credit{&edge}); }

// Bookkeeping when a user message leaves the inbox (handled, crashed or
// dropped); the credit goes back in batches (see bounded).
void cell::consumed(cell_envelope& item) noexcept {
  ++consumed_unpublished_;
  edge_state& edge = *item.edge;
  ++edge.unpublished;
  if (!edge.dirty) {
    edge.dirty = true;
    edge.next_dirty = dirty_edges_;
    dirty_edges_ = &edge;
  }
  if (const bounded* limit = edge.as_bounded();
      limit != nullptr && edge.unpublished >= static_cast<std::int64_t>(limit->credit_batch())) {
    publish_credit();
  }
}

void cell::publish_credit() noexcept {
  if (consumed_unpublished_ > 0) {
    queued_.fetch_sub(consumed_unpublished_, std::memory_order_relaxed);
    consumed_unpublished_ = 0;
  }
  while (edge_state* edge = dirty_edges_) {
    dirty_edges_ = edge->next_dirty;
    const std::int64_t n = edge->unpublished;
    edge->unpublished = 0;
    edge->dirty = false;
    edge->next_dirty = nullptr;
    edge->release_in_flight(n);  // may wake the sender; may delete the edge
  }
}

// Runs after every piece of user code: a handler, on_start, a timer, a
// guarded completion. Applies what the code asked for or incurred.
void cell::after_user_code() {
  if (quit_requested_ && is_running()) {
    quit_requested_ = false;
    begin_stop(exit_reason{exit_kind::normal, {}});
    return;
  }
  if (!is_running()) return;
  if (suspended_on_ == nullptr) (void)send_held_or_suspend();
  if (extras_ && extras_->penalty_debt > clock::duration::zero() && !paused_) {
    paused_ = true;
    paused_flag_.store(true, std::memory_order_release);
    const clock::duration debt = std::exchange(extras_->penalty_debt, clock::duration::zero());
    extras().penalty_timer = rt_->clock->arm(rt_->clock->now() + debt, clock::duration::zero(), [self = cell_ptr(this)] {
      post_signal(*self, "end the penalty pause of", signals::penalty_paid{});
    });
  }
}

void cell::forget_dry(const edge_state& edge) noexcept {
  if (!extras_) return;
  auto& dry = extras_->dry_edges;
  dry.erase(std::remove_if(dry.begin(), dry.end(), [&](const auto& h) { return h.edge == &edge; }), dry.end());
}

// Every edge holding messages is served, not just the first: an actor
// resumed by one edge must not leave messages held on another. No user code
// runs between the handler and this, and an edge its behaviour lets go of
// meanwhile leaves the list (see let_go), so the edges are all still alive.
bool cell::send_held_or_suspend() {
  if (!extras_) return false;
  auto& holding = extras_->dry_edges;
  for (std::size_t i = holding.size(); i-- > 0;) {
    edge_state& edge = *holding[i].edge;
    const bool suspends = holding[i].suspends;
    for (;;) {
      if (send_held(edge)) {
        holding.erase(holding.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
      if (suspends) {
        suspend_on(edge);
        if (suspended_on_ != nullptr) return true;
      } else if (edge.wait_for_credit(*this)) {
        break;  // its held messages go on from on_credit, while the actor works
      }
    }
  }
  return false;
}

bool cell::send_held(edge_state& edge) noexcept {
  // Credit can only grow under us (we are the edge's one sender): each
  // message taken has its credit, so the receiver never exceeds capacity.
  while (envelope* node = edge.take_held_if_credit()) edge.receiver.queue_held(*static_cast<cell_envelope*>(node));
  return edge.held() == 0;
}

void cell::suspend_on(edge_state& edge) {
  if (!edge.wait_for_credit(*this)) return;  // credit is back already: the caller sends on
  suspended_on_ = &edge;
  edge.suspensions.fetch_add(1, std::memory_order_relaxed);
  suspended_flag_.store(true, std::memory_order_release);
  extras().suspended_since = rt_->clock->now();
  record_wait(reinterpret_cast<std::uintptr_t>(&edge),
              wait_record{wait_kind::credit, edge.describe(), edge.receiver.id(), extras().suspended_since});
  note_wait(wait_arc{this, wait_kind::credit, reinterpret_cast<std::uintptr_t>(&edge), &edge.receiver, &edge,
                     extras().suspended_since});
  if (rt_->logger->should_log(spdlog::level::debug)) {
    rt_->logger->debug("weir: actor {} suspended: {} held for credit on edge {}", path(), edge.held(),
                       edge.describe());
  }
}

// Credit returned on the edge this actor waits on: its turn sends what the
// credit allows first, and resumes handling only once nothing is held.
void cell::on_credit(const edge_state* edge) {
  if (!extras_) return;
  auto& holding = extras_->dry_edges;
  const auto known = std::find_if(holding.begin(), holding.end(), [&](const auto& h) { return h.edge == edge; });
  if (known == holding.end()) return;  // stale: sent on already, or let go (then not safe to touch)
  edge_state& dry = *known->edge;
  while (!send_held(dry)) {
    if (dry.wait_for_credit(*this)) return;  // still waiting (suspended or not), the same wait going on
  }
  holding.erase(known);
  if (suspended_on_ != &dry) return;
  resume();
  (void)send_held_or_suspend();  // another edge may still hold
}

void cell::resume() {
  const auto waited = rt_->clock->now() - extras().suspended_since;
  suspended_on_->suspended_ns.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count(),
                                        std::memory_order_relaxed);
  end_wait(wait_kind::credit, reinterpret_cast<std::uintptr_t>(suspended_on_));
  suspended_on_ = nullptr;
  suspended_flag_.store(false, std::memory_order_release);
}

void cell::record_wait(std::uintptr_t key, wait_record record) { waits_.record(key, std::move(record)); }

// A wait begins: into the wait-for graph, which reports a cycle it closes.
void cell::note_wait(const wait_arc& arc) {
  const deadlock_remedy remedy = rt_->config.deadlock;
  std::optional<deadlock_report> cycle = rt_->waits.add(arc, remedy);
  if (!cycle) return;
  rt_->deadlocks.fetch_add(1, std::memory_order_relaxed);
  const std::string text = cycle->to_string();
  rt_->limited_log->error(log_keys::deadlock(*cycle), "weir: deadlock: {} (remedy: {})", text, to_string(remedy));
  if (rt_->config.on_deadlock) {
    try {
      rt_->config.on_deadlock(*cycle);
    } catch (const std::exception& e) {
      rt_->limited_log->error("listener:on_deadlock", "weir: the on_deadlock listener threw: {}", e.what());
    }
  }
  if (remedy == deadlock_remedy::fail_one) {
    // The actor whose wait closed the cycle fails; a control signal, so it
    // acts even while suspended. Its supervisor restarts it.
    rt_->crashes.fetch_add(1, std::memory_order_relaxed);
    post_signal(*this, "fail", signals::stop{exit_reason{exit_kind::crashed, "deadlock remedy: " + text}});
  }
}

void cell::end_wait(wait_kind kind, std::uintptr_t key) noexcept {
  rt_->waits.remove(this, kind, key);
  waits_.end(kind, key);
}

void cell::end_all_waits() noexcept {
  rt_->waits.remove_all(this);
  waits_.end_all();
}

std::vector<wait_record> cell::waits() const { return waits_.snapshot(); }

void cell::on_penalty_paid() {
  paused_ = false;
  paused_flag_.store(false, std::memory_order_release);
  if (extras_) extras_->penalty_timer.reset();
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
// Asks.

cell_extras& cell::extras() {
  if (!extras_) extras_ = std::make_unique<cell_extras>();
  return *extras_;
}

edge_book* cell::parked_edges() const noexcept {
  return extras_ && !extras_->parked_edges.empty() ? &extras_->parked_edges : nullptr;
}

std::string cell::reason_text() const { return extras_ ? extras_->reason.to_string() : std::string{"normal"}; }

std::uint64_t cell::begin_ask(const cell& target, clock::duration timeout, std::function<void(void*)> on_reply,
                              std::function<void(std::uint8_t)> on_error) {
  std::unique_ptr<ask_book>& book = extras().asks;
  if (!book) book = std::make_unique<ask_book>();
  const clock::time_point now = rt_->clock->now();
  const std::uint64_t id =
      book->add(pending_ask{std::move(on_reply), std::move(on_error), nullptr, &target, now}, [&](std::uint64_t ask) {
        // The timer only hands a signal over; a reply first cancels it.
        return rt_->clock->arm(now + timeout, clock::duration::zero(),
                               [self = cell_ptr(this), ask] { self->fail_ask_later(ask, 0 /* ask_error::timeout */); });
      });
  record_wait(id, wait_record{wait_kind::reply, target.path(), target.id(), now});
  note_wait(wait_arc{this, wait_kind::reply, id, &target, nullptr, now});
  pending_asks_.fetch_add(1, std::memory_order_relaxed);
  return id;
}

std::optional<pending_ask> cell::take_ask(std::uint64_t id) {
  if (!is_running() || !extras_ || !extras_->asks) return std::nullopt;
  std::optional<pending_ask> ask = extras_->asks->take(id);
  if (ask) {
    pending_asks_.fetch_sub(1, std::memory_order_relaxed);
    end_wait(wait_kind::reply, id);
  }
  return ask;
}

void cell::complete_ask(std::uint64_t id, void* reply) {
  std::optional<pending_ask> ask = take_ask(id);
  if (!ask) {  // timed out (or failed) before: counted, never delivered twice
    late_replies_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ask->on_reply(reply);
}

void cell::fail_ask(std::uint64_t id, std::uint8_t error) {
  std::optional<pending_ask> ask = take_ask(id);
  if (!ask) return;  // answered already: a token dropped after replying, or a timer that lost the race
  ask->on_error(error);
}

void cell::fail_ask_later(std::uint64_t id, std::uint8_t error) noexcept {
  post_signal(*this, "fail an ask of", signals::ask_failed{id, error});
}

// ---------------------------------------------------------------------------
// Timers.

std::shared_ptr<timer_state> cell::start_timer(clock::duration first, clock::duration period,
                                               std::function<void()> callback) {
  return extras().timers.start(std::move(callback), period.count() > 0, [&](std::weak_ptr<timer_state> weak) {
    // The clock calls this on any thread; it only hands a signal to our mailbox.
    return rt_->clock->arm(rt_->clock->now() + first, period, [self = cell_ptr(this), weak] {
      if (auto fired = weak.lock()) self->enqueue_system(new signal_envelope(signals::timer_fired{std::move(fired)}));
    });
  });
}

void cell::cancel_timer(timer_state& timer) noexcept {
  if (extras_) extras_->timers.cancel(timer);  // a timer exists only in its cell's extras
}

void cell::on_timer(const std::shared_ptr<timer_state>& timer) {
  if (!is_running()) return;
  extras().timers.fire(timer);
}

}  // namespace weir::detail

// ---------------------------------------------------------------------------
// Supervision: exits reported to the parent, restarts in the same cell.
//
//     child: crash/quit/stop -> stopping (children, on_stop) -> exited
//            --child_exited--> parent's behaviour decides (supervisor):
//     parent: restart_later(factory) -> child builds a new behaviour, runs
//             on_start, and goes on with the messages that waited;
//         or: release_later()        -> child is final (stopped): dead
//             letters, monitors, links, then child_stopped to the parent.

namespace weir::detail {

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
    std::unique_ptr<actor_base> fresh = make();
    if (!fresh) throw std::invalid_argument("the child's factory returned no actor");
    if (typeid(*fresh) != *behavior_type_) {
      throw std::invalid_argument("the child's factory made a " + type_name(typeid(*fresh)) + ", not a " +
                                  type_name(*behavior_type_));
    }
    behavior_ = std::move(fresh);
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

// ---------------------------------------------------------------------------
// Monitors and links.

// Before launch (a monitor made with the spawn) or from a watch signal: the
// cell has not stopped either way (a signal to a stopped cell is refused, and
// its on_undelivered fires the watch instead).
void cell::add_watcher(watcher w) {
  extras().links.add_watcher(std::move(w));
}

void cell::watch_later(watcher w) noexcept {
  // If our mailbox is closed, the signal's on_undelivered fires it at once.
  post_signal(*this, "watch", signals::watch{cell_ptr(this), std::move(w)});
}

void cell::add_link(const cell_ptr& peer) {
  extras().links.add_link(peer);
}

void cell::link_later(cell_ptr peer) noexcept {
  post_signal(*this, "link", signals::link{cell_ptr(this), std::move(peer)});
}

void cell::unlink_later(const cell& peer) noexcept { post_signal(*this, "unlink", signals::unlink{&peer}); }

void cell::exit_from_link_later(cell_ptr from, exit_reason reason) noexcept {
  post_signal(*this, "deliver a linked exit to", signals::linked_stop{std::move(from), std::move(reason)});
}

void cell::down_later(down notice) noexcept {
  post_signal(*this, "deliver a down notice to", signals::down_notice{std::move(notice)});
}

void cell::drop_link(const cell& peer) noexcept {
  if (extras_) extras_->links.drop_link(peer);
}

void cell::set_trap_exit(bool trap) noexcept { extras().links.set_trap_exit(trap); }

std::uint64_t cell::next_monitor_ref() noexcept {
  return extras().links.open_monitor();
}

void cell::demonitor(std::uint64_t ref) noexcept {
  if (extras_) extras_->links.demonitor(ref);
}

void cell::on_down(down notice) {
  if (!is_running() || !behavior_ || !extras_) return;
  if (!extras_->links.take_monitor(notice.ref.value)) return;  // demonitored: OTP's flush semantics
  behavior_->on_down(notice);
}

// OTP's rules: unlinked meanwhile, nothing; trapping, a message; otherwise
// any reason but `normal` stops this actor too, naming the other.
void cell::on_linked_exit(const cell& from, const exit_reason& reason) {
  if (!extras_) return;
  if (!extras_->links.take_link(from)) return;
  if (extras_->links.trap_exit()) {
    post_signal(*this, "deliver a linked exit to",
                signals::linked_exit_notice{linked_exit{from.id(), from.path(), reason}});
    return;
  }
  if (reason.kind == exit_kind::normal) return;
  const exit_kind kind = reason.kind == exit_kind::shutdown || reason.kind == exit_kind::never_started
                             ? exit_kind::shutdown
                             : exit_kind::crashed;
  begin_stop(exit_reason{kind, "linked to " + from.path() + ", which exited: " + reason.to_string()});
}

void cell::deliver_linked_exit(linked_exit notice) {
  if (is_running() && behavior_) behavior_->on_linked_exit(notice);
}

}  // namespace weir::detail
