// The cell's sending half: edges, credit, held messages, suspension, penalties, waits.

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

}  // namespace weir::detail
